"""`flask export static DIR`: the public archive as a static site, for any static host or file://.

Pages are rendered by the app itself (a second app on the same database, with the page cache and
the statistics off, and SITE_URL set to --base-url when given), starting from the home page, the
sitemaps and robots.txt and following every root-relative link, image and download they hold.
Links are then rewritten to relative paths (webapp/exporting/static_paths.py). What a static copy
cannot do (sign in, the workspace, the API, OAI-PMH, changing language) stays a link to the live
site; the search box leads to a page that searches an index written at export time.
"""
import html
import re
import shutil
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from flask import Flask, current_app, render_template, url_for

from webapp import create_app
from webapp.exporting.static_paths import output_path, relative_link
from webapp.exporting.static_search import INDEX_SCRIPT, write_search_index
from webapp.extensions import db

STATIC_MARKER = ".causeries-static-copy"
LEFT_ONLINE = ("/manage", "/login", "/logout", "/password", "/profile", "/claim", "/lang/", "/api/",
               "/oai", "/search", "/static/", "/embed/", "/oembed")
# Addresses scripts post to (counting a slide page viewed): a copy has no server to count, so they go.
POSTED_TO = ("data-views-url",)
SEARCH_PATH, SEARCH_FILE = "/search", "search/index.html"
SEEDS = ("/", "/robots.txt", "/sitemap.xml")
REDIRECTS = (301, 302, 303, 307, 308)
LINK_ATTRIBUTE = re.compile(r'(\s)(href|src|action|srcset|data-[\w-]+)="([^"]*)"')
SITEMAP_LOCATION = re.compile(r"<loc>([^<]+)</loc>")


@dataclass
class StaticReport:
    pages: int = 0
    files: int = 0


def rendering_app(base_url: str | None) -> Flask:
    """The app that renders the copy: the same settings and database, nothing cached or counted."""
    config = {**current_app.config, "DATABASE_URL": current_app.config["SQLALCHEMY_DATABASE_URI"],
              "PAGE_CACHE": "off", "STATS_ENABLED": False, "TRUSTED_HOSTS": None, "SERVER_NAME": None}
    if base_url:
        config["SITE_URL"] = base_url.rstrip("/")
    return create_app(config)


class StaticSite:
    def __init__(self, root: Path, app: Flask):
        self.root, self.app = root, app
        self.client = app.test_client()
        self.site_url = app.config["SITE_URL"].rstrip("/")
        self.known: dict[str, str | None] = {}  # a local URL → its file in the copy (None: left online)
        self.pending: deque[tuple[str, str]] = deque()  # pages whose links are still to rewrite
        self.report = StaticReport()

    def run(self) -> StaticReport:
        shutil.copytree(Path(self.app.static_folder), self.root / "static")
        self.write_search_page()
        for url in SEEDS:
            self.resolve(url)
        for url in self.sitemap_pages():
            self.resolve(url)
        while self.pending:
            self.rewrite_page(*self.pending.popleft())
        (self.root / STATIC_MARKER).write_text(f"An offline copy of {self.site_url}\n", encoding="utf-8")
        return self.report

    def write(self, file: str, body: bytes) -> None:
        target = self.root / file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)

    def write_search_page(self) -> None:
        self.known[SEARCH_PATH] = SEARCH_FILE
        self.known[f"/{INDEX_SCRIPT}"] = INDEX_SCRIPT
        with self.app.test_request_context(SEARCH_PATH):
            write_search_index(self.root, lambda talk: output_path(
                url_for("public.talk", slug=talk.slug), "", is_html=True))
            page = render_template("exporting/offline_search.html", search_page=SEARCH_PATH,
                                   search_index_script=f"/{INDEX_SCRIPT}")
        self.write(SEARCH_FILE, page.encode("utf-8"))
        self.pending.append((SEARCH_PATH, SEARCH_FILE))
        self.report.pages += 1

    def sitemap_pages(self) -> list[str]:
        sitemap = self.known.get("/sitemap.xml")
        text = (self.root / sitemap).read_text(encoding="utf-8") if sitemap else ""
        return [location[len(self.site_url):] for location in SITEMAP_LOCATION.findall(html.unescape(text))
                if location.startswith(f"{self.site_url}/sitemaps/")]

    # --- fetching -------------------------------------------------------------------------------

    def resolve(self, url: str) -> str | None:
        """The file in the copy that answers a local URL (path and query), fetched the first time."""
        if url in self.known:
            return self.known[url]
        self.known[url] = None  # while it is fetched: a redirect loop ends here
        parts = urlsplit(url)
        if parts.path.startswith("/static/"):
            file = f"static/{parts.path[len('/static/'):]}"
            self.known[url] = file if (self.root / file).is_file() else None
        elif not parts.path.startswith(LEFT_ONLINE):
            self.known[url] = self.fetch(url, parts.path, parts.query)
        return self.known[url]

    def fetch(self, url: str, path: str, query: str) -> str | None:
        with self.client.get(url) as response:  # closed: a download's file too
            status, location, is_html = response.status_code, response.headers.get("Location"), \
                response.mimetype == "text/html"
            body = response.get_data() if status == 200 else b""
        if status in REDIRECTS:
            return self.resolve(self.local_url(url, location) or "/-")
        if status != 200:
            return None
        file = output_path(path, query, is_html)
        self.write(file, body)
        if is_html:
            self.pending.append((url, file))
            self.report.pages += 1
        else:
            self.report.files += 1
        return file

    # --- rewriting --------------------------------------------------------------------------------

    def local_url(self, page_url: str, value: str) -> str | None:
        """A root-relative or query-only link as a local URL without its fragment; None otherwise."""
        if value.startswith(self.site_url + "/") and not value.startswith("//"):
            value = value[len(self.site_url):]
        if not (value.startswith("?") or (value.startswith("/") and not value.startswith("//"))):
            return None
        return urljoin(page_url, value)

    def rewrite_page(self, url: str, file: str) -> None:
        page = (self.root / file).read_text(encoding="utf-8")

        def replace(match) -> str:
            space, name, value = match.groups()
            rewritten = self.rewritten(url, file, name, html.unescape(value))
            return "" if rewritten is None else f'{space}{name}="{html.escape(rewritten)}"'

        self.write(file, LINK_ATTRIBUTE.sub(replace, page).encode("utf-8"))

    def rewritten(self, url: str, file: str, name: str, value: str) -> str | None:
        """The attribute's new value; None drops it (a script's address for an API, say)."""
        if name in POSTED_TO:
            return None
        if name == "srcset":
            candidates = [part.strip().split(maxsplit=1) for part in value.split(",")]
            return ", ".join(" ".join([self.rewritten(url, file, "src", c[0]) or c[0], *c[1:]])
                             for c in candidates if c)
        if not (name in ("href", "src", "action") or value.startswith("/")):
            return value
        local = self.local_url(url, value) if not value.startswith(self.site_url) else None
        if local is None:
            return value
        parts = urlsplit(local)
        if parts.path == SEARCH_PATH:
            return relative_link(file, SEARCH_FILE, parts.fragment, parts.query)
        target = self.resolve(parts.path + (f"?{parts.query}" if parts.query else ""))
        if target is not None:
            return relative_link(file, target, parts.fragment)
        return self.site_url + local if name in ("href", "action") else None


def export_static_site(root: Path, base_url: str | None) -> StaticReport:
    """Writes the offline copy under root (an empty or new folder)."""
    app = rendering_app(base_url)
    try:
        return StaticSite(root, app).run()
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
