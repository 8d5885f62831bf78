"""Names and spellings a speaker types in their profile never make someone else's talk theirs:
programmes and imports match them only once an organiser has confirmed them."""
import json
import re

from sqlalchemy import select

from webapp.catalogue.operations.speakers import find_or_create_speaker
from webapp.importing.operations import import_pyvideo
from webapp.importing.pyvideo_reading import scan_pyvideo_tree
from webapp.models import Speaker, TalkSpeaker

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
FAMOUS = "Jeanne Célèbre"


def save_profile(client, **changes):
    data = {"name": "Léa Dupont", "headline": "", "organisation": "", "bio_source": "",
            "aliases": "", "preferred_language": "", "links-0-kind": "website", "links-0-url": "",
            **changes}
    token = TOKEN.search(client.get("/profile/lea-dupont").get_data(as_text=True)).group(1)
    response = client.post("/profile/lea-dupont", data={**data, "csrf_token": token},
                           content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:1500]
    return response


def lea(db) -> Speaker:
    db.session.expire_all()
    return db.session.scalar(select(Speaker).where(Speaker.slug == "lea-dupont"))


def import_talk_by(db, tmp_path, name: str) -> Speaker:
    videos = tmp_path / "tree" / "journee" / "videos"
    videos.mkdir(parents=True)
    (videos.parent / "category.json").write_text(json.dumps({"title": "Journée"}))
    (videos / "talk.json").write_text(json.dumps({
        "title": "Un exposé", "description": "Texte.", "speakers": [name], "recorded": "2016-10-05",
        "language": "fra", "duration": 1500,
        "videos": [{"type": "youtube", "url": "https://www.youtube.com/watch?v=abc"}]}))
    import_pyvideo(scan_pyvideo_tree(tmp_path / "tree"), workers=0)
    db.session.commit()
    link = db.session.scalar(select(TalkSpeaker).order_by(TalkSpeaker.talk_id.desc()))
    return link.speaker


def test_an_alias_a_speaker_types_is_not_matched_by_programmes(db, owner):
    save_profile(owner, aliases=FAMOUS)
    assert [a.name for a in lea(db).aliases] == [FAMOUS]
    matched = find_or_create_speaker(FAMOUS)
    assert matched.slug != "lea-dupont" and matched.name == FAMOUS


def test_an_alias_a_speaker_types_is_not_matched_by_imports(db, owner, tmp_path):
    save_profile(owner, aliases=FAMOUS)
    assert import_talk_by(db, tmp_path, FAMOUS).slug != "lea-dupont"


def test_a_new_name_waits_and_the_old_one_still_matches(db, owner):
    save_profile(owner, name=FAMOUS)
    speaker = lea(db)
    assert speaker.name == FAMOUS and not speaker.is_name_confirmed
    assert [(a.name, a.is_confirmed) for a in speaker.aliases] == [("Léa Dupont", True)]
    assert find_or_create_speaker(FAMOUS).slug != "lea-dupont"
    assert find_or_create_speaker("Lea DUPONT").slug == "lea-dupont"


def test_confirmed_spellings_stay_confirmed_when_the_speaker_saves_again(db, owner):
    speaker = lea(db)
    speaker.aliases = []
    db.session.commit()
    save_profile(owner, aliases="L. Dupont")
    confirm(db, lea(db))
    save_profile(owner, aliases=f"L. Dupont\n{FAMOUS}")
    assert sorted((a.name, a.is_confirmed) for a in lea(db).aliases) == [
        ("Jeanne Célèbre", False), ("L. Dupont", True)]


def confirm(db, speaker: Speaker):
    """An organiser's confirmation, as the workspace button makes it."""
    from webapp.catalogue.operations.speakers import confirm_names
    from webapp.models import User

    confirm_names(db.session.scalar(select(User)), speaker)
    db.session.commit()


def test_an_organiser_confirms_the_pending_names_and_then_they_match(db, owner, manage_client):
    save_profile(owner, name=FAMOUS, aliases="Léa D.")
    client, _ = manage_client()
    speaker_id = lea(db).id
    page = client.get(f"/manage/speakers/{speaker_id}/edit").get_data(as_text=True)
    assert "Names waiting for confirmation" in page and "Léa D." in page
    token = TOKEN.search(page).group(1)
    response = client.post(f"/manage/speakers/{speaker_id}/confirm-names", data={"csrf_token": token})
    assert response.status_code == 302
    assert lea(db).is_name_confirmed and all(a.is_confirmed for a in lea(db).aliases)
    assert find_or_create_speaker(FAMOUS).slug == "lea-dupont"
    assert find_or_create_speaker("Lea D").slug == "lea-dupont"


def test_confirming_a_name_someone_else_holds_is_refused(db, owner, manage_client, make_speaker):
    save_profile(owner, aliases=FAMOUS)
    make_speaker(FAMOUS)  # an organiser created the real person meanwhile
    db.session.commit()
    client, _ = manage_client()
    speaker_id = lea(db).id
    token = TOKEN.search(client.get(f"/manage/speakers/{speaker_id}/edit").get_data(as_text=True)).group(1)
    response = client.post(f"/manage/speakers/{speaker_id}/confirm-names", data={"csrf_token": token})
    assert response.status_code == 409
    assert "merge the two profiles" in response.get_data(as_text=True)
    assert not lea(db).aliases[0].is_confirmed


def test_an_organiser_saving_the_form_does_not_confirm_pending_spellings(db, owner, manage_client):
    save_profile(owner, aliases=FAMOUS)
    client, _ = manage_client()
    speaker_id = lea(db).id
    page = client.get(f"/manage/speakers/{speaker_id}/edit").get_data(as_text=True)
    textarea = re.search(r'<textarea[^>]*name="aliases"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert FAMOUS not in textarea
    token = TOKEN.search(page).group(1)
    response = client.post(f"/manage/speakers/{speaker_id}/edit", data={
        "csrf_token": token, "name": "Léa Dupont", "aliases": "L. Dupont"})
    assert response.status_code == 302
    assert sorted((a.name, a.is_confirmed) for a in lea(db).aliases) == [
        ("Jeanne Célèbre", False), ("L. Dupont", True)]


def test_pending_spellings_are_not_shown_or_searched_publicly(db, owner, client, drain, found):
    save_profile(owner, aliases=FAMOUS)
    drain()
    page = client.get("/speakers/lea-dupont").get_data(as_text=True)
    assert FAMOUS not in page
    assert found("Célèbre") == []


def test_the_name_of_an_unpublished_speaker_is_neither_refused_nor_revealed(db, owner, make_speaker):
    make_speaker("Paul Martin")  # no public talk: a visitor cannot know they exist
    db.session.commit()
    response = save_profile(owner, name="Paul Martin")
    assert response.status_code == 303
    assert lea(db).name == "Paul Martin" and not lea(db).is_name_confirmed
    assert find_or_create_speaker("Paul Martin").slug != "lea-dupont"
