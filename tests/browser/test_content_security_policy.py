"""The Content-Security-Policy in real Chromium: the archive's pages run under it without a single
violation (every browser test checks that when its page closes), and the check does see one."""
import pytest

pytestmark = pytest.mark.browser


def test_the_policy_blocks_an_inline_script_and_the_test_sees_it(page, db, make_talk):
    talk = make_talk("Une intervention")
    db.session.commit()
    response = page.goto(f"/talks/{talk.slug}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.inlineRan = true";
        document.body.appendChild(script);
    }""")
    assert page.evaluate("() => window.inlineRan === undefined")
    page.wait_for_timeout(200)  # the violation event is queued as a task
    assert any(v.startswith("script-src") and "inline" in v for v in page.csp_violations), page.csp_violations
    page.csp_violations.clear()
    page.problems.messages.clear()


def test_public_pages_and_their_scripts_run_under_the_policy(page, db, make_talk, make_speaker, drain):
    talk = make_talk("Médiation numérique en bibliothèque", speakers=[make_speaker("Anne Martin")],
                     tags=["mednumsavoirs"])
    db.session.commit()
    drain()
    for path in ("/", "/events/", f"/events/{talk.event.slug}", f"/talks/{talk.slug}", "/speakers/",
                 f"/speakers/{talk.speakers[0].slug}", "/tags/", "/tags/mednumsavoirs", "/login"):
        page.goto(path)
    page.goto("/search?q=médiation")
    page.fill("#search-q", "médi")
    page.wait_for_selector("[role=listbox] [role=option]")  # autocomplete.js ran and fetched
    assert page.csp_violations == []
    assert page.problems.messages == [], page.problems.messages
