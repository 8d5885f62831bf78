"""Rich text: the Markdown its author writes, kept beside the sanitised HTML made from it.

Each rich column (Event.description, Talk.summary and the report sections, Speaker.bio) has a
`<column>_source` column: the Markdown exactly as it was typed, which every form shows again. A
column without source holds HTML written elsewhere (by an import, or saved before sources were
kept). Its form shows Markdown that renders the very same page when there is one
(core/html_to_markdown.py: checked, never guessed), else the HTML itself, with a note; that HTML,
sent back unchanged, is kept as it is. Functions here change attributes, never the session.
"""
from typing import NamedTuple

from webapp.core.html_to_markdown import markdown_from_html, same_page
from webapp.sanitize import markdown_to_html

MARKDOWN = "markdown"  # the author's Markdown
CONVERTED = "converted"  # stored HTML, shown as Markdown that renders the same page
HTML = "html"  # stored HTML that this Markdown cannot write, shown as it is


class EditableText(NamedTuple):
    """What a form shows in a rich text field, and where it comes from (MARKDOWN, CONVERTED, HTML)."""

    text: str
    origin: str


def source_column(column: str) -> str:
    return f"{column}_source"


def editable_text(html: str | None, source: str | None) -> EditableText:
    """The text to edit for a rich column holding `html`, rendered from `source` when known."""
    if source is not None or not html:
        return EditableText(source or "", MARKDOWN)
    markdown = markdown_from_html(html)
    if markdown is not None:
        return EditableText(markdown, CONVERTED)
    return EditableText(html, HTML)


def editable_column(obj, column: str) -> EditableText:
    return editable_text(getattr(obj, column), getattr(obj, source_column(column)))


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n")


def rich_text_values(text: str | None, html_before: str | None, source_before: str | None):
    """(html, source) to store for the text a form sent back: its Markdown and the HTML made
    from it; stored HTML without source that comes back unchanged is kept as it was, and so is
    stored HTML that the new text renders the same."""
    text = _lines(text or "")
    if not text.strip():
        return None, None
    if source_before is None and html_before and text == _lines(html_before):
        return html_before, None
    html = markdown_to_html(text) or None
    if html and html_before and same_page(html, html_before):
        html = html_before  # no change for the page, the audit log or the search index
    return html, text


def set_rich_text(obj, column: str, text: str | None) -> None:
    """Store what a form sent for a rich column of obj, and its source beside it."""
    html, source = rich_text_values(text, getattr(obj, column), getattr(obj, source_column(column)))
    setattr(obj, column, html)
    setattr(obj, source_column(column), source)


def imported_html(row, **html_by_column: str | None) -> dict:
    """Column values for HTML written without Markdown (an import) into row (None: a new one):
    a column whose HTML changes loses its source; one whose HTML stays keeps the Markdown that
    renders it."""
    values = dict(html_by_column)
    for column, html in html_by_column.items():
        is_kept = row is not None and getattr(row, column) == html
        values[source_column(column)] = getattr(row, source_column(column)) if is_kept else None
    return values
