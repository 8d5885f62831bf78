"""Markdown that gives back a stored HTML text, for the rich text that has no Markdown source.

Only a small subset is written: paragraphs, headings, flat lists, line breaks (as `<br>`, which
Markdown keeps, rather than two invisible trailing spaces), links, bold, italics and code. Anything
else gives None, and so does a result that would not render the very same page again (checked
through webapp.sanitize.markdown_to_html): the caller then shows the HTML as it is.
"""
import re
from html import unescape
from html.parser import HTMLParser

from webapp.sanitize import markdown_to_html

BLOCK_PREFIXES = {"p": "", "h2": "## ", "h3": "### ", "h4": "#### ", "h5": "##### ", "h6": "###### "}
INLINE_MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*"}
LIST_TAGS = frozenset({"ul", "ol"})
MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]])")
WHITE_SPACE = re.compile(r"\s+")
ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")
LINE_START_MARKERS = (
    (re.compile(r"^([#>])"), r"\\\1"),
    (re.compile(r"^([-+])(?=\s|$)"), r"\\\1"),
    (re.compile(r"^(\d+)\.(?=\s|$)"), r"\1\\."),
)
LAYOUT_TAGS = r"</?(?:p|ul|ol|li|h[2-6])>|<br>"
SPACE_AROUND_LAYOUT = re.compile(rf"\s*({LAYOUT_TAGS})\s*")
URL_BREAKERS = re.compile(r"[\s()<>]")
ESCAPING_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})  # written as their characters


class Unsupported(Exception):
    """HTML this module does not write as Markdown."""


def markdown_from_html(html: str) -> str | None:
    """Markdown that renders exactly this HTML page, or None."""
    try:
        markdown = _write(html)
    except Unsupported:
        return None
    return markdown if same_page(markdown_to_html(markdown), html) else None


def same_page(first: str, second: str) -> bool:
    """Whether two HTML texts show the same: white space counts once inside text, and not at all
    around paragraphs, headings, lists and line breaks. Never for preformatted text, where every
    space counts."""
    if "<pre" in first or "<pre" in second:
        return first == second
    return _layout_free(first) == _layout_free(second)


def _layout_free(html: str) -> str:
    return SPACE_AROUND_LAYOUT.sub(r"\1", " ".join(html.split()))


def _write(html: str) -> str:
    writer = MarkdownWriter()
    writer.feed(html)
    writer.close()
    if writer.open_tags:
        raise Unsupported("unclosed element")
    return "\n\n".join(writer.blocks)


def escape_text(text: str) -> str:
    """Text as Markdown writes it: its punctuation escaped, and no entity or tag made of it."""
    text = MARKDOWN_PUNCTUATION.sub(r"\\\1", WHITE_SPACE.sub(" ", text))
    return TAG_LIKE.sub("&lt;", ENTITY_LIKE.sub("&amp;", text))


def escape_line_starts(text: str) -> str:
    """Lines that would open a heading, a quote or a list keep their first character as text."""
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        for pattern, replacement in LINE_START_MARKERS:
            line = pattern.sub(replacement, line)
        lines.append(line)
    return "\n".join(lines)


class Link:
    """An <a> being written: where its text starts, and whether that text is only text."""

    def __init__(self, href: str, start: int):
        self.href, self.start, self.text, self.has_markup = href, start, "", False


class MarkdownWriter(HTMLParser):
    """Blocks of Markdown from the elements of the subset; Unsupported for anything else."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.blocks: list[str] = []
        self.open_tags: list[str] = []
        self.items: list[str] | None = None  # the open list's items
        self.parts: list[str] | None = None  # the open paragraph's, heading's or item's text
        self.link: Link | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            return self._write("<br>\n", is_markup=True)
        if self.parts is None:
            self._open_block(tag, attrs)
        else:
            self._open_inline(tag, dict(attrs))
        self.open_tags.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag != "br":
            raise Unsupported(f"<{tag}/>")
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if not self.open_tags or self.open_tags.pop() != tag:
            raise Unsupported(f"misplaced </{tag}>")
        if tag in BLOCK_PREFIXES:
            self.blocks.append(BLOCK_PREFIXES[tag] + escape_line_starts("".join(self.parts)))
        elif tag == "li":
            item = escape_line_starts("".join(self.parts)).replace("\n", "\n    ")
            self.items.append(self._item_marker() + item)
        elif tag in LIST_TAGS:
            self._close_list()
        else:
            return self._close_inline(tag)
        self.parts = None

    def handle_data(self, data):
        if self.parts is None:
            if data.strip():
                raise Unsupported("text outside a paragraph")
        elif self.open_tags[-1] == "code":
            self._write_code(data)
        else:
            self._write(escape_text(data))
            if self.link is not None:
                self.link.text += data

    def handle_entityref(self, name):
        """Entities stay as they are (Markdown keeps them), but for those that escape markup."""
        self._write_reference(f"&{name};", name in ESCAPING_ENTITIES)

    def handle_charref(self, name):
        self._write_reference(f"&#{name};", False)

    def _write_reference(self, reference: str, is_escape: bool) -> None:
        if is_escape or self.parts is None or self.open_tags[-1] == "code":
            return self.handle_data(unescape(reference))
        self._write(reference)
        if self.link is not None:
            self.link.text += unescape(reference)

    def _write(self, text: str, is_markup: bool = False) -> None:
        if self.parts is None:
            raise Unsupported("inline content outside a paragraph")
        self.parts.append(text)
        if self.link is not None and is_markup:
            self.link.has_markup = True

    # Blocks ------------------------------------------------------------------------------------

    def _open_block(self, tag: str, attrs: list) -> None:
        in_list = self.items is not None
        if attrs or (tag == "li") != in_list:
            raise Unsupported(f"<{tag}> here")
        if tag in LIST_TAGS:
            self.items = []
        elif tag in BLOCK_PREFIXES or tag == "li":
            self.parts = []
        else:
            raise Unsupported(f"<{tag}>")

    def _item_marker(self) -> str:
        return f"{len(self.items) + 1}. " if self.open_tags[-1] == "ol" else "- "

    def _close_list(self) -> None:
        if not self.items:
            raise Unsupported("empty list")
        self.blocks.append("\n".join(self.items))
        self.items = None

    # Inline elements ---------------------------------------------------------------------------

    def _open_inline(self, tag: str, attrs: dict) -> None:
        if tag == "a":
            return self._open_link(attrs)
        if attrs or (tag not in INLINE_MARKS and tag != "code"):
            raise Unsupported(f"<{tag}> inside text")
        self._write(INLINE_MARKS.get(tag, "`"), is_markup=True)

    def _close_inline(self, tag: str) -> None:
        if tag == "a":
            return self._close_link()
        self._write(INLINE_MARKS.get(tag, "`"), is_markup=True)

    def _write_code(self, data: str) -> None:
        if "`" in data or "\n" in data:
            raise Unsupported("code that Markdown would read otherwise")
        self._write(data, is_markup=True)

    def _open_link(self, attrs: dict) -> None:
        href = attrs.pop("href", None)
        attrs.pop("rel", None)  # the sanitiser writes it again
        if self.link is not None or attrs or not href or URL_BREAKERS.search(href):
            raise Unsupported("a link Markdown does not write")
        self.link = Link(href, len(self.parts))

    def _close_link(self) -> None:
        link, self.link = self.link, None
        if link.text == link.href and not link.has_markup:  # a bare address: the sanitiser links it
            self.parts[link.start:] = [link.href]
        else:
            self.parts[link.start:] = ["[", *self.parts[link.start:], f"]({link.href})"]
