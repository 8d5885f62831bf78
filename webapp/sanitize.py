"""The one place where user HTML is cleaned. The only module that imports bleach.

Only the tags and attributes listed here survive; every other element is dropped, and the
raw-text elements (script, style) with their content. URLs keep http, https, mailto, anchors and
same-site paths; protocol-relative and backslash addresses ("//host", "\\host", "/\\host") are
dropped, whatever entities, case, whitespace or control characters disguise them.
Every link gets rel="nofollow noopener ugc". The output is a fixed point: cleaning it again
changes nothing.
"""
import html as html_lib
import re
from functools import lru_cache

import bleach
import markdown as markdown_lib
from bleach.html5lib_shim import Filter
from bleach.linkifier import DEFAULT_CALLBACKS

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul",
})
# Elements removed with everything inside them; other unknown tags lose only their tags.
DROPPED_WITH_CONTENT = frozenset({"script", "style"})
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
URL_NOISE = re.compile(r"[`\x00-\x20\x7f-\xa0\s]+")  # what browsers skip inside a URL
URL_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
XML_INCOMPATIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters no XML document holds
MARKUP_OR_CONTROL = re.compile(r"[<&\x00-\x08\x0b\x0c\x0e-\x1f]")  # what the HTML parser would change
BLOCK_TAG_START = re.compile(  # a tag that starts or ends a block, which words never straddle
    r"<(?=/?(?:p|div|li|ul|ol|dl|dd|dt|h[1-6]|br|hr|blockquote|pre|figure|figcaption|table|tr|td|th)\b)",
    re.IGNORECASE)


def _is_safe_href(value: str) -> bool:
    """An allowed scheme or none, once entities (even without ';') and noise are removed; and no
    address that leaves the site while looking relative ("//host", "\\host", "/\\host")."""
    compact = URL_NOISE.sub("", html_lib.unescape(value)).lower()
    scheme = URL_SCHEME.match(compact)
    if scheme is not None and scheme.group(1) not in ALLOWED_PROTOCOLS:
        return False
    return "\\" not in compact and not compact.startswith("//")


def _allow_link_attribute(tag: str, name: str, value: str) -> bool:
    return name == "title" or (name == "href" and _is_safe_href(value))


ALLOWED_ATTRIBUTES = {
    "a": _allow_link_attribute,
    "abbr": ["title"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
    "ol": ["start"],
}
LINK_REL = "nofollow noopener ugc"


def _set_rel(attrs, new=False):
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = LINK_REL
    return attrs


class DropContentFilter(Filter):
    """Remove the DROPPED_WITH_CONTENT elements and all they hold (their text is code, not prose)."""

    def __iter__(self):
        depth = 0
        for token in super().__iter__():
            name = token.get("name")
            if name in DROPPED_WITH_CONTENT and token["type"] == "StartTag":
                depth += 1
            elif name in DROPPED_WITH_CONTENT and token["type"] == "EndTag":
                depth = max(depth - 1, 0)
            elif depth == 0:
                yield token


class PreNewlineFilter(Filter):
    """Parsers drop one newline right after <pre>: write an extra one where the text starts with a
    newline, so that what is shown is what was parsed, and cleaning again changes nothing."""

    def __iter__(self):
        after_pre = False
        for token in super().__iter__():
            if after_pre and token["type"] in ("Characters", "SpaceCharacters") and token["data"][:1] == "\n":
                token = {**token, "data": "\n" + token["data"]}
            after_pre = token["type"] == "StartTag" and token["name"] == "pre"
            yield token


def _linkify(source):
    from bleach.linkifier import LinkifyFilter

    return LinkifyFilter(source, callbacks=[*DEFAULT_CALLBACKS, _set_rel], skip_tags={"pre", "code"})


@lru_cache(maxsize=1)
def _cleaner() -> bleach.Cleaner:
    """The parser sees the dropped elements (so their content is raw text), DropContentFilter removes
    them before anything is serialised."""
    cleaner = bleach.Cleaner(
        tags=ALLOWED_TAGS | DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[DropContentFilter, _linkify, PreNewlineFilter],
    )
    # Always quote attributes with '"' (a '"' inside becomes &quot;): bleach's serializer fixes '&'
    # only in double-quoted values, so a single-quoted one would gain an "&amp;" at every cleaning.
    cleaner.serializer.use_best_quote_char = False
    return cleaner


def sanitize_html(html: str | None) -> str:
    """Clean untrusted HTML: safe tags only, safe URLs only, rel on every link."""
    if not html:
        return ""
    return _cleaner().clean(XML_INCOMPATIBLE.sub("", html)).strip()


def markdown_to_html(text: str | None) -> str:
    """Render Markdown (raw HTML inside it included) and sanitise the result."""
    if not text:
        return ""
    return sanitize_html(markdown_lib.markdown(text, extensions=["extra", "sane_lists"]))


def plain_text_to_html(text: str | None) -> str:
    """Paragraphs from plain text (blank-line separated), escaped and linkified."""
    if not text or not text.strip():
        return ""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    escaped = (bleach.clean(p, tags=set(), strip=True) for p in paragraphs)
    return sanitize_html("".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in escaped))


def strip_tags(html: str | None) -> str:
    """Text content of HTML, for feeds, meta descriptions and the search index."""
    if not html:
        return ""
    if MARKUP_OR_CONTROL.search(html) is None:  # plain text, most summaries: the parser would keep it all
        return " ".join(html.split())
    return parsed_text(html)


def readable_text(html: str | None) -> str:
    """Text content of HTML as a reader reads it (the audit log): blocks apart, but words and their
    punctuation kept together around inline tags ("<strong>un</strong>." -> "un.")."""
    if not html:
        return ""
    cleaned = bleach.clean(BLOCK_TAG_START.sub(" <", html), tags=set(), strip=True, strip_comments=True)
    return " ".join(html_lib.unescape(cleaned).split())


def parsed_text(html: str) -> str:
    """strip_tags() through the HTML parser, whatever the input."""
    cleaned = bleach.clean(html.replace("<", " <"), tags=set(), strip=True, strip_comments=True)
    return " ".join(html_lib.unescape(cleaned).split())
