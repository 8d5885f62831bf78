"""The /profile editor: every field, validation, live preview, photo, audit, public page and search."""
import io
import re

import pytest
from PIL import Image

from webapp.models import AuditEntry, Speaker

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def form_data(**changes) -> dict:
    data = {"name": "Léa Dupont", "headline": "", "organisation": "", "bio_source": "", "aliases": "",
            "preferred_language": "", "links-0-kind": "website", "links-0-url": ""}
    return {**data, **changes}


def save(client, **changes):
    token = TOKEN.search(client.get("/profile/lea-dupont").get_data(as_text=True)).group(1)
    return client.post("/profile/lea-dupont", data={**form_data(**changes), "csrf_token": token},
                       content_type="multipart/form-data")


def stored(db) -> Speaker:
    db.session.expire_all()
    return db.session.scalar(db.select(Speaker).where(Speaker.slug == "lea-dupont"))


def jpeg(size=(300, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_one_profile_goes_straight_to_its_editor(owner):
    response = owner.get("/profile")
    assert response.status_code == 302 and response.headers["Location"].endswith("/profile/lea-dupont")
    page = owner.get("/profile/lea-dupont")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Fablab en médiathèque" in page.get_data(as_text=True)
    assert "My profile" in page.get_data(as_text=True)  # the account menu link


def test_every_field_is_saved(db, owner):
    response = save(owner, name="Léa Dupont-Martin", headline="Médiatrice numérique",
                    organisation="Médiathèque de Lyon", bio_source="I run **workshops**.",
                    aliases="Léa Martin\nL. Dupont", preferred_language="fr",
                    **{"links-0-kind": "mastodon", "links-0-url": "https://mastodon.social/@lea",
                       "links-1-kind": "other", "links-1-url": "https://lea.example.org/blog"})
    assert response.status_code == 303
    speaker = stored(db)
    assert (speaker.name, speaker.headline, speaker.organisation) == (
        "Léa Dupont-Martin", "Médiatrice numérique", "Médiathèque de Lyon")
    assert speaker.bio_source == "I run **workshops**." and speaker.bio == "<p>I run <strong>workshops</strong>.</p>"
    # the confirmed name the speaker replaced stays theirs, as an alias
    assert sorted(a.name for a in speaker.aliases) == ["L. Dupont", "Léa Dupont", "Léa Martin"]
    assert speaker.preferred_language == "fr"
    assert speaker.links == [{"label": "Mastodon", "url": "https://mastodon.social/@lea"},
                             {"label": "lea.example.org", "url": "https://lea.example.org/blog"}]
    public = owner.get("/speakers/lea-dupont").get_data(as_text=True)
    assert "Médiathèque de Lyon" in public and "<strong>workshops</strong>" in public
    assert "https://mastodon.social/@lea" in public


def test_the_bio_is_sanitised(db, owner):
    save(owner, bio_source='Hi <script>alert(1)</script><img src=x onerror=alert(2)> '
                           '[click](javascript:alert(3)) [site](https://example.org)')
    bio = stored(db).bio
    assert "<script" not in bio and "onerror" not in bio and "javascript:" not in bio
    assert 'rel="nofollow noopener ugc"' in bio


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "ftp://example.org/x",
                                 "mastodon.social/@lea", "https://"])
def test_links_must_be_http_or_https(db, owner, url):
    response = save(owner, headline="Should not be kept", **{"links-0-kind": "website", "links-0-url": url})
    assert response.status_code == 422
    assert "http:// or https://" in response.get_data(as_text=True)
    speaker = stored(db)
    assert speaker.links == [] and speaker.headline is None  # nothing half-stored


@pytest.mark.parametrize(("changes", "message"), [
    ({"name": ""}, "Enter your name, as programmes should show it."),
    ({"headline": "x" * 301}, "This text has 301 characters, more than the 300 allowed: please shorten it."),
    ({"preferred_language": "de"}, "Choose French, English or no preference."),
    ({"links-0-kind": "myspace", "links-0-url": "https://example.org"}, "Choose the kind of link from the list."),
])
def test_invalid_fields_are_refused_with_a_message(db, owner, changes, message):
    response = save(owner, bio_source="New bio", **changes)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored(db).bio_source is None


def test_a_name_taken_by_another_public_speaker_is_refused(db, owner, make_speaker, make_talk):
    make_talk("Lire à voix haute", speakers=[make_speaker("Paul Martin")])
    db.session.commit()
    response = save(owner, name="Paul Martin", organisation="Not kept")
    assert response.status_code == 422 and "already the name of another speaker" in response.get_data(as_text=True)
    assert stored(db).name == "Léa Dupont" and stored(db).organisation is None


def test_the_preview_equals_the_saved_html(db, owner):
    source = "# Title\n\nSome *text* with <b onclick=x>bold</b> and <a href='javascript:x'>a link</a>.\n\n- one\n- two"
    token = TOKEN.search(owner.get("/profile/lea-dupont").get_data(as_text=True)).group(1)
    preview = owner.post("/profile/lea-dupont/preview", data={"bio_source": source, "csrf_token": token})
    assert preview.status_code == 200
    save(owner, bio_source=source)
    assert preview.get_json()["html"] == stored(db).bio
    assert "onclick" not in stored(db).bio


def test_the_preview_needs_the_csrf_token(owner):
    assert owner.post("/profile/lea-dupont/preview", data={"bio_source": "x"}).status_code == 400


def test_changes_are_audited(db, owner):
    save(owner, name="Léa Dupont-Martin", preferred_language="en", photo=(io.BytesIO(jpeg()), "me.jpg"))
    entries = list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.object_kind == "speaker")))
    changed = {field for entry in entries for field in entry.changes}
    assert {"name", "preferred_language", "photo"} <= changed
    assert all(entry.user.email == "lea@example.org" for entry in entries)


def test_search_finds_the_new_name_after_the_drain(db, owner, drain, found):
    save(owner, name="Zéphyrine Quintal")
    drain()
    assert found("Zéphyrine") == ["fablab"]


def test_a_photo_is_uploaded_shown_and_removed(db, owner, client):
    response = save(owner, photo=(io.BytesIO(jpeg()), "portrait.jpg"))
    assert response.status_code == 303
    key = stored(db).photo_key
    public = owner.get("/speakers/lea-dupont").get_data(as_text=True)
    image = re.search(r'<img class="speaker__photo" src="([^"]+)"[^>]*>', public, re.S)
    assert 'alt="Photo of Léa Dupont"' in image.group(0) and 'width="160"' in image.group(0)
    served = client.get(image.group(1))
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in served.headers["Cache-Control"]
    assert Image.open(io.BytesIO(served.data)).size == (256, 256)
    served.close()
    assert key in owner.get("/profile/lea-dupont").get_data(as_text=True)
    save(owner, remove_photo="y")
    assert stored(db).photo_key is None
    assert client.get(image.group(1)).status_code == 404


@pytest.mark.parametrize(("data", "status"), [
    (b"GIF89a" + b"\0" * 100, 415), (b"<html><script>alert(1)</script></html>", 415), (jpeg()[:300], 422)])
def test_a_bad_photo_is_refused_and_nothing_is_saved(db, owner, data, status):
    response = save(owner, organisation="Not kept", photo=(io.BytesIO(data), "photo.jpg"))
    assert response.status_code == status
    assert "image" in response.get_data(as_text=True).lower()
    assert stored(db).photo_key is None and stored(db).organisation is None


def test_organisers_may_use_the_editor(db, owner, manage_client):
    client, _organiser = manage_client()
    assert client.get("/profile/lea-dupont").status_code == 200
    assert save(client, headline="Set by an organiser").status_code == 303
    assert stored(db).headline == "Set by an organiser"


def test_an_account_without_profile_sees_an_explanation(db, make_user, login_as):
    client = login_as(make_user("speaker"))
    db.session.commit()
    client.set_cookie("lang", "en")
    page = client.get("/profile")
    assert page.status_code == 200 and "does not keep a speaker profile" in page.get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/profile/lea-dupont")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_the_speaker_sees_the_figures_of_their_own_talks(db, owner, make_speaker, make_talk):
    from datetime import date

    from webapp.models import DailyCount, Metric, Talk

    other = make_talk("Un autre exposé", slug="autre", speakers=[make_speaker("Paul Martin")])
    fablab = db.session.scalar(db.select(Talk).where(Talk.slug == "fablab"))
    for talk, count in ((fablab, 37), (other, 99)):
        db.session.add(DailyCount(day=date.today(), metric=Metric.TALK_VIEW, object_id=talk.id, count=count))
    db.session.commit()
    page = owner.get("/profile/lea-dupont").get_data(as_text=True)
    figures = page[page.index("Figures of your talks"):]
    assert "Fablab en médiathèque" in figures and ">37<" in figures
    assert "Un autre exposé" not in figures and ">99<" not in figures
