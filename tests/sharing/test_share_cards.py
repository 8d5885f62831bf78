"""Share cards (og:image): the layout of what is drawn (no OCR here: the lines are read from the
layout function), the PNG served from a cache keyed by its content, a talk's first slide in its
place, and nothing for drafts or unknown talks."""
import io
import re
from html import unescape
from pathlib import Path

import pytest
from PIL import Image

from tests.catalogue.query_plans import recorded_statements
from webapp.models import Status
from webapp.sharing.cards import (
    ELLIPSIS,
    HEIGHT,
    INK,
    NO_BREAK_SPACE,
    SANS,
    SERIF_BOLD,
    TEXT_WIDTH,
    TITLE_SIZES,
    WIDTH,
    CardContent,
    card_layout,
    content_digest,
    font,
    wrap,
)
from webapp.sharing.queries import card_content
from webapp.slides.operations import attach_slides, process_pending_decks

SITE = "https://causeries.example"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def app_config():
    return {"SITE_URL": SITE}


def layout(title="Fablab en médiathèque", speakers=("Léa Dupont",), event="Journée INET · 2016",
           tag="#mednumsavoirs"):
    return card_layout(CardContent("Causeries", title, tuple(speakers), event, tag))


def fits(text: str, face) -> bool:
    return face.getlength(text) <= TEXT_WIDTH


# --- what is drawn -------------------------------------------------------------------------------

def test_a_short_title_is_one_line_at_the_largest_size():
    drawn = layout()
    assert drawn.title_lines == ("Fablab en médiathèque",) and drawn.title_size == TITLE_SIZES[0][0]
    assert (drawn.site_name, drawn.speakers, drawn.event, drawn.tag) == (
        "Causeries", "Léa Dupont", "Journée INET · 2016", "#mednumsavoirs")


def test_a_longer_title_wraps_whole_at_a_smaller_size():
    title = ("Fablab en médiathèque : retour d'expérience sur trois années de médiation numérique "
             "avec des publics éloignés du numérique")
    drawn = layout(title)
    assert drawn.title_size < TITLE_SIZES[0][0] and len(drawn.title_lines) > 1
    assert " ".join(drawn.title_lines).replace(NO_BREAK_SPACE, " ") == title
    assert all(fits(line, font(SERIF_BOLD, drawn.title_size)) for line in drawn.title_lines)


def test_french_punctuation_stays_with_its_word():
    title = "Médiation numérique en bibliothèque ; « les publics éloignés » : trois ans de fablab en médiathèque ?"
    for size, _ in TITLE_SIZES:
        lines = wrap(title, font(SERIF_BOLD, size), TEXT_WIDTH)
        assert not any(line.startswith((":", ";", "?", "»")) or line.endswith("«") for line in lines), lines


def test_a_title_too_long_for_the_card_is_ellipsised_on_its_last_line():
    title = " ".join(["Médiation numérique en bibliothèque"] * 12)
    drawn = layout(title)
    size, most = TITLE_SIZES[-1]
    assert drawn.title_size == size and len(drawn.title_lines) == most
    assert drawn.title_lines[-1].endswith(ELLIPSIS)
    assert title.startswith(" ".join(drawn.title_lines).removesuffix(ELLIPSIS))
    assert all(fits(line, font(SERIF_BOLD, size)) for line in drawn.title_lines)


def test_a_word_wider_than_the_card_is_broken():
    drawn = layout("Anticonstitutionnellement" * 3)
    assert len(drawn.title_lines) > 1 and "".join(drawn.title_lines) == "Anticonstitutionnellement" * 3


def test_many_speakers_and_a_long_event_are_ellipsised_beside_the_tag():
    speakers = [f"Intervenante numéro {n}" for n in range(12)]
    drawn = layout(speakers=speakers, event="Journée d'étude " * 10)
    assert drawn.speakers.startswith("Intervenante numéro 0, Intervenante numéro 1")
    assert drawn.speakers.endswith(ELLIPSIS) and fits(drawn.speakers, font(SANS, 34))
    assert drawn.event.endswith(ELLIPSIS) and drawn.tag == "#mednumsavoirs"
    assert font(SANS, 30).getlength(drawn.event) + font(SANS, 30).getlength(drawn.tag) < TEXT_WIDTH


def test_missing_speakers_event_and_tag_draw_nothing():
    drawn = layout(speakers=(), event=None, tag=None)
    assert (drawn.speakers, drawn.event, drawn.tag) == (None, None, None)


# --- the card served -----------------------------------------------------------------------------

def card_url(client, slug: str) -> str | None:
    html = client.get(f"/talks/{slug}").get_data(as_text=True)
    found = re.search(r'<meta property="og:image" content="([^"]+)">', html)
    return unescape(found.group(1)) if found else None


def meta(client, slug: str) -> dict:
    html = client.get(f"/talks/{slug}").get_data(as_text=True)
    pairs = re.findall(r'<meta (?:property|name)="((?:og|twitter):[\w:]+)" content="([^"]*)">', html)
    return {name: unescape(value) for name, value in pairs}


def fetch(client, url: str):
    response = client.get(url.removeprefix(SITE))
    data = response.get_data()
    response.close()
    return response, data


@pytest.fixture
def fablab(db, make_talk, make_speaker, make_event):
    event = make_event("Journée INET", tags=["mednumsavoirs"])
    talk = make_talk("Fablab en médiathèque", slug="fablab", event=event, speakers=[make_speaker("Léa Dupont")],
                     tags=["mednumsavoirs", "fablab"])
    db.session.commit()
    return talk


def test_the_talk_page_points_og_image_at_its_card(client, fablab):
    tags = meta(client, "fablab")
    assert re.fullmatch(rf"{SITE}/talks/fablab/card-[0-9a-f]{{20}}\.png", tags["og:image"])
    assert (tags["og:image:width"], tags["og:image:height"], tags["og:image:type"]) == ("1200", "630", "image/png")
    assert "Fablab en médiathèque" in tags["og:image:alt"] and "Léa Dupont" in tags["og:image:alt"]
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:image"] == tags["og:image"] and tags["twitter:image:alt"] == tags["og:image:alt"]


def test_the_talk_page_reads_its_slides_once_for_the_card_too(db, client, fablab):
    with recorded_statements(db.engine) as statements:
        assert client.get("/talks/fablab").status_code == 200  # no deck: the card is drawn from text
    assert sum("FROM slide_decks" in statement.sql for statement in statements) == 1


def test_the_card_is_a_1200_by_630_png_cached_for_a_year(client, fablab):
    response, data = fetch(client, card_url(client, "fablab"))
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert data.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(data)) as image:
        image.verify()
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("PNG", (WIDTH, HEIGHT))
    cache = response.headers["Cache-Control"]
    assert "max-age=31536000" in cache and "immutable" in cache and "public" in cache


def test_an_unchanged_talk_keeps_its_card_and_a_new_title_draws_another(app, client, db, fablab):
    first_url = card_url(client, "fablab")
    _, first = fetch(client, first_url)
    folder = app.config["SHARE_CARD_DIR"]
    drawn = {path.name: path.stat().st_mtime_ns for path in Path(folder).iterdir()}
    assert len(drawn) == 1
    assert card_url(client, "fablab") == first_url
    assert fetch(client, first_url)[1] == first
    assert {path.name: path.stat().st_mtime_ns for path in Path(folder).iterdir()} == drawn  # not drawn again

    fablab.title = "Fablab en médiathèque, trois ans après"
    db.session.commit()
    second_url = card_url(client, "fablab")
    assert second_url != first_url
    response, second = fetch(client, second_url)
    assert response.status_code == 200 and second != first
    moved = client.get(first_url.removeprefix(SITE))  # a network that read the page before the change
    assert moved.status_code == 302 and moved.headers["Location"].endswith(second_url.removeprefix(SITE))


def solid_pdf(rgb: tuple[float, float, float]) -> bytes:
    """A two-page landscape PDF whose first page is filled with one colour."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=landscape(A4))
    width, height = landscape(A4)
    pdf.setFillColorRGB(*rgb)
    pdf.rect(0, 0, width, height, stroke=0, fill=1)
    pdf.showPage()
    pdf.drawString(72, 300, "Deux")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_a_processed_deck_puts_its_first_slide_on_the_card(client, db, fablab):
    text_card_url = card_url(client, "fablab")
    attach_slides(fablab, io.BytesIO(solid_pdf((0.0, 0.6, 0.2))), "deck.pdf", None, "CC-BY-4.0")
    db.session.commit()
    assert card_url(client, "fablab") == text_card_url  # not processed yet: still the text card
    process_pending_decks()
    tags = meta(client, "fablab")
    assert tags["og:image"] != text_card_url
    assert tags["og:image:alt"] == "Première diapositive de l'intervention «\u202fFablab en médiathèque\u202f»"
    _, data = fetch(client, tags["og:image"])
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (WIDTH, HEIGHT)
        red, green, blue = image.convert("RGB").getpixel((WIDTH // 2, HEIGHT // 2))
        assert red < 30 and 130 < green < 175 and 25 < blue < 75  # the slide's own green
        assert image.convert("RGB").getpixel((5, HEIGHT // 2)) == Image.new("RGB", (1, 1), INK).getpixel((0, 0))


def test_drafts_have_no_card(client, db, make_talk, make_event):
    draft = make_talk("Brouillon", slug="brouillon", status=Status.DRAFT)
    in_draft_event = make_talk("Publié", slug="dans-un-brouillon", event=make_event(status=Status.DRAFT))
    db.session.commit()
    for talk in (draft, in_draft_event):
        key = content_digest(card_content(talk))  # the key its card would have
        assert client.get(f"/talks/{talk.slug}/card-{key}.png").status_code == 404


@pytest.mark.parametrize("path", [
    "/talks/nope/card-0123456789abcdef0123.png",
    "/talks/fablab/card-xyz.png",
    "/talks/fablab/card-0123456789ABCDEF0123.png",
    "/talks/fablab/card-0123456789abcdef01234.png",
    "/talks/fablab/card-.png",
    "/talks/" + "x" * 300 + "/card-0123456789abcdef0123.png",
])
def test_bad_addresses_are_404(client, fablab, path):
    assert client.get(path).status_code == 404
