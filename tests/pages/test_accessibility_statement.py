"""The accessibility statement (/accessibilite): the parts RGAA asks for, in French and English, its
contact, and the link to it at the foot of every page."""
import pytest

from webapp.pages.statement import RIGHTS_DEFENDER_ADDRESS, RIGHTS_DEFENDER_FORM


@pytest.fixture
def app_config():
    return {"ACCESSIBILITY_CONTACT_EMAIL": "a11y@archive.example.fr"}


def test_the_statement_has_every_part_rgaa_asks_for(english_ui):
    response = english_ui.get("/accessibilite")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page
    for heading in ("Conformity status", "What was tested, and how", "Content that is not accessible",
                    "Feedback and contact", "Remedy"):
        assert f">{heading}</h2>" in page
    assert "partially compliant" in page and "RGAA), version 4.1" in page
    assert "axe-core 4.12.1" in page and "talk with slides" in page and "page through a slide deck" in page
    assert 'href="mailto:a11y@archive.example.fr"' in page
    assert f'href="{RIGHTS_DEFENDER_FORM}"' in page and RIGHTS_DEFENDER_ADDRESS in page


def test_the_statement_reads_in_french_by_default(client, compiled_translations):
    page = client.get("/accessibilite").get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "Libre réponse 71120, 75342 Paris CEDEX 07" in page


def test_the_english_address_leads_to_the_statement(client):
    response = client.get("/accessibility")
    assert response.status_code == 301 and response.headers["Location"] == "/accessibilite"


def test_every_page_links_to_it_in_its_footer(client, manage_client):
    for path in ("/", "/events/", "/nowhere"):
        page = client.get(path).get_data(as_text=True)
        assert 'href="/accessibilite"' in page.split('<footer class="site-footer">')[1], path
    organiser, _ = manage_client()  # the same client, now logged in
    workspace = organiser.get("/manage/").get_data(as_text=True)
    assert 'href="/accessibilite"' in workspace.split('<footer class="site-footer">')[1]


@pytest.mark.parametrize("settings, address", [
    ({"ACCESSIBILITY_CONTACT_EMAIL": None, "MAIL_DEFAULT_SENDER": "Causeries <bonjour@archive.example.fr>"},
     "bonjour@archive.example.fr"),
    ({"ACCESSIBILITY_CONTACT_EMAIL": None, "MAIL_DEFAULT_SENDER": None, "SITE_URL": "https://causeries.example.fr"},
     "accessibilite@causeries.example.fr"),
])
def test_without_a_contact_setting_the_statement_gives_the_sites_address(app, client, settings, address):
    app.config.update(settings)
    assert f'href="mailto:{address}"' in client.get("/accessibilite").get_data(as_text=True)
