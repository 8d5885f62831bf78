"""Speaker A cannot read, change or upload for speaker B's profile or talks: every route, guessed
URLs and tampered hidden fields. /manage and the API answer 403 to speakers."""
import io
import re

import pytest

from webapp.models import SlideDeck, Speaker

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def world(db, make_user, make_speaker, make_talk, make_event, login_as):
    """Speaker A (logged in) owns "alice"; B owns "bruno" and a draft talk of his own."""
    alice, bruno = make_speaker("Alice Arnaud", slug="alice"), make_speaker("Bruno Bellec", slug="bruno")
    talk_a = make_talk("Talk of Alice", slug="talk-a", speakers=[alice])
    talk_b = make_talk("Talk of Bruno", slug="talk-b", speakers=[bruno])
    draft_b = make_talk("Draft of Bruno", slug="draft-b", speakers=[bruno], status="draft")
    user_a, user_b = make_user("speaker", email="a@example.org"), make_user("speaker", email="b@example.org")
    alice.owners.append(user_a)
    bruno.owners.append(user_b)
    db.session.commit()
    client = login_as(user_a)
    client.set_cookie("lang", "en")
    return {"client": client, "talk_a": talk_a.id, "talk_b": talk_b.id, "draft_b": draft_b.id,
            "bruno": bruno.id}


def token_of(client, path="/profile/alice") -> str:
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def bruno(db) -> Speaker:
    db.session.expire_all()
    return db.session.scalar(db.select(Speaker).where(Speaker.slug == "bruno"))


def test_a_sees_only_her_profile(world):
    response = world["client"].get("/profile")
    assert response.headers["Location"].endswith("/profile/alice")


@pytest.mark.parametrize("path", ["/profile/bruno", "/profile/BRUNO/../bruno"])
def test_b_s_editor_is_forbidden(world, path):
    response = world["client"].get(path)
    assert response.status_code in (403, 404)
    assert "Bruno Bellec" not in response.get_data(as_text=True)


def test_guessed_profile_urls_are_404(world):
    for path in ("/profile/nobody", "/profile/" + "x" * 500, "/profile/talks/999999/slides",
                 "/profile/talks/99999999999/slides"):
        assert world["client"].get(path).status_code == 404, path


def test_posting_to_b_s_editor_changes_nothing(db, world):
    client = world["client"]
    data = {"name": "Hacked", "bio_source": "pwned", "csrf_token": token_of(client)}
    assert client.post("/profile/bruno", data=data).status_code == 403
    assert bruno(db).name == "Bruno Bellec" and bruno(db).bio_source is None


def test_the_preview_of_b_is_forbidden(world):
    client = world["client"]
    response = client.post("/profile/bruno/preview", data={"bio_source": "x", "csrf_token": token_of(client)})
    assert response.status_code == 403


def test_tampered_hidden_fields_on_a_s_own_form_do_not_reach_b(db, world):
    """Extra or renamed fields (ids, slugs, owners) in A's own form are ignored: only A changes."""
    client = world["client"]
    data = {"name": "Alice Arnaud", "bio_source": "mine", "csrf_token": token_of(client),
            "speaker_id": str(world["bruno"]), "id": str(world["bruno"]), "slug": "bruno",
            "owners": "a@example.org", "talk_id": str(world["talk_b"])}
    assert client.post("/profile/alice", data=data).status_code == 303
    assert bruno(db).bio_source is None and [u.email for u in bruno(db).owners] == ["b@example.org"]
    alice = db.session.scalar(db.select(Speaker).where(Speaker.slug == "alice"))
    assert alice.slug == "alice" and alice.bio_source == "mine"


@pytest.mark.parametrize("talk_key", ["talk_b", "draft_b"])
def test_slides_of_b_s_talks_cannot_be_read_or_uploaded(db, world, make_pdf, talk_key):
    client = world["client"]
    path = f"/profile/talks/{world[talk_key]}/slides"
    assert client.get(path).status_code == 403
    token = token_of(client, f"/profile/talks/{world['talk_a']}/slides")
    data = {"file": (io.BytesIO(make_pdf("Not yours")), "deck.pdf"), "licence": "CC-BY-4.0", "csrf_token": token}
    assert client.post(path, data=data, content_type="multipart/form-data").status_code == 403
    assert db.session.scalar(db.select(SlideDeck)) is None


def test_a_form_for_a_s_talk_posted_to_b_s_talk_is_refused(db, world, make_pdf):
    """The talk comes from the URL only; posting A's upload form to B's talk id is a 403."""
    client = world["client"]
    token = token_of(client, f"/profile/talks/{world['talk_a']}/slides")
    data = {"file": (io.BytesIO(make_pdf("x")), "deck.pdf"), "talk_id": str(world["talk_a"]), "csrf_token": token}
    response = client.post(f"/profile/talks/{world['talk_b']}/slides", data=data,
                           content_type="multipart/form-data", headers={"X-Requested-With": "XMLHttpRequest"})
    assert response.status_code == 403


def test_a_uploads_slides_for_her_own_talk(db, world, make_pdf):
    client = world["client"]
    path = f"/profile/talks/{world['talk_a']}/slides"
    data = {"file": (io.BytesIO(make_pdf("Mine")), "deck.pdf"), "licence": "CC-BY-4.0",
            "csrf_token": token_of(client, path)}
    response = client.post(path, data=data, content_type="multipart/form-data")
    assert response.status_code == 303 and response.headers["Location"].endswith(path)
    deck = db.session.scalar(db.select(SlideDeck))
    assert deck.talk_id == world["talk_a"] and deck.uploaded_by.email == "a@example.org"


def test_the_claim_of_b_s_invitation_is_refused_to_a(db, world):
    from webapp.catalogue.operations.invitations import create_invitation

    token = create_invitation(None, bruno(db), "b@example.org")
    db.session.commit()
    client = world["client"]
    assert client.get("/claim/" + token).status_code == 403
    assert [u.email for u in bruno(db).owners] == ["b@example.org"]


@pytest.mark.parametrize("path", ["/manage/", "/manage/speakers/", "/manage/speakers/{bruno}/edit",
                                  "/manage/talks/{talk_b}/slides"])
def test_the_workspace_is_forbidden_to_speakers(world, path):
    assert world["client"].get(path.format(**world)).status_code == 403


def test_the_workspace_forms_are_forbidden_to_speakers(db, world):
    client = world["client"]
    data = {"name": "Hacked", "csrf_token": token_of(client)}
    assert client.post(f"/manage/speakers/{world['bruno']}/edit", data=data).status_code == 403
    assert client.post(f"/manage/speakers/{world['bruno']}/invite",
                       data={"email": "a@example.org", "csrf_token": token_of(client)}).status_code == 403
    assert bruno(db).name == "Bruno Bellec" and bruno(db).owners[0].email == "b@example.org"


def test_the_api_upload_is_forbidden_to_speakers(db, world, api_token, make_user, make_pdf):
    from webapp.models import User

    user_a = db.session.scalar(db.select(User).where(User.email == "a@example.org"))
    headers = {"Authorization": f"Bearer {api_token(user_a)}"}
    data = {"file": (io.BytesIO(make_pdf("x")), "deck.pdf")}
    assert world["client"].post("/api/v1/talks/talk-b/slides", data=data, headers=headers).status_code == 403
    assert db.session.scalar(db.select(SlideDeck)) is None


def test_b_s_draft_deck_files_stay_hidden_from_a(db, world, make_pdf, app):
    from webapp.models import Talk
    from webapp.slides.operations import attach_slides

    deck = attach_slides(db.session.get(Talk, world["draft_b"]), io.BytesIO(make_pdf("Secret")), "secret.pdf")
    db.session.commit()
    assert world["client"].get(f"/slides/{deck.id}/secret.pdf").status_code == 404
