"""French pages follow French typography: a narrow no-break space before : ; ? ! (and inside « »),
'1er' for the first of the month, decimal commas, 'ko'/'Mo'. Every page type is rendered in French
and its visible text checked; so is every French message of the catalogue."""
import io
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from webapp.models import Status
from webapp.slides.operations import attach_slides, process_pending_decks

FRENCH_CATALOGUE = Path(__file__).resolve().parents[2] / "webapp/translations/fr/LC_MESSAGES/messages.po"
SPACES = "\u202f\u00a0"
# A : ; ? or ! that ends a word without the narrow no-break space, outside times (14:30) and URLs.
BARE_PUNCTUATION = re.compile(rf"(?<![{SPACES}\d/])(?<!https)(?<!http)[:;?!](?=[\s»)]|$)")
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
FIRST_WITHOUT_ORDINAL = re.compile(rf"(?<![\d,])1[ {SPACES}](?:{MONTHS}|janv\.|févr\.|oct\.|déc\.)")
# A decimal point, except in a version number: CC-BY-4.0, CC BY 4.0, CC0 1.0, Etalab 2.0.
DOT_DECIMAL = re.compile(r"(?<![\d.\w-])(?<![A-Z]{2} )(?<![A-Z]\d )(?<!Etalab )\d+\.\d+(?![\d.])")
ENGLISH_UNITS = re.compile(r"\d[ \u00a0]?(?:kB|MB|GB)\b")


class VisibleText(HTMLParser):
    """The text a reader sees: no script, style or template content, no attributes."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style", "template")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style", "template") and self._hidden > 0

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return re.sub(r"[ \t\n\r\f\v]+", " ", " ".join(parser.parts)).strip()  # no-break spaces kept


def typography_faults(text: str) -> list[str]:
    faults = []
    for pattern, what in ((BARE_PUNCTUATION, "no narrow space before"), (FIRST_WITHOUT_ORDINAL, "1 not 1er"),
                          (DOT_DECIMAL, "decimal point"), (ENGLISH_UNITS, "English unit")):
        faults += [f"{what}: …{text[max(0, m.start() - 30):m.end() + 10]}…" for m in pattern.finditer(text)]
    faults += [f"guillemet spacing: …{text[max(0, m.start() - 20):m.end() + 20]}…"
               for m in re.finditer(r"«[^\u202f\u00a0]|[^\u202f\u00a0]»", text)]
    faults += [f"more than one space: …{text[max(0, m.start() - 20):m.end() + 20]}…"
               for m in re.finditer(r"[\u202f\u00a0][ \u202f\u00a0]|[ \u202f\u00a0][\u202f\u00a0]", text)]
    return faults


def test_every_french_message_of_the_catalogue_follows_french_typography():
    with FRENCH_CATALOGUE.open("rb") as file:
        catalogue = read_po(file)
    faults = []
    for message in (message for message in catalogue if message.id):  # not the header
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in filter(None, strings):
            placeholders_out = re.sub(r"%\(\w+\)[sd]", "X", text)
            faults += [f"{message.id!r}: {fault}" for fault in typography_faults(placeholders_out)]
    assert faults == []


@pytest.fixture
def french_archive(db, make_event, make_talk, make_speaker, make_pdf, drain):
    speaker = make_speaker("Sophie Perrusson", slug="sophie-perrusson", organisation="Médiathèques")
    event = make_event("Journée des médiathèques", slug="journee", start_date=date(2016, 12, 1),
                       end_date=date(2016, 12, 2), tags=["mednumsavoirs"])
    talk = make_talk("Politique de médiation numérique", slug="mediation", event=event,
                     speakers=[speaker], tags=["mednumsavoirs"], given_on=date(2016, 12, 1))
    make_talk("Atelier en préparation", event=event, status=Status.DRAFT)
    attach_slides(talk, io.BytesIO(make_pdf("Bienvenue", "Bilan")), "bilan.pdf")
    db.session.commit()
    process_pending_decks()
    db.session.commit()
    drain()
    return {"event": event, "talk": talk, "speaker": speaker}


PUBLIC_PAGES = ("/", "/events/", "/events/journee", "/talks/mediation", "/speakers/",
                "/speakers/sophie-perrusson", "/tags/", "/tags/mednumsavoirs", "/search?q=mediatoin",
                "/search?q=médiation", "/login", "/password/forgot", "/nowhere")


def workspace_pages(archive) -> tuple[str, ...]:
    event, talk, speaker = archive["event"], archive["talk"], archive["speaker"]
    return ("/manage/", "/manage/events/", f"/manage/events/{event.id}/edit", f"/manage/events/{event.id}/programme",
            f"/manage/events/{event.id}/preview", "/manage/talks/", f"/manage/talks/{talk.id}/edit",
            f"/manage/talks/{talk.id}/preview", "/manage/speakers/",
            f"/manage/speakers/{speaker.id}/edit", "/manage/tags/", "/manage/stats", "/manage/audit",
            "/manage/accounts", "/manage/events/new", "/manage/talks/new")


def french_faults(client, paths) -> dict[str, list[str]]:
    faults = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        found = typography_faults(visible_text(response.get_data(as_text=True)))
        if found:
            faults[path] = found
    return faults


def test_public_pages_in_french_follow_french_typography(client, french_archive):
    client.set_cookie("lang", "fr")
    assert french_faults(client, PUBLIC_PAGES) == {}


def test_workspace_pages_in_french_follow_french_typography(french_archive, manage_client):
    admin, _ = manage_client("admin")
    admin.set_cookie("lang", "fr")
    assert french_faults(admin, workspace_pages(french_archive)) == {}


def test_dates_and_sizes_are_written_the_french_way(client, french_archive):
    client.set_cookie("lang", "fr")
    event_page = visible_text(client.get("/events/journee").get_data(as_text=True))
    assert "1er–2 déc. 2016" in event_page or "1er–2 décembre 2016" in event_page
    talk_page = visible_text(client.get("/talks/mediation").get_data(as_text=True))
    assert re.search(r"\d+(,\d)?[\u00a0 ]ko", talk_page), talk_page
