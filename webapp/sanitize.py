"""The one place where user HTML is cleaned. The only module that imports bleach."""
import html as html_lib
from functools import lru_cache

import bleach
import markdown as markdown_lib
from bleach.linkifier import DEFAULT_CALLBACKS

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul",
})
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
    "ol": ["start"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener ugc"


def _set_rel(attrs, new=False):
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = LINK_REL
    return attrs


@lru_cache(maxsize=1)
def _cleaner() -> bleach.Cleaner:
    from bleach.linkifier import LinkifyFilter

    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[lambda source: LinkifyFilter(source, callbacks=[*DEFAULT_CALLBACKS, _set_rel],
                                              skip_tags={"pre", "code"})],
    )


def sanitize_html(html: str | None) -> str:
    """Clean untrusted HTML: safe tags only, safe URLs only, rel on every link."""
    if not html:
        return ""
    return _cleaner().clean(html).strip()


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
    cleaned = bleach.clean(html.replace("<", " <"), tags=set(), strip=True, strip_comments=True)
    return " ".join(html_lib.unescape(cleaned).split())
