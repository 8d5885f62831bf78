"""Language choice: switcher cookie, then Accept-Language, then French; localised dates."""
from datetime import date

import pytest
from lxml import html as lxml_html

from webapp.core.i18n import LOCALE_COOKIE, is_local_path

pytestmark = pytest.mark.usefixtures("compiled_translations")


def html_lang(response) -> str:
    return lxml_html.fromstring(response.get_data(as_text=True)).get("lang")


def test_french_is_the_default(client):
    response = client.get("/")
    assert html_lang(response) == "fr"
    assert "Aller au contenu" in response.get_data(as_text=True)


def test_accept_language_chooses_english(client):
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert html_lang(response) == "en"
    assert "Skip to content" in response.get_data(as_text=True)


def test_unsupported_accept_language_falls_back_to_french(client):
    assert html_lang(client.get("/", headers={"Accept-Language": "de, it;q=0.5"})) == "fr"


def test_switcher_sets_a_cookie_that_wins_over_accept_language(client):
    response = client.get("/lang/en?next=/speakers/")
    assert response.status_code == 302 and response.headers["Location"] == "/speakers/"
    cookie = client.get_cookie(LOCALE_COOKIE)
    assert cookie.value == "en" and cookie.http_only
    assert html_lang(client.get("/", headers={"Accept-Language": "fr"})) == "en"
    client.get("/lang/fr")
    assert html_lang(client.get("/", headers={"Accept-Language": "en"})) == "fr"


def test_switcher_keeps_the_query_string_of_a_local_next(client):
    response = client.get("/lang/en", query_string={"next": "/speakers/?letter=m&page=2"})
    assert response.headers["Location"] == "/speakers/?letter=m&page=2"


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example", "javascript:alert(1)",
    "http:/evil.example", "", "events/",
])
def test_switcher_never_redirects_off_site(client, target):
    response = client.get("/lang/en", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_switcher_refuses_control_characters_in_next_without_redirecting(client):
    response = client.get("/lang/en", query_string={"next": "/\t/evil.example"})
    assert response.status_code == 400
    assert "Location" not in response.headers


def test_switcher_rejects_unknown_languages(client):
    assert client.get("/lang/de").status_code == 404
    assert client.get_cookie(LOCALE_COOKIE) is None


def test_is_local_path():
    assert is_local_path("/talks/x?page=2")
    assert not is_local_path("//x") and not is_local_path("/\x00") and not is_local_path(None)


def test_language_switcher_links_back_to_the_current_page(client):
    doc = lxml_html.fromstring(client.get("/speakers/?letter=m").get_data(as_text=True))
    links = doc.xpath('//nav[@class="language-switcher"]//a')
    assert [(a.text, a.get("lang")) for a in links] == [("English", "en")]
    assert links[0].get("href") == "/lang/en?next=/speakers/?letter%3Dm"
    assert doc.xpath('//nav[@class="language-switcher"]//span[@aria-current]/text()') == ["Français"]


def test_responses_vary_on_language_inputs(client):
    vary = client.get("/").headers["Vary"]
    assert "Accept-Language" in vary and "Cookie" in vary


def test_dates_are_written_in_the_page_language(db, client, make_talk, make_event):
    talk = make_talk(event=make_event(start_date=date(2016, 10, 5)))
    db.session.commit()
    french = client.get(f"/talks/{talk.slug}").get_data(as_text=True)
    english = client.get(f"/talks/{talk.slug}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "5 octobre 2016" in french and "October 5, 2016" in english


def test_french_citation_and_headings(db, client, make_talk, make_speaker):
    talk = make_talk("Titre", speakers=[make_speaker("Anne Martin"), make_speaker("Paul Durand")],
                     lessons="<p>Oser</p>")
    db.session.commit()
    body = client.get(f"/talks/{talk.slug}").get_data(as_text=True)
    # APA as adapted to French (the CSL style apa-fr-provost, formatted by citeproc-py)
    assert "Martin, A., &amp; Durand, P. (2016, 5 octobre). Titre. Communication présentée" in body
    assert "Enseignements" in body and "Citer cette intervention" in body


def test_french_catalogue_translates_every_public_string():
    from pathlib import Path

    from babel.messages.pofile import read_po

    po = Path(__file__).parents[2] / "webapp/translations/fr/LC_MESSAGES/messages.po"
    with po.open("rb") as po_file:
        catalog = read_po(po_file)
    public_sources = ("webapp/catalogue/templates/public", "webapp/templates/base", "webapp/templates/macros",
                      "webapp/templates/errors", "webapp/catalogue/", "webapp/core/errors.py")
    untranslated = [m.id for m in catalog if m.id and not m.string and any(
        loc.startswith(public_sources) for loc, _ in m.locations)]
    assert untranslated == []
