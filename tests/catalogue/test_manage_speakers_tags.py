"""Workspace: speakers (one person, one speaker) and tags (rename and merge leave 301s)."""
from sqlalchemy import select

from webapp.models import AuditEntry, Speaker, Tag, Talk


def _speaker_data(**overrides):
    return {"name": "Sophie  Perrusson", "headline": "Bibliothécaire", "organisation": "BM Lyon",
            "bio": "Aime les **fablabs** <img src=x onerror=alert(1)>",
            "links": "Blog | https://blog.example.org\nhttps://example.org/sophie",
            "aliases": "Sophie P.", **overrides}


def test_create_speaker_with_links_and_aliases(db, manage_client, submit_form):
    client, _ = manage_client()
    response = submit_form(client, "/manage/speakers/new", _speaker_data())
    assert response.status_code == 302
    speaker = db.session.scalar(select(Speaker))
    assert (speaker.name, speaker.slug) == ("Sophie Perrusson", "sophie-perrusson")
    assert speaker.links == [{"label": "Blog", "url": "https://blog.example.org"},
                             {"label": "https://example.org/sophie", "url": "https://example.org/sophie"}]
    assert [alias.name for alias in speaker.aliases] == ["Sophie P."]
    assert "<strong>fablabs</strong>" in speaker.bio and "onerror" not in speaker.bio
    page = client.get(f"/manage/speakers/{speaker.id}/edit").get_data(as_text=True)
    assert "Blog | https://blog.example.org" in page and "Sophie P." in page


def test_a_second_speaker_with_the_same_name_or_alias_is_refused(db, manage_client, submit_form,
                                                                 make_speaker):
    make_speaker("Sophie Perrusson", aliases=[])
    db.session.commit()
    client, _ = manage_client()
    response = submit_form(client, "/manage/speakers/new", _speaker_data(name="sophie PERRUSSON"))
    assert response.status_code == 422
    assert "is already a speaker" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(Speaker)).all()) == 1


def test_bad_links_are_form_errors(db, manage_client, submit_form):
    client, _ = manage_client()
    response = submit_form(client, "/manage/speakers/new",
                           _speaker_data(links="Evil | javascript:alert(1)"))
    assert response.status_code == 422
    assert db.session.scalar(select(Speaker)) is None


def test_delete_speaker_keeps_their_talks(db, manage_client, submit_form, make_speaker, make_talk):
    speaker = make_speaker("Ada Lovelace")
    talk = make_talk("Machines", speakers=[speaker])
    db.session.commit()
    speaker_id, talk_id = speaker.id, talk.id
    client, _ = manage_client()
    confirm = client.get(f"/manage/speakers/{speaker_id}/delete").get_data(as_text=True)
    assert "removed from their 1 talks" in confirm
    assert submit_form(client, f"/manage/speakers/{speaker_id}/delete", {}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Speaker, speaker_id) is None
    assert db.session.get(Talk, talk_id).speakers == []


def test_rename_tag_leaves_a_301_and_updates_search(db, client, manage_client, submit_form,
                                                    make_talk, drain, found):
    talk = make_talk("Fablab", tags=["mednumsavoir"])
    db.session.commit()
    tag = talk.tags[0]
    organiser, _ = manage_client()
    edit = f"/manage/tags/{tag.id}/edit"
    response = submit_form(organiser, edit, {"name": "#MedNumSavoirs"}, f"/manage/tags/{tag.id}/rename")
    assert response.status_code == 302
    db.session.expire_all()
    assert tag.name == "mednumsavoirs"
    moved = client.get("/tags/mednumsavoir?page=1")
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith("/tags/mednumsavoirs?page=1")
    drain()
    assert found(tag="mednumsavoirs") == [talk.slug]
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.changes) == ("rename", {"name": ["mednumsavoir", "mednumsavoirs"]})


def test_renaming_to_an_existing_tag_suggests_merging(db, manage_client, submit_form, make_tags):
    tag, _other = make_tags("fablab", "fablabs")
    db.session.commit()
    client, _ = manage_client()
    response = submit_form(client, f"/manage/tags/{tag.id}/edit", {"name": "Fablabs"},
                           f"/manage/tags/{tag.id}/rename")
    assert response.status_code == 422
    assert "#fablabs already exists: merge into it instead." in response.get_data(as_text=True)


def test_merge_moves_talks_and_events_and_the_old_name_answers_301(
        db, client, manage_client, submit_form, make_talk, make_event):
    event = make_event("Journée", tags=["fablab"])
    both = make_talk("Both", event=event, tags=["fablab", "fablabs"])
    only_old = make_talk("Old only", event=event, tags=["fablab"])
    db.session.commit()
    source = db.session.scalar(select(Tag).where(Tag.name == "fablab"))
    client_, _ = manage_client()
    response = submit_form(client_, f"/manage/tags/{source.id}/edit", {"target": "#fablabs"},
                           f"/manage/tags/{source.id}/merge")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Tag).where(Tag.name == "fablab")) is None
    assert [t.name for t in both.tags] == ["fablabs"]
    assert [t.name for t in only_old.tags] == ["fablabs"]
    assert [t.name for t in event.tags] == ["fablabs"]
    moved = client.get("/tags/fablab")
    assert moved.status_code == 301 and moved.headers["Location"].endswith("/tags/fablabs")
    assert db.session.scalars(select(AuditEntry.action)).all() == ["merge"]


def test_merge_into_an_unknown_tag_is_a_form_error(db, manage_client, submit_form, make_tags):
    (tag,) = make_tags("fablab")
    db.session.commit()
    client, _ = manage_client()
    for target in ("nope", "fablab", ""):
        response = submit_form(client, f"/manage/tags/{tag.id}/edit", {"target": target},
                               f"/manage/tags/{tag.id}/merge")
        assert response.status_code == 422, target


def test_create_and_delete_tag(db, client, manage_client, submit_form, make_talk):
    talk = make_talk("Talk", tags=["vieux"])
    db.session.commit()
    organiser, _ = manage_client()
    response = submit_form(organiser, "/manage/tags/", {"name": "#Nouveau Tag"}, "/manage/tags/new")
    assert response.status_code == 302
    assert db.session.scalar(select(Tag).where(Tag.name == "nouveau-tag")) is not None
    assert submit_form(organiser, "/manage/tags/", {"name": "###"}, "/manage/tags/new").status_code == 422
    old = db.session.scalar(select(Tag).where(Tag.name == "vieux"))
    assert "removed from 1 talks" in organiser.get(f"/manage/tags/{old.id}/delete").get_data(as_text=True)
    assert submit_form(organiser, f"/manage/tags/{old.id}/delete", {}).status_code == 302
    db.session.expire_all()
    assert talk.tags == []
    assert client.get("/tags/vieux").status_code == 404
