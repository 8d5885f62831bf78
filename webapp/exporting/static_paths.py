"""Where each page of the site goes in the offline copy, and the relative links between them.

A page is a folder with an index.html (`/events/lyon` → events/lyon/index.html), so that the copy
works from file:// (which does not look for index.html by itself) as from any static host. A page
with a query string becomes a file beside it (`/events/?page=2` → events/index-page-2-<hash>.html).
Any other answer (a feed, an image, a download) keeps its path (`/feeds/talks.atom`).
"""
import hashlib
import posixpath
import re
from urllib.parse import quote, unquote, unquote_plus

_UNSAFE = re.compile(r"[^\w.-]+")


def query_suffix(query: str) -> str:
    readable = _UNSAFE.sub("-", unquote_plus(query)).strip("-.")[:60]
    return f"{readable}-{hashlib.sha256(query.encode()).hexdigest()[:6]}"


def output_path(path: str, query: str, is_html: bool) -> str:
    """The file, relative to the copy's root (a posix path, not URL-encoded), for a URL's answer."""
    parts = [unquote(part) for part in path.split("/") if part not in ("", ".", "..")]
    if not is_html:
        name = "/".join(parts) or "index"
        return f"{name}-{query_suffix(query)}" if query else name
    page = f"index-{query_suffix(query)}.html" if query else "index.html"
    return "/".join([*parts, page])


def relative_link(from_file: str, to_file: str, fragment: str = "", query: str = "") -> str:
    """The URL-encoded link from one file of the copy to another."""
    link = quote(posixpath.relpath(to_file, posixpath.dirname(from_file) or "."))
    return link + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")
