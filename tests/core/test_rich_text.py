"""Rich text keeps its Markdown: stored HTML without source is edited as Markdown only when that
Markdown gives the very same page; otherwise it is shown, and kept, as HTML."""
import json
from pathlib import Path

import pytest

from webapp.core.html_to_markdown import markdown_from_html, same_page
from webapp.core.rich_text import CONVERTED, HTML, MARKDOWN, editable_text, rich_text_values
from webapp.sanitize import markdown_to_html, plain_text_to_html

PYVIDEO_DIR = Path(__file__).parents[2] / "data" / "pyvideo-fr"

# What an import stores (plain text made HTML), and what the forms stored before sources were kept.
PLAIN_TEXTS = [
    "Un retour d'expérience.",
    "Deux lignes\net une *étoile*, AT&T, 3 < 4, &copy; et C_est_un_nom.",
    "Programme :\n- ateliers\n- bilan\n# pas un titre\n1. pas une liste\n> pas une citation",
    "Le site https://example.org/a_b?x=1&y=2 et example.org.\n\nSecond paragraphe [entre crochets].",
]
MARKDOWN_TEXTS = [
    "Un **bilan** et *trois* ateliers.\n\n- un\n- deux **gras**\n\n1. premier\n2. second",
    "## Contexte\n\nUne ligne  \npuis une autre, un [lien](https://example.org/x) et `du code & <b>`.",
]


@pytest.mark.parametrize("text", PLAIN_TEXTS)
def test_imported_html_is_edited_as_markdown_that_gives_the_same_page(text):
    html = plain_text_to_html(text)
    markdown = markdown_from_html(html)
    assert markdown is not None and "<p>" not in markdown
    assert same_page(markdown_to_html(markdown), html)


@pytest.mark.parametrize("source", MARKDOWN_TEXTS)
def test_html_saved_from_markdown_without_its_source_is_written_back_as_markdown(source):
    html = markdown_to_html(source)
    markdown = markdown_from_html(html)
    assert "**" in markdown or "##" in markdown
    assert same_page(markdown_to_html(markdown), html)


def test_almost_every_shipped_pyvideo_description_opens_as_markdown():
    htmls = [plain_text_to_html(json.loads(path.read_text("utf-8")).get("description") or "")
             for path in PYVIDEO_DIR.glob("*/videos/*.json")]
    htmls = [html for html in htmls if html]
    converted = [html for html in htmls if markdown_from_html(html) is not None]
    assert len(converted) >= 0.95 * len(htmls)


@pytest.mark.parametrize("html", [
    "<blockquote><p>Une citation</p></blockquote>",
    "<table><tbody><tr><td>1</td></tr></tbody></table>",
    "<ul><li>un<ul><li>imbriqué</li></ul></li></ul>",
    '<p><a href="https://example.org" title="titre">lien</a></p>',
    "<pre><code>du code</code></pre>",
    "<p>Overview<br>========</p>",  # Markdown would read a heading
    "du texte sans paragraphe",
])
def test_html_markdown_cannot_write_the_same_stays_html(html):
    assert markdown_from_html(html) is None
    assert editable_text(html, None) == (html, HTML)


def test_the_source_is_what_the_form_shows():
    assert editable_text("<p>x</p>", "  *x*\n") == ("  *x*\n", MARKDOWN)
    assert editable_text(None, None) == ("", MARKDOWN)
    assert editable_text("<p>Un <strong>bilan</strong></p>", None) == ("Un **bilan**", CONVERTED)


def test_markdown_sent_is_kept_exactly_beside_its_html():
    assert rich_text_values("Un **bilan**\r\n\r\n  - point  \r\n", None, None) == (
        markdown_to_html("Un **bilan**\n\n  - point  \n"), "Un **bilan**\n\n  - point  \n")
    assert rich_text_values("  \r\n ", "<p>x</p>", "x") == (None, None)


def test_stored_html_sent_back_unchanged_is_kept_as_it_is():
    html = "<blockquote>\n<p>Une citation</p>\n</blockquote>"
    assert rich_text_values(html.replace("\n", "\r\n"), html, None) == (html, None)
    edited = html.replace("citation", "citation revue")
    assert rich_text_values(edited, html, None) == (markdown_to_html(edited), edited)
    # with a source, the same text is Markdown like any other
    assert rich_text_values(html, html, "> Une citation") == (markdown_to_html(html), html)


def test_markdown_that_renders_the_same_page_leaves_the_stored_html_as_it_was():
    imported = "<p>Un bilan</p><p>en deux</p>"
    assert rich_text_values("Un bilan\n\nen deux", imported, None) == (imported, "Un bilan\n\nen deux")
    code = "<pre><code>a  b\n</code></pre>"
    assert same_page(code, code) and not same_page(code, "<pre><code>a b\n</code></pre>")
    assert rich_text_values("    a b", code, "    a  b") == (markdown_to_html("    a b"), "    a b")
