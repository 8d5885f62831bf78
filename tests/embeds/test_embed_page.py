"""/embed/talks/<slug>: the slide viewer alone, which any site may frame and which sets no cookie;
every other page keeps refusing frames. It counts a talk view as the talk page does, once."""
import re
from html import unescape

import pytest
from sqlalchemy import select

from webapp.core.security_headers import CONTENT_SECURITY_POLICY
from webapp.models.stats import DailyCount, Metric
from webapp.stats.collector import flush_counts

EMBED = "/embed/talks/grainotheques"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def directives(response) -> dict:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def test_the_viewer_alone_with_its_text_view_title_speakers_and_link_back(client, talk):
    response = client.get(EMBED)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(r'<html lang="fr">', html)
    assert re.search(r'<h1 class="embed__title">\s*<a href="http://127.0.0.1:8000/talks/grainotheques" '
                     r'target="_blank" rel="noopener">Grainothèques en bibliothèque</a></h1>', html)
    assert '<p class="embed__speakers">Léa Dupont</p>' in html
    assert "data-slide-viewer" in html and 'aria-live="polite"' in html and html.count("data-slide-thumb=") == 3
    assert "data-slide-text" in html and "<p>Les graines voyagent</p>" in html  # the text view
    assert 'class="visually-hidden" id="slides-title"' in html
    # Not the site's layout: no navigation, search, account menu, language switcher, form or footer.
    for absent in ("site-header", "site-nav", "site-search", "language-switcher", "account-menu", "<form",
                   "site-footer", "csrf_token", "js/site.js", "js/autocomplete.js"):
        assert absent not in html, absent
    assert "js/slides.js" in html and "js/slide_views.js" in html
    assert not re.search(r"<script>|\son[a-z]+=|\sstyle=", html)  # nothing inline (CSP)
    links = re.findall(r"<a [^>]*>", html)
    leaving = [link for link in links if 'href="#slide-' not in link]
    assert leaving and all('target="_blank" rel="noopener"' in link for link in leaving), leaving


def test_any_site_may_frame_the_viewer_and_no_other_page(client, talk):
    embed = client.get(EMBED)
    assert directives(embed)["frame-ancestors"] == "*"
    assert "X-Frame-Options" not in embed.headers
    others = {key: value for key, value in directives(embed).items() if key != "frame-ancestors"}
    assert others == {key: value for key, value in
                      (part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; ")) if key != "frame-ancestors"}
    for path in ("/talks/grainotheques", "/", "/events/", "/oembed?url=http://127.0.0.1:8000/talks/grainotheques",
                 "/login", "/embed/talks/inconnu"):
        response = client.get(path)
        assert directives(response)["frame-ancestors"] == "'none'", path
    assert directives(client.get(EMBED))["frame-ancestors"] == "*"  # still, after the others


def test_the_viewer_sets_no_cookie_for_an_anonymous_visitor(client, talk):
    client.set_cookie("lang", "en")
    response = client.get(EMBED)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert '<html lang="en">' in response.get_data(as_text=True)  # the language cookie is read, never written


def test_the_viewer_sets_no_cookie_for_a_logged_in_visitor_either(db, client, make_user, login_as, talk):
    """Flask-Login's session protection marks this session as not fresh on its next request (the
    session has no identifier): any other page sends the changed session cookie; the viewer does not."""
    login_as(make_user("speaker"))
    for _ in range(2):
        response = client.get(EMBED)
        assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert "Set-Cookie" in client.get("/talks/grainotheques").headers  # the change the viewer did not save


def visit(client, path, address):
    response = client.get(path, headers={"User-Agent": FIREFOX}, environ_base={"REMOTE_ADDR": address})
    response.close()
    return response


def talk_views(app, db, talk) -> int:
    flush_counts(app)
    db.session.expire_all()
    rows = db.session.scalars(select(DailyCount).where(DailyCount.metric == Metric.TALK_VIEW,
                                                       DailyCount.object_id == talk.id))
    return sum(row.count for row in rows)


def test_a_view_of_the_viewer_counts_once_like_the_talk_page(app, db, client, talk):
    assert visit(client, EMBED, "198.51.100.1").status_code == 200
    assert visit(client, EMBED, "198.51.100.1").status_code == 200  # a reload: the same view
    assert visit(client, "/talks/grainotheques", "198.51.100.1").status_code == 200  # and the talk page too
    assert talk_views(app, db, talk) == 1
    visit(client, EMBED, "198.51.100.2")  # another visitor
    assert talk_views(app, db, talk) == 2


def test_refused_embeds_count_nothing(app, db, client, talk, talk_without_slides, draft):
    assert visit(client, "/embed/talks/brouillon", "198.51.100.1").status_code == 404
    assert visit(client, "/embed/talks/inconnu", "198.51.100.1").status_code == 404
    assert visit(client, "/embed/talks/sans-diapositives", "198.51.100.1").status_code == 404
    flush_counts(app)
    assert db.session.scalars(select(DailyCount)).all() == []


def test_a_draft_or_unknown_talk_is_the_site_s_usual_404(client, draft):
    for path in ("/embed/talks/brouillon", "/embed/talks/inconnu"):
        response = client.get(path)
        assert response.status_code == 404 and "embed__title" not in response.get_data(as_text=True)
        assert directives(response)["frame-ancestors"] == "'none'"


def test_a_public_talk_without_slides_says_so_in_a_frameable_page(client, english_ui, talk_without_slides):
    response = client.get("/embed/talks/sans-diapositives")
    assert response.status_code == 404 and "Set-Cookie" not in response.headers
    html = response.get_data(as_text=True)
    assert "The slides of this talk cannot be shown here." in html
    assert 'href="http://127.0.0.1:8000/talks/sans-diapositives" target="_blank" rel="noopener"' in html
    assert "data-slide-viewer" not in html and "js/slides.js" not in html
    assert directives(response)["frame-ancestors"] == "*"


def test_an_old_slug_is_sent_to_the_new_embed_address(db, client, talk):
    from webapp.core.slugs import change_slug

    change_slug(talk, "Graines partagées")
    db.session.commit()
    response = client.get(EMBED + "?x=1")
    assert response.status_code == 301 and response.headers["Location"].endswith("/embed/talks/graines-partagees?x=1")


@pytest.fixture
def preview_client(manage_client):
    return manage_client()[0]


def test_the_talk_page_offers_the_embed_code(client, english_ui, talk, talk_without_slides):
    html = client.get("/talks/grainotheques").get_data(as_text=True)
    field = re.search(r'<textarea class="embed-code__field" id="embed-code-field"[^>]*readonly[^>]*>([^<]+)</textarea>',
                      html)
    assert field, "no embed code"
    assert unescape(field.group(1)) == (
        '<iframe src="http://127.0.0.1:8000/embed/talks/grainotheques" width="640" height="783" '
        'title="Slides: Grainothèques en bibliothèque" loading="lazy"></iframe>')
    assert '<label class="embed-code__label" for="embed-code-field">' in html
    assert '<button type="button" class="copy-button" data-embed-code-copy hidden>Copy the embed code</button>' in html
    assert re.search(r'role="status" aria-live="polite" data-embed-code-status', html)
    assert "js/embed_code.js" in html and "css/embed_code.css" in html
    assert "embed-code" not in client.get("/talks/sans-diapositives").get_data(as_text=True)


def test_a_draft_s_preview_offers_no_embed_code(db, preview_client, draft):
    from webapp.models import Talk

    talk_id = db.session.scalar(select(Talk.id).where(Talk.slug == "brouillon"))
    response = preview_client.get(f"/manage/talks/{talk_id}/preview")
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    assert "data-slide-viewer" in html and "embed-code" not in html and "json+oembed" not in html
