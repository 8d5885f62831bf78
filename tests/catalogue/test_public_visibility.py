"""Drafts never show; old slugs and other tag spellings answer 301; unknown things are 404."""
import pytest

from webapp.core.slugs import change_slug
from webapp.models import Status

pytestmark = pytest.mark.usefixtures("compiled_translations")


@pytest.fixture
def archive(db, make_event, make_talk, make_speaker):
    """One public talk, a draft talk, and a published talk in a draft event."""
    shown, hidden = make_speaker("Shown Person"), make_speaker("Hidden Person")
    draft_event = make_event("Secret event", status=Status.DRAFT)
    public = make_talk("Public talk", speakers=[shown], tags=["visible"])
    draft = make_talk("Draft talk", status=Status.DRAFT, speakers=[hidden], tags=["secret"])
    in_draft_event = make_talk("Talk of a draft event", event=draft_event, speakers=[hidden], tags=["secret"])
    db.session.commit()
    return {"public": public, "draft": draft, "in_draft_event": in_draft_event,
            "draft_event": draft_event, "hidden": hidden}


def test_draft_detail_pages_are_404(client, archive):
    assert client.get(f"/talks/{archive['draft'].slug}").status_code == 404
    assert client.get(f"/talks/{archive['in_draft_event'].slug}").status_code == 404
    assert client.get(f"/events/{archive['draft_event'].slug}").status_code == 404
    assert client.get(f"/speakers/{archive['hidden'].slug}").status_code == 404
    assert client.get("/tags/secret").status_code == 404


@pytest.mark.parametrize("url", ["/", "/events/", "/events/2016/", "/speakers/", "/tags/", "/tags/visible"])
def test_drafts_are_absent_from_lists(client, archive, url):
    body = client.get(url).get_data(as_text=True)
    assert "Public talk" in body or "Shown Person" in body or "#visible" in body or "Journée" in body
    for secret in ("Draft talk", "Talk of a draft event", "Secret event", "Hidden Person", "#secret"):
        assert secret not in body, (url, secret)


def test_draft_talk_is_not_in_the_public_event_programme(db, client, make_event, make_talk):
    event = make_event()
    make_talk("Visible", event=event)
    make_talk("Invisible", event=event, status=Status.DRAFT)
    db.session.commit()
    body = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Visible" in body and "Invisible" not in body


@pytest.mark.parametrize("kind,prefix", [("talk", "/talks/"), ("event", "/events/"), ("speaker", "/speakers/")])
def test_old_slugs_answer_301(db, client, archive, kind, prefix):
    obj = {"talk": archive["public"], "event": archive["public"].event,
           "speaker": archive["public"].speakers[0]}[kind]
    old = obj.slug
    change_slug(obj, "A brand new name")
    db.session.commit()
    response = client.get(f"{prefix}{old}?page=1")
    assert response.status_code == 301
    assert response.headers["Location"] == f"{prefix}a-brand-new-name?page=1"
    assert client.get(f"{prefix}a-brand-new-name").status_code == 200


RESERVED_QUERIES = ["_anchor=x", "_method=POST", "_scheme=javascript", "_external=1", "slug=other", "tag=other",
                    "_anchor=x&_external=1&slug=y&page=2", "q=%C3%A9t%C3%A9&page=1"]


@pytest.mark.parametrize("query", RESERVED_QUERIES)
def test_a_redirect_keeps_any_query_string_as_it_came(db, client, archive, query):
    talk = archive["public"]
    old = talk.slug
    change_slug(talk, "A brand new name")
    db.session.commit()
    response = client.get(f"/talks/{old}?{query}")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/talks/a-brand-new-name?{query}"


@pytest.mark.parametrize("query", RESERVED_QUERIES)
def test_a_tag_spelling_redirect_keeps_any_query_string(db, client, make_talk, query):
    make_talk(tags=["mednumsavoirs"])
    db.session.commit()
    for url in (f"/tags/MedNumSavoirs?{query}", f"/tags/MedNumSavoirs/feed.atom?{query}"):
        response = client.get(url)
        assert response.status_code == 301, url
        assert response.headers["Location"].endswith(f"?{query}"), url


def test_old_slug_of_a_draft_stays_404(db, client, archive):
    draft = archive["draft"]
    old = draft.slug
    change_slug(draft, "renamed draft")
    db.session.commit()
    assert client.get(f"/talks/{old}").status_code == 404


@pytest.mark.parametrize("spelling", ["MedNumSavoirs", "%23mednumsavoirs", "%23MEDNUMSAVOIRS", "%20mednumsavoirs"])
def test_tag_spellings_answer_301_to_the_normalised_tag(db, client, make_talk, spelling):
    make_talk(tags=["mednumsavoirs"])
    db.session.commit()
    response = client.get(f"/tags/{spelling}")
    assert response.status_code == 301
    assert response.headers["Location"] == "/tags/mednumsavoirs"


def test_accented_tag_is_served_and_normalised(db, client, make_talk):
    make_talk(tags=["Bibliothèques"])
    db.session.commit()
    assert client.get("/tags/biblioth%C3%A8ques").status_code == 200
    response = client.get("/tags/Biblioth%C3%A8ques")
    assert response.status_code == 301 and response.headers["Location"] == "/tags/biblioth%C3%A8ques"


def test_unknown_tag_and_blank_tag_are_404(client):
    assert client.get("/tags/nothing-here").status_code == 404
    assert client.get("/tags/%23").status_code == 404
