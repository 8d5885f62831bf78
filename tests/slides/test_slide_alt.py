"""A slide image's text alternative: its place in the deck, then its own text, cut at a whole word."""
from types import SimpleNamespace

from webapp.slides.template_helpers import ALT_TEXT_LIMIT, short_text, slide_alt


def test_a_slide_with_text_is_named_by_it(app):
    page = SimpleNamespace(number=3, text="Les grainothèques\n  partagées ")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert slide_alt(page, 12) == "Slide 3 of 12: Les grainothèques partagées"


def test_a_slide_without_text_is_named_by_its_place(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert slide_alt(SimpleNamespace(number=1, text="  \n"), 2) == "Slide 1 of 2"
        assert slide_alt(SimpleNamespace(number=2, text=None), 2) == "Slide 2 of 2"


def test_a_long_text_is_cut_at_the_last_whole_word():
    text = "médiation " * 40
    cut = short_text(text)
    assert len(cut) <= ALT_TEXT_LIMIT + 1 and cut.endswith("médiation…")
    assert short_text("x" * 400).endswith("…") and len(short_text("x" * 400)) == ALT_TEXT_LIMIT + 1
