"""The "Cite this talk" block in a real Chromium, in French and in English: the formatted
references show, and each download answers its media type under the talk's file name."""
from datetime import date
from pathlib import Path

import pytest
import rispy

from tests.browser.conftest import other_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("compiled_translations")]

TYPES = {"ris": "application/x-research-info-systems", "csl.json": "application/vnd.citationstyles.csl+json",
         "bib": "application/x-bibtex"}


@pytest.fixture
def talk_to_cite(db, make_event, make_talk, make_speaker):
    event = make_event("Journée d'étude", slug="journee", place="Lyon", start_date=date(2016, 10, 5))
    talk = make_talk("Médiation & {savoirs}", slug="mediation", event=event, language="fr",
                     speakers=[make_speaker("Sophie Perrusson"), make_speaker("Jean de La Fontaine")])
    db.session.commit()
    return talk


def _check_cite_block(page, references: dict[str, str]):
    page.goto("/talks/mediation")
    for style, start in references.items():
        text = page.locator(f"[data-citation-style='{style}'] .citation__text").inner_text()
        assert text.startswith(start), text
    for extension, media_type in TYPES.items():
        link = page.locator(f".citation-downloads a[data-citation-format='{extension}']")
        with page.expect_download() as info:
            link.click()
        assert info.value.suggested_filename == f"mediation.{extension}"
        response = page.request.get(link.get_attribute("href"))
        assert response.headers["content-type"].split(";")[0] == media_type
    with page.expect_download() as info:
        page.locator(".citation-downloads a[data-citation-format='ris']").click()
    [record] = rispy.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert record["title"] == "Médiation & {savoirs}"


def test_the_cite_block_in_french_and_in_english(page, talk_to_cite):
    _check_cite_block(page, {"iso-690": "PERRUSSON, Sophie et DE LA FONTAINE, Jean, 2016. Médiation & {savoirs}",
                             "apa": "Perrusson, S., & de La Fontaine, J. (2016, 5 octobre)."})
    english = other_page(page, locale="en-GB")
    _check_cite_block(english, {"iso-690": "PERRUSSON, Sophie and DE LA FONTAINE, Jean, 2016. Médiation & {savoirs}",
                                "apa": "Perrusson, S., & de La Fontaine, J. (2016, October 5). Médiation & {savoirs} "
                                       "[Conference presentation]. Journée d'étude, Lyon."})
    english.context.close()
