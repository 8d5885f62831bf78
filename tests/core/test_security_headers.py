"""Security headers on every response (issue 13, item 8): one hook in webapp/core/security_headers.py."""
import pytest

from webapp.core.security_headers import CONTENT_SECURITY_POLICY

PAGES = ["/", "/events/", "/speakers/", "/tags/", "/search?q=x", "/login", "/manage/", "/nope-404",
         "/api/v1/search?q=x", "/feeds/talks.atom", "/sitemap.xml"]


@pytest.mark.parametrize("path", PAGES)
def test_every_answer_carries_the_security_headers(client, db, path):
    response = client.get(path)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # the login and password pages, like the profile's, keep their stricter policy
    expected = "no-referrer" if path == "/login" else "strict-origin-when-cross-origin"
    assert response.headers["Referrer-Policy"] == expected
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # SITE_URL is http:// here


def test_the_policy_forbids_inline_script_plugins_base_and_framing():
    directives = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'" and "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert directives["form-action"] == "'self'" and directives["frame-ancestors"] == "'none'"


class TestOverHttps:
    @pytest.fixture
    def app_config(self):
        return {"SITE_URL": "https://causeries.example.org"}

    def test_hsts_is_sent_when_the_site_is_served_over_https(self, client, db):
        assert client.get("/").headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_pages_with_their_own_policy_keep_it(client, db, make_user, login_as):
    login_as(make_user("speaker"))
    db.session.commit()
    assert client.get("/profile/").headers["Referrer-Policy"] == "no-referrer"
