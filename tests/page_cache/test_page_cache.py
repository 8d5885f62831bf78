"""The page cache in one process: hits and misses, keys, what goes past it, validators and 304s,
the security headers of a hit."""
from contextlib import contextmanager

import pytest
from flask import make_response, render_template_string, session

from webapp.core.security_headers import CONTENT_SECURITY_POLICY

SECURITY_HEADERS = ("Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options",
                    "Permissions-Policy")


# --- hits and misses -------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/talks/fablab", "/events/journee", "/speakers/", "/tags/mednumsavoirs",
                                  "/", "/events/", "/feeds/talks.atom", "/sitemap.xml"])
def test_a_public_page_is_rendered_once_then_served_without_a_query_or_a_template(
        client, fetch, talk, path):
    first = fetch(client, path)
    assert first.response.status_code == 200 and first.statements
    again = fetch(client, path)
    assert again.response.status_code == 200 and again.is_hit, again.statements
    assert again.response.data == first.response.data
    assert again.response.headers["Content-Type"] == first.response.headers["Content-Type"]


@pytest.fixture
def same_site(app, db):
    """same_site(**changes): a context manager giving the test client of another app on the same
    folder and database, as another gunicorn worker would be, inside that app's context."""
    from webapp import create_app

    @contextmanager
    def serving(**changes):
        config = {key: app.config[key] for key in ("TESTING", "SECRET_KEY", "SEARCH_INDEX_DIR", "UPLOAD_DIR",
                                                   "PAGE_CACHE", "PAGE_CACHE_DIR", "SITE_URL")}
        other = create_app({**config, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], **changes})
        with other.app_context():
            try:
                yield other.test_client()
            finally:
                db.session.remove()
                db.engine.dispose()

    return serving


def test_every_worker_reads_the_same_cache_and_generation(db, client, fetch, talk, same_site):
    assert not fetch(client, "/talks/fablab").is_hit
    with same_site() as other_client:
        assert fetch(other_client, "/talks/fablab").is_hit
    talk.title = "Changé par un autre processus"
    db.session.commit()
    with same_site() as other_client:
        assert "Changé par un autre processus" in fetch(other_client, "/talks/fablab").text


def test_a_site_at_another_address_never_reads_these_pages(client, fetch, talk, same_site):
    assert 'href="http://127.0.0.1:8000/talks/fablab"' in fetch(client, "/talks/fablab").text
    with same_site(SITE_URL="https://causeries.example.org") as moved_client:
        served = fetch(moved_client, "/talks/fablab")
    assert not served.is_hit and 'href="https://causeries.example.org/talks/fablab"' in served.text


def test_a_hit_carries_the_security_headers_and_sets_no_cookie(client, fetch, talk):
    miss, hit = fetch(client, "/talks/fablab"), fetch(client, "/talks/fablab")
    assert hit.is_hit
    for name in SECURITY_HEADERS:
        assert hit.response.headers[name] == miss.response.headers[name], name
    assert hit.response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "Set-Cookie" not in hit.response.headers
    assert set(hit.response.vary) >= {"Accept-Language", "Cookie"}


# --- keys ------------------------------------------------------------------------------------

def test_each_language_has_its_own_copy_chosen_by_cookie_or_accept_language(app, fetch, talk):
    french, english = app.test_client(), app.test_client()
    english.set_cookie("lang", "en")
    assert 'lang="fr"' in fetch(french, "/talks/fablab").text
    served = fetch(english, "/talks/fablab")
    assert not served.is_hit and 'lang="en"' in served.text
    by_header = fetch(app.test_client(), "/talks/fablab", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert by_header.is_hit and 'lang="en"' in by_header.text
    assert 'lang="fr"' in fetch(french, "/talks/fablab").text


def test_the_query_string_and_the_method_are_part_of_the_key(client, fetch, talk):
    assert not fetch(client, "/events/").is_hit
    assert not fetch(client, "/events/?page=1").is_hit
    assert fetch(client, "/events/?page=1").is_hit and fetch(client, "/events/").is_hit
    head = fetch(client, "/events/", method="HEAD")
    assert not head.is_hit and head.response.status_code == 200 and head.response.data == b""
    assert fetch(client, "/events/", method="HEAD").is_hit


# --- what goes past the cache ----------------------------------------------------------------

def test_logged_in_users_always_get_a_fresh_page(db, client, fetch, talk, make_user, login_as, app):
    anonymous = app.test_client()
    fetch(anonymous, "/talks/fablab")
    user = make_user("speaker")
    db.session.commit()
    login_as(user)
    for _ in range(2):
        served = fetch(client, "/talks/fablab")
        assert not served.is_hit and user.email in served.text  # the log-out button names them
    assert fetch(anonymous, "/talks/fablab").is_hit


def test_api_tokens_and_pending_messages_go_past_the_cache(client, fetch, talk):
    fetch(client, "/talks/fablab")
    assert not fetch(client, "/talks/fablab", headers={"Authorization": "Bearer not-a-token"}).is_hit
    with client.session_transaction() as stored:
        stored["_flashes"] = [("success", "Saved.")]
    assert not fetch(client, "/talks/fablab").is_hit
    with client.session_transaction() as stored:
        stored.pop("_flashes")
    assert fetch(client, "/talks/fablab").is_hit


def test_a_visitor_whose_session_holds_nothing_personal_is_served_from_the_cache(app, client, fetch, talk):
    fetch(app.test_client(), "/talks/fablab")
    assert client.get("/login").status_code == 200  # a session cookie with a CSRF token
    assert client.get_cookie("session") is not None
    assert fetch(client, "/talks/fablab").is_hit


def test_an_untrusted_host_is_refused_even_for_a_cached_page(client, fetch, talk):
    fetch(client, "/talks/fablab")
    assert fetch(client, "/talks/fablab").is_hit
    assert client.get("/talks/fablab", headers={"Host": "evil.example"}).status_code == 400


def test_search_pages_are_kept_until_the_index_commits_new_answers(db, client, fetch, talk, drain):
    drain()
    assert "/talks/fablab" in fetch(client, "/search?q=fablab").text
    assert fetch(client, "/search?q=fablab").is_hit
    talk.summary_source = talk.summary = "Une grainothèque au fablab."
    db.session.commit()  # the database's generation: the page is rendered again, from the old index
    before_the_index = fetch(client, "/search?q=grainotheque")
    assert not before_the_index.is_hit and "/talks/fablab" not in before_the_index.text
    assert fetch(client, "/search?q=grainotheque").is_hit
    drain()  # the index commits the change, and draws a generation
    after_the_index = fetch(client, "/search?q=grainotheque")
    assert not after_the_index.is_hit and "/talks/fablab" in after_the_index.text


def test_the_json_search_api_is_not_kept(client, fetch, talk, drain):
    drain()
    for _ in range(2):
        served = fetch(client, "/api/v1/search?q=fablab")
        assert served.response.status_code == 200 and not served.is_hit


def test_errors_are_not_kept(client, fetch, talk):
    for _ in range(2):
        missing = fetch(client, "/talks/nothing-here")
        assert missing.response.status_code == 404 and not missing.is_hit


@pytest.fixture
def probes(app):
    """Public pages that do what none of the real ones does for an anonymous visitor; returns how
    many times each view ran."""
    from collections import Counter

    calls = Counter()

    def with_cookie():
        response = make_response("<p>cookie</p>")
        response.set_cookie("seen", "1")
        return response

    def with_session_write():
        session["seen"] = True
        return "<p>session</p>"

    def with_csrf_token():
        return render_template_string('<form method="post"><input name="csrf_token" value="{{ csrf_token() }}">'
                                      "</form>")

    def private():
        response = make_response("<p>private</p>")
        response.cache_control.private = True
        return response

    def by_user_agent():
        response = make_response("<p>for your browser</p>")
        response.vary.add("User-Agent")
        return response

    def created():
        return "<p>created</p>", 201

    def plain():
        return "<p>plain</p>"

    views = {"cookie": with_cookie, "session": with_session_write, "csrf": with_csrf_token,
             "private": private, "user-agent": by_user_agent, "created": created, "plain": plain}

    def counted(name, view):
        def run():
            calls[name] += 1
            return view()
        return run

    for name, view in views.items():
        app.add_url_rule(f"/probe/{name}", endpoint=f"public.probe_{name.replace('-', '_')}",
                         view_func=counted(name, view))
    return calls


@pytest.mark.parametrize("name", ["cookie", "session", "csrf", "private", "user-agent", "created"])
def test_responses_that_set_cookies_carry_a_token_or_vary_otherwise_are_not_kept(client, probes, name):
    responses = [client.get(f"/probe/{name}") for _ in range(2)]
    assert probes[name] == 2
    assert responses[0].status_code == responses[1].status_code
    assert "ETag" not in responses[1].headers


def test_the_probe_itself_is_cached_when_it_does_none_of_that(client, probes):
    assert [client.get("/probe/plain").status_code for _ in range(2)] == [200, 200]
    assert probes["plain"] == 1


# --- validators and conditional requests ------------------------------------------------------

def test_public_pages_carry_an_etag_and_last_modified_and_revalidate(client, fetch, talk):
    served = fetch(client, "/talks/fablab").response
    etag, modified = served.headers["ETag"], served.headers["Last-Modified"]
    assert served.cache_control.no_cache
    hit = fetch(client, "/talks/fablab", headers={"If-None-Match": etag})
    assert hit.is_hit and hit.response.status_code == 304 and hit.response.data == b""
    assert hit.response.headers["ETag"] == etag
    by_date = fetch(client, "/talks/fablab", headers={"If-Modified-Since": modified})
    assert by_date.response.status_code == 304
    assert fetch(client, "/talks/fablab", headers={"If-None-Match": '"another"'}).response.status_code == 200


def test_a_miss_answers_a_conditional_request_too(client, fetch, talk, runner):
    etag = fetch(client, "/talks/fablab").response.headers["ETag"]
    assert runner.invoke(args=["page-cache", "clear"]).exit_code == 0
    miss = fetch(client, "/talks/fablab", headers={"If-None-Match": etag})
    assert not miss.is_hit and miss.response.status_code == 304  # the same body, the same ETag


def test_a_change_gives_a_new_etag_and_a_later_last_modified(db, client, fetch, talk):
    first = fetch(client, "/talks/fablab").response
    talk.title = "Le fablab, deux ans après"
    db.session.commit()
    changed = fetch(client, "/talks/fablab", headers={"If-None-Match": first.headers["ETag"]}).response
    assert changed.status_code == 200 and "deux ans après" in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert changed.last_modified >= first.last_modified


def test_feeds_keep_their_own_validators(client, fetch, talk):
    first = fetch(client, "/feeds/talks.atom").response
    assert first.cache_control.public and first.cache_control.max_age  # the feed's own policy
    hit = fetch(client, "/feeds/talks.atom")
    assert hit.is_hit and hit.response.headers["ETag"] == first.headers["ETag"]
    assert hit.response.headers["Last-Modified"] == first.headers["Last-Modified"]
