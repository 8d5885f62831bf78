"""In Chromium, with the page cache on: a visitor's reload of a cached talk page is answered 304
(the page shows, with no CSP violation or error), and an organiser's edit in /manage, made from
another browser, shows on the visitor's next reload; the organiser's own pages are never the
visitors' cached copy."""
import pytest

from tests.browser.conftest import ACCOUNT_PASSWORD, other_page

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {"PAGE_CACHE": "filesystem"}


def log_in(page, email: str, path: str) -> None:
    page.goto(path)  # anonymous: the login form, then back
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(ACCOUNT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**{path}")


@pytest.fixture
def talk_page_statuses(app):
    """The statuses the server answered /talks/fablab with (the browser shows a 304 as a 200),
    hits included, which the page cache answers before Flask sees the request."""
    statuses, serve = [], app.wsgi_app

    def recording(environ, start_response):
        def start(status, headers, *exc_info):
            if environ["PATH_INFO"] == "/talks/fablab":
                statuses.append(int(status.split()[0]))
            return start_response(status, headers, *exc_info)

        return serve(environ, start)

    app.wsgi_app = recording
    yield statuses
    app.wsgi_app = serve


def test_a_cached_page_revalidates_and_shows_an_organisers_edit(page, db, make_user, make_talk,
                                                                talk_page_statuses):
    talk = make_talk("Le fablab de la médiathèque", slug="fablab", licence="CC-BY-4.0")
    make_user("organiser", email="orga@example.org", password=ACCOUNT_PASSWORD)
    db.session.commit()
    first = page.goto("/talks/fablab")
    assert first.status == 200 and first.headers["etag"]
    page.reload()
    assert talk_page_statuses == [200, 304]  # Chromium asked again (no-cache) with If-None-Match
    assert page.get_by_role("heading", level=1).inner_text() == "Le fablab de la médiathèque"

    organiser = other_page(page)
    log_in(organiser, "orga@example.org", f"/manage/talks/{talk.id}/edit")
    organiser.get_by_label("Titre", exact=True).fill("Le fablab, deux ans après")
    organiser.locator("main form").get_by_role("button", name="Enregistrer", exact=True).first.click()
    organiser.wait_for_load_state()
    organiser.goto("/talks/fablab")
    assert organiser.get_by_role("button", name="Se déconnecter").is_visible()  # not the visitors' copy

    assert page.reload().status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "Le fablab, deux ans après"
    assert page.get_by_role("button", name="Se déconnecter").count() == 0
    organiser.context.close()
    assert page.problems.messages == []
