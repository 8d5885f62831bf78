"""The "Slides" section of a talk's workspace page (and of the speakers' page): every version with
its status, size and licence by name; uploads listed at once as processing; a licence asked for,
never guessed, from the one vocabulary; sizes written for the locale."""
import io
import re
from datetime import timedelta

import pytest
from lxml import html as lxml_html

from webapp.models import DeckKind, DeckStatus, SlideDeck, SlidePage, Status
from webapp.models._base import utcnow

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
KEY = "cd" * 32


@pytest.fixture
def organiser(manage_client):
    client, _user = manage_client("organiser")
    return client


def talk_page_url(talk) -> str:
    return f"/manage/talks/{talk.id}/edit"


def upload_url(talk) -> str:
    return f"/manage/talks/{talk.id}/slides"


def post_upload(client, talk, pdf: bytes, *, licence="CC-BY-4.0", xhr=False, page_url=None, url=None):
    token = TOKEN.search(client.get(page_url or talk_page_url(talk)).get_data(as_text=True)).group(1)
    data = {"csrf_token": token, "file": (io.BytesIO(pdf), "journée.pdf")}
    if licence is not None:
        data["licence"] = licence
    headers = {"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"} if xhr else {}
    return client.post(url or upload_url(talk), data=data, headers=headers, content_type="multipart/form-data")


def section_of(response):
    assert response.status_code < 500
    [section] = lxml_html.fromstring(response.get_data(as_text=True)).xpath('//section[@id="slides"]')
    return section


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def rows_of(section) -> list:
    return section.xpath('.//tr[@data-deck-row]')


def deck_count(db) -> int:
    db.session.rollback()
    return db.session.query(SlideDeck).count()


@pytest.fixture
def add_deck(db):
    def add(talk, version, *, status=DeckStatus.READY, size=24_600, licence="CC-BY-SA-4.0", pages=0,
            error=None, is_current=False, lease_expires_at=None, kind=DeckKind.PDF):
        deck = SlideDeck(talk_id=talk.id, version=version, is_current=is_current, status=status, error=error,
                         kind=kind, original_name=f"v{version}.{kind.value}", sha256=KEY, size=size,
                         storage_key=KEY, licence=licence, lease_expires_at=lease_expires_at,
                         page_count=pages if status == DeckStatus.READY else None)
        deck.pages = [SlidePage(number=n, text=f"Page {n}") for n in range(1, pages + 1)]
        db.session.add(deck)
        db.session.commit()
        return deck

    return add


def test_the_talks_workspace_page_lists_every_version_with_its_status(db, organiser, make_talk, add_deck):
    talk = make_talk(slug="bilan")
    add_deck(talk, 1, status=DeckStatus.FAILED, error="Le fichier est tronqué.")
    add_deck(talk, 2, pages=12)
    add_deck(talk, 3, status=DeckStatus.PROCESSING, lease_expires_at=utcnow() + timedelta(minutes=5), pages=1)
    add_deck(talk, 4, status=DeckStatus.PROCESSING, is_current=True, licence="CC0-1.0")
    response = organiser.get(talk_page_url(talk))
    assert response.status_code == 200
    page = lxml_html.fromstring(response.get_data(as_text=True))
    assert page.xpath('//nav[@class="workspace-nav"]//a[@aria-current]/text()') == ["Talks"]
    section = section_of(response)
    statuses = [text_of(row.xpath('.//*[@data-deck-status-text]')[0]) for row in rows_of(section)]
    assert statuses == ["Waiting to be converted", "Converting: 1 slide ready", "Ready — 12 slides",
                        "Failed: Le fichier est tronqué."]
    assert [row.get("data-deck-stage") for row in rows_of(section)] == ["waiting", "converting", "ready",
                                                                       "failed"]
    current, converting, ready, _failed = rows_of(section)
    assert current.get("aria-current") == "true" and "CC0 1.0 — Public domain dedication" in text_of(current)
    assert current.xpath('.//progress[@data-deck-progress][not(@hidden)]')  # an indicator while processing
    assert ready.xpath('.//progress[@hidden]') and ready.xpath('.//a[@rel="license"]/text()') == [
        "CC BY-SA 4.0 — Attribution-ShareAlike"]
    assert "PDF, 24.6 kB" in text_of(ready)
    assert ready.xpath('.//a[@download]/@href')[0].endswith("/v2.pdf")
    assert section.xpath('.//p[@data-no-decks][@hidden]')
    assert section.xpath('.//a[@data-deck-view]/@href') == ["/talks/bilan#slides"] * 4


def test_the_old_slides_page_sends_to_the_section_and_the_talk_links_to_it(db, organiser, make_talk):
    talk = make_talk()
    db.session.commit()
    response = organiser.get(upload_url(talk))
    assert response.status_code == 302 and response.location.endswith(f"{talk_page_url(talk)}#slides")
    page = lxml_html.fromstring(organiser.get(talk_page_url(talk)).get_data(as_text=True))
    assert "#slides" in page.xpath("//a/@href")
    assert text_of(page.xpath('//p[@data-no-decks]')[0]) == "No slides have been uploaded for this talk yet."
    assert page.xpath('//table[@data-deck-table][@hidden]')


def test_the_licence_is_asked_for_without_a_choice_made_beforehand(db, organiser, make_talk):
    talk = make_talk(licence="CC-BY-4.0")
    db.session.commit()
    section = section_of(organiser.get(talk_page_url(talk)))
    [select] = section.xpath('.//select[@name="licence"]')
    options = select.xpath("./option")
    assert options[0].get("value") == "" and options[0].text == "Choose a licence"
    assert select.xpath("./option[@selected]/@value") in ([], [""])
    assert select.get("required") is not None
    labels = [option.text for option in options[1:]]
    assert "CC BY 4.0 — Attribution" in labels and "All rights reserved" in labels
    assert "The talk itself is under CC BY 4.0 — Attribution." in text_of(section)


def test_an_upload_without_javascript_is_listed_at_once_as_processing(db, organiser, make_talk, make_pdf):
    talk = make_talk()
    db.session.commit()
    response = post_upload(organiser, talk, make_pdf("Bienvenue"), licence="CC-BY-NC-4.0")
    assert response.status_code == 303 and response.location.endswith(f"{talk_page_url(talk)}#slides")
    after = organiser.get(response.location)
    section = section_of(after)
    [row] = rows_of(section)
    assert row.get("data-deck-status") == "processing" and row.get("aria-current") == "true"
    assert "Waiting to be converted" in text_of(row) and "CC BY-NC 4.0 — Attribution-NonCommercial" in text_of(row)
    assert section.xpath('.//p[@data-no-decks][@hidden]') and not section.xpath(".//table[@hidden]")
    assert "Version 1 of the slides was uploaded." in after.get_data(as_text=True)


def test_an_upload_with_javascript_answers_its_row_and_the_status_endpoint_follows_it(
        db, organiser, make_talk, make_pdf):
    from webapp.slides.operations import process_pending_decks

    talk = make_talk(slug="suivi", status=Status.DRAFT)
    db.session.commit()
    response = post_upload(organiser, talk, make_pdf("Un", "Deux"), xhr=True)
    assert response.status_code == 202
    body = response.get_json()
    assert body["deck"]["status"] == "processing" and body["deck"]["stage"] == "waiting"
    [row] = lxml_html.fragments_fromstring(body["row"])
    assert row.get("data-deck-row") == str(body["deck"]["id"]) and row.get("data-deck-status") == "processing"
    [deck] = organiser.get(body["poll_url"]).get_json()["decks"]  # a draft: organisers may read it
    assert deck["status_text"] == "Waiting to be converted" and deck["pages_done"] == 0
    process_pending_decks()
    [deck] = organiser.get(body["poll_url"]).get_json()["decks"]
    assert (deck["status"], deck["stage"], deck["pages"], deck["pages_done"]) == ("ready", "ready", 2, 2)
    assert deck["status_text"] == "Ready — 2 slides"


@pytest.mark.parametrize("licence, message", [(None, "Choose the licence of the slides."),
                                              ("", "Choose the licence of the slides."),
                                              ("WTFPL", "Choose the licence of the slides.")])
@pytest.mark.parametrize("xhr", [False, True])
def test_an_upload_without_a_licence_of_the_list_is_refused_and_nothing_kept(
        app, db, organiser, make_talk, make_pdf, licence, message, xhr):
    talk = make_talk(licence="CC-BY-4.0")  # the talk's licence is not taken for the deck's
    db.session.commit()
    response = post_upload(organiser, talk, make_pdf("x"), licence=licence, xhr=xhr)
    assert response.status_code == 400
    if xhr:
        assert response.get_json() == {"error": "invalid_form", "message": message}
    else:
        section = section_of(response)
        assert section.xpath('.//select[@name="licence"][@aria-invalid="true"]')
        assert message in text_of(section)
    assert deck_count(db) == 0


def test_a_refused_upload_without_javascript_shows_the_section_in_the_workspace(db, organiser, make_talk):
    talk = make_talk(title="Les grainothèques")
    db.session.commit()
    response = post_upload(organiser, talk, b"<html>not slides</html>")
    assert response.status_code == 415
    page = lxml_html.fromstring(response.get_data(as_text=True))
    assert page.xpath('//nav[@class="workspace-nav"]')
    assert page.xpath(f'//a[@href="{talk_page_url(talk)}#slides"]/text()') == [
        "Back to the talk “Les grainothèques”"]
    assert "PDF" in text_of(page.xpath('//*[@data-upload-message]')[0])


@pytest.mark.parametrize("sent, stored", [("CC-BY-SA-4.0", "CC-BY-SA-4.0"), ("cc by-sa 4.0", "CC-BY-SA-4.0"),
                                          ("https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
                                          ("CC0", "CC0-1.0"), (None, "etalab-2.0")])
def test_the_api_takes_the_licences_of_the_vocabulary_however_written(
        db, client, make_talk, make_pdf, make_user, api_token, sent, stored):
    make_talk(slug="api", licence="etalab-2.0")
    token = api_token(make_user("organiser"))
    data = {"file": (io.BytesIO(make_pdf("x")), "x.pdf"), **({"licence": sent} if sent else {})}
    response = client.post("/api/v1/talks/api/slides", data=data, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 202 and response.get_json()["licence"] == stored


def test_the_api_refuses_a_licence_outside_the_vocabulary(db, client, make_talk, make_pdf, make_user, api_token):
    make_talk(slug="api")
    token = api_token(make_user("organiser"))
    data = {"file": (io.BytesIO(make_pdf("x")), "x.pdf"), "licence": "WTFPL"}
    response = client.post("/api/v1/talks/api/slides", data=data, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_licence"
    assert "CC-BY-4.0" in response.get_json()["message"] and deck_count(db) == 0


def test_licences_spelled_the_old_ways_are_shown_by_name(db, client, organiser, make_talk, add_deck):
    talk = make_talk(slug="ancien", licence="CC BY 4.0")
    add_deck(talk, 1, licence="cc-by-sa-4.0", is_current=True, pages=1)
    section = section_of(organiser.get(talk_page_url(talk)))
    assert section.xpath('.//a[@rel="license"]/text()') == ["CC BY-SA 4.0 — Attribution-ShareAlike"]
    form = lxml_html.fromstring(organiser.get(talk_page_url(talk)).get_data(as_text=True))
    assert form.xpath('//select[@id="licence"]/option[@selected]/@value') == ["CC-BY-4.0"]
    client.set_cookie("lang", "en")
    public = client.get("/talks/ancien").get_data(as_text=True)
    assert '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license">CC BY 4.0 — Attribution</a>' in public
    assert '"license": "https://creativecommons.org/licenses/by/4.0/"' in public
    assert "CC BY-SA 4.0 — Attribution-ShareAlike" in public  # the deck's, beside the slides


def test_all_rights_reserved_is_named_without_a_link(db, client, make_talk, add_deck):
    talk = make_talk(slug="reserve", licence="LicenseRef-All-Rights-Reserved")
    add_deck(talk, 1, licence="LicenseRef-All-Rights-Reserved", is_current=True, pages=1)
    client.set_cookie("lang", "en")
    public = client.get("/talks/reserve").get_data(as_text=True)
    assert public.count("Licence: All rights reserved") == 3  # the talk's, the deck's, BibTeX's
    assert 'rel="license"' not in public
    assert '"license"' not in public  # schema.org's license is a URL: none for all rights reserved


@pytest.mark.parametrize("lang, size, limit", [("fr", "PDF, 24,6 ko", "Jusqu’à 100 Mo."),
                                              ("en", "PDF, 24.6 kB", "Up to 100 MB.")])
def test_sizes_are_written_for_the_locale(db, organiser, make_talk, add_deck, compiled_translations,
                                          lang, size, limit):
    talk = make_talk()
    add_deck(talk, 1, size=24_600, is_current=True, pages=1)
    organiser.set_cookie("lang", lang)
    text = text_of(section_of(organiser.get(talk_page_url(talk))))  # any space, no-break or not, is " "
    assert size in text and limit in text


class TestTooLarge:
    @pytest.fixture
    def app_config(self):
        return {"SLIDES_MAX_BYTES": 2_000, "SLIDES_SPEAKER_QUOTA_BYTES": 1_000}

    def test_the_size_limit_is_written_for_the_locale(self, db, organiser, make_talk, make_pdf):
        talk = make_talk()
        db.session.commit()
        response = post_upload(organiser, talk, make_pdf("big") + b"%" + b"x" * 3_000, xhr=True)
        assert response.status_code == 413
        assert response.get_json()["message"] == "The file is larger than the limit of 2 kB."


# The speakers' page follows the same rules -----------------------------------------------------

@pytest.fixture
def speaker(alice_speaking):
    """A speaker account owning the profile of the speaker of a draft talk; reads English."""
    client, [talk] = alice_speaking({"title": "Talk of Alice", "slug": "alice-talk", "status": Status.DRAFT})
    return client, talk


def speaker_page_url(talk) -> str:
    return f"/profile/talks/{talk.id}/slides"


def test_the_speakers_page_has_the_same_section_with_a_way_back(db, speaker, add_deck):
    client, talk = speaker
    add_deck(talk, 1, size=2_500_000, is_current=True, licence="CC-BY-4.0", pages=3)
    response = client.get(speaker_page_url(talk))
    page = lxml_html.fromstring(response.get_data(as_text=True))
    [back] = page.xpath('//a[text()="Back to your profile"]/@href')
    assert client.get(back, follow_redirects=True).status_code == 200
    section = section_of(response)
    [row] = rows_of(section)
    assert "PDF, 2.5 MB" in text_of(row) and "CC BY 4.0 — Attribution" in text_of(row)
    assert section.get("data-slides-status") == "/api/v1/talks/alice-talk/slides"
    assert section.xpath('.//select[@name="licence"]/option[1][@value=""]')
    assert "a@example.org" not in text_of(row)  # who uploaded is for organisers


def test_a_speaker_must_choose_the_licence_too(db, speaker, make_pdf):
    client, talk = speaker
    page_url = speaker_page_url(talk)
    refused = post_upload(client, talk, make_pdf("x"), licence="", page_url=page_url, url=page_url)
    assert refused.status_code == 400 and "Choose the licence of the slides." in refused.get_data(as_text=True)
    assert deck_count(db) == 0
    accepted = post_upload(client, talk, make_pdf("x"), licence="CC-BY-SA-4.0", xhr=True, page_url=page_url,
                           url=page_url)
    assert accepted.status_code == 202 and accepted.get_json()["deck"]["licence"] == "CC-BY-SA-4.0"


def test_a_speaker_follows_the_status_of_every_version_of_her_draft(db, speaker, add_deck):
    speaker_client, talk = speaker
    add_deck(talk, 1)
    add_deck(talk, 2, status=DeckStatus.PROCESSING, is_current=True)
    decks = speaker_client.get("/api/v1/talks/alice-talk/slides").get_json()["decks"]
    assert [(deck["version"], deck["stage"]) for deck in decks] == [(2, "waiting"), (1, "ready")]
