"""webapp/sanitize.py: what survives, what does not (issue 5), and that cleaning is a fixed point."""
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.sanitize import (
    ALLOWED_TAGS,
    LINK_REL,
    markdown_to_html,
    parsed_text,
    plain_text_to_html,
    sanitize_html,
    strip_tags,
)

ALLOWED_SCHEMES = ("http:", "https:", "mailto:")


class TagCollector(HTMLParser):
    """The elements and attributes a browser would build from the output."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def is_safe_url(url: str) -> bool:
    compact = re.sub(r"[\x00-\x20\x7f]+", "", url).lower()
    scheme = re.match(r"([a-z][a-z0-9+.-]*):", compact)
    if scheme is not None:
        return compact.startswith(ALLOWED_SCHEMES)
    return not compact.startswith("//") and "\\" not in compact


def assert_harmless(html: str) -> None:
    for tag, attributes in TagCollector(html).elements:
        assert tag in ALLOWED_TAGS, html
        assert not any(name.startswith("on") or name in ("style", "src") for name in attributes), html
        if "href" in attributes:
            assert is_safe_url(attributes["href"]), html
            assert attributes.get("rel") == LINK_REL, html


@pytest.mark.parametrize("dangerous", [
    '<script>alert("x")</script>',
    "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
    "<style>body { background: url(javascript:alert(1)) }</style>",
    '<iframe src="https://xss.example"></iframe>',
    '<form action="https://xss.example"><button>go</button></form>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2Zz4=">',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    '<math><mtext><a xlink:href="javascript:alert(1)">m</a></mtext></math>',
    "<img src=x onerror=alert(1)>",
    '<p onclick="alert(1)" style="color:red">p</p>',
    '<body onload="alert(1)">b',
    '<a href="javascript:alert(1)">a</a>',
    '<a href="JaVaScRiPt:alert(1)">a</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">a</a>',
    '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">a</a>',
    '<a href="jav&#x09;ascript:alert(1)">a</a>',
    '<a href="jav\tascript:alert(1)">a</a>',
    '<a href="jav&#x0A;ascript:alert(1)">a</a>',
    '<a href=" &#14;  javascript:alert(1)">a</a>',
    '<a href="\x01javascript:alert(1)">a</a>',
    '<a href="javascript&colon;alert(1)">a</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">a</a>',
    '<a href="DATA:text/html,<script>alert(1)</script>">a</a>',
    '<a href="vbscript:msgbox(1)">a</a>',
    '<a href="VBScript&#58;msgbox(1)">a</a>',
    '<a href="//xss.example/x">a</a>',
    '<a href=" //xss.example/x">a</a>',
    '<a href="\\\\xss.example/x">a</a>',
    '<a href="/\\xss.example/x">a</a>',
    '<a href="/&#92;xss.example/x">a</a>',
    '<a href="&#47;&#47;xss.example">a</a>',
    '<<SCRIPT>alert("x");//<</SCRIPT>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<table background="javascript:alert(1)"><td background="javascript:alert(1)">t</td></table>',
    '<div style="width: expression(alert(1));">d</div>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<a href="https://ok.example" onmouseover="alert(1)">a</a>',
    "<IMG \"\"\"><SCRIPT>alert(1)</SCRIPT>\">",
])
def test_nothing_dangerous_survives(dangerous):
    for html in (sanitize_html(dangerous), markdown_to_html(dangerous)):
        assert_harmless(html)


@pytest.mark.parametrize("markdown", [
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "[click](vbscript:msgbox(1))",
    "[click](//xss.example)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
])
def test_markdown_links_keep_only_safe_urls(markdown):
    html = markdown_to_html(markdown)
    assert_harmless(html)
    assert "javascript" not in html.lower() and "xss.example" not in html


def test_links_get_the_rel_issue_5_asks_for_whatever_rel_they_had():
    html = markdown_to_html('[site](https://example.org) <a href="https://a.example" rel="opener">a</a>')
    assert html.count(f'rel="{LINK_REL}"') == 2
    assert "opener\"" not in html


def test_bare_addresses_become_links_with_rel():
    html = markdown_to_html("See www.example.org for more.")
    assert f'<a href="http://www.example.org" rel="{LINK_REL}">www.example.org</a>' in html


def test_script_and_style_vanish_with_their_content_other_tags_keep_their_text():
    html = sanitize_html("<p>before<script>alert(1)</script><style>p{}</style><blink>kept</blink></p>")
    assert html == "<p>beforekept</p>"


def test_safe_formatting_survives():
    html = markdown_to_html("## Title\n\n**bold** *it* `code`\n\n- one\n- two\n\n> quote")
    for tag in ("<h2>", "<strong>", "<em>", "<code>", "<ul>", "<li>", "<blockquote>"):
        assert tag in html


def test_safe_links_survive():
    html = sanitize_html('<a href="https://e.example/p?q=1&amp;r=2" title="t">x</a> '
                         '<a href="mailto:a@e.example">m</a> <a href="#part">p</a> <a href="/talks/x">t</a>')
    hrefs = [attributes["href"] for _, attributes in TagCollector(html).elements]
    assert hrefs == ["https://e.example/p?q=1&r=2", "mailto:a@e.example", "#part", "/talks/x"]


def test_text_that_looks_like_html_stays_text():
    assert sanitize_html("&lt;script&gt;alert(1)&lt;/script&gt;") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert markdown_to_html("`<script>`") == "<p><code>&lt;script&gt;</code></p>"
    assert strip_tags(markdown_to_html("a `<b>` c")) == "a <b> c"


PARSER_CHANGES = "<&" + "".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32)]))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters=PARSER_CHANGES)) | st.text(alphabet=" \t\n\r>\"'a;"))
def test_strip_tags_skips_the_parser_only_for_text_it_would_keep(text):
    assert strip_tags(text) == parsed_text(text)


@pytest.mark.parametrize("text", ["a\x0cb", "a\x00b", "a\x1cb", "a &amp; b", "a<b>c</b>"])
def test_strip_tags_parses_text_holding_markup_or_control_characters(text):
    assert strip_tags(text) == parsed_text(text)
    assert strip_tags(text) != " ".join(text.split())


def test_plain_text_loses_its_tags_and_keeps_its_text():
    html = plain_text_to_html("<script>alert(1)</script>\n\n<b>bold</b> &lt;i&gt;")
    assert html == "<p>alert(1)</p><p>bold &lt;i&gt;</p>"


def test_an_attribute_holding_quotes_and_ampersands_is_stable():
    once = sanitize_html('<a href= href="https://example.org/a?b=1&c=2">x</a>')
    assert sanitize_html(once) == once
    assert "&amp;amp;" not in once


def test_a_newline_opening_a_pre_block_survives_cleaning_again():
    once = sanitize_html("<pre>\n\ncode</pre>")
    assert once == "<pre>\n\ncode</pre>"
    assert sanitize_html(once) == once


def test_empty_input():
    assert sanitize_html(None) == sanitize_html("") == markdown_to_html(None) == ""


# --- the property: sanitising sanitised output changes nothing -----------------------------------

TAGS = ["a", "p", "b", "em", "strong", "code", "pre", "ul", "li", "table", "td", "tr", "h2", "blockquote",
        "script", "style", "iframe", "svg", "math", "img", "form", "div", "span", "noscript", "textarea",
        "template", "object", "title", "xmp", "select", "option", "mi", "mtext"]
ATTRIBUTE_NAMES = ["href", "title", "rel", "src", "onclick", "onerror", "style", "xlink:href", "class",
                   "colspan", "scope", "start", "id", "data-x"]
URLS = ["https://example.org/a?b=1&c=2", "http://e.example", "mailto:a@b.example", "#x", "/local",
        "javascript:alert(1)", "JaVa&#x09;ScRipt:alert(1)", "&#106;avascript:x", " data:text/html,x",
        "vbscript:x", "//evil.example", "\\\\evil.example", "/\\evil.example", "java\nscript:x",
        "www.example.org", "`javascript:x`", "http://[::1]", "https://ex ample.org"]
ENTITIES = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#x3C;", "&#60;", "&nbsp;", "&eacute;", "&bogus;",
            "&", "&#0;", "&#xD800;", "&lt;script&gt;"]
TEXTS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


def _attribute(draw) -> str:
    name = draw(st.sampled_from(ATTRIBUTE_NAMES))
    value = draw(st.one_of(st.sampled_from(URLS), TEXTS, st.sampled_from(ENTITIES)))
    quote = draw(st.sampled_from(['"', "'", "", '"unclosed']))
    return f" {name}={quote}{value}{quote[:1]}"


@st.composite
def html_fragments(draw) -> str:
    """Tags (closed, unclosed, stray closing), attributes, entities, comments and text, mixed."""
    parts = []
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["open", "close", "text", "entity", "comment", "markdown", "url"]))
        if kind == "open":
            tag = draw(st.sampled_from(TAGS))
            attributes = "".join(_attribute(draw) for _ in range(draw(st.integers(0, 3))))
            end = draw(st.sampled_from([">", "/>", ""]))
            parts.append(f"<{draw(st.sampled_from([tag, tag.upper()]))}{attributes}{end}")
        elif kind == "close":
            parts.append(f"</{draw(st.sampled_from(TAGS))}>")
        elif kind == "text":
            parts.append(draw(TEXTS))
        elif kind == "entity":
            parts.append(draw(st.sampled_from(ENTITIES)))
        elif kind == "comment":
            parts.append(draw(st.sampled_from(["<!--", "-->", "<!-- c -->", "<![CDATA[x]]>", "<!x>"])))
        elif kind == "markdown":
            parts.append(draw(st.sampled_from(["\n\n", "**", "*", "`", "- ", "# ", "> ", "    ", "\n"])))
        else:
            parts.append(f"[{draw(TEXTS)}]({draw(st.sampled_from(URLS))})")
    return "".join(parts)


@pytest.mark.parametrize("clean", [sanitize_html, markdown_to_html, plain_text_to_html])
@settings(max_examples=300, deadline=None)
@given(fragment=html_fragments())
def test_cleaning_cleaned_output_again_changes_nothing(clean, fragment):
    once = clean(fragment)
    assert sanitize_html(once) == once
    assert_harmless(once)
