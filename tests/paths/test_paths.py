"""Curated paths: operations and their audit, visibility, the public pages, the talk page's
previous/next within a path, the feed, the sitemap, the API, and the workspace's forms (CSRF)."""
import json
import re

import pytest
from sqlalchemy import select

from webapp.models import AuditEntry, CuratedPath, Status
from webapp.paths import operations
from webapp.paths.queries import places_of_talk, public_items


@pytest.fixture
def organiser(make_user, db):
    user = make_user("organiser")
    db.session.commit()
    return user


@pytest.fixture
def mednum_path(db, organiser, make_talk):
    """A published path of three public talks and a draft one, in that order."""
    path = operations.create_path(organiser, "Parcours : médiation numérique des savoirs",
                                  "Une **lecture** à travers les journées.")
    talks = [make_talk(f"Causerie {n}") for n in (1, 2, 3)]
    draft = make_talk("Brouillon", status=Status.DRAFT)
    for talk in (talks[0], draft, talks[1], talks[2]):
        operations.add_talk(organiser, path, talk, note=f"Pour {talk.title}")
    operations.publish_path(organiser, path)
    db.session.commit()
    return path, talks, draft


def titles(path) -> list[str]:
    return [item.talk.title for item in path.items]


def test_create_add_reorder_note_remove_publish_are_audited(db, organiser, make_talk):
    path = operations.create_path(organiser, "Parcours : médiation numérique des savoirs", "*Intro*")
    assert path.slug == "parcours-mediation-numerique-des-savoirs" and path.status == Status.DRAFT
    assert path.introduction == "<p><em>Intro</em></p>" and path.introduction_source == "*Intro*"
    first, second = make_talk("Premier"), make_talk("Second")
    operations.add_talk(organiser, path, first)
    item = operations.add_talk(organiser, path, second)
    with pytest.raises(operations.PathError):
        operations.add_talk(organiser, path, second)
    assert operations.move_item(organiser, item, -1) and titles(path) == ["Second", "Premier"]
    assert not operations.move_item(organiser, item, -1)  # already first
    operations.set_note(organiser, item, "  À lire d'abord.  ")
    assert item.note == "À lire d'abord."
    operations.remove_item(organiser, path.items[1])
    assert titles(path) == ["Second"] and [i.position for i in path.items] == [0]
    operations.publish_path(organiser, path)
    operations.unpublish_path(organiser, path)
    db.session.commit()
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_kind == "path")
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["create", "update", "update", "reorder", "update", "update", "publish", "unpublish"]


def test_a_draft_path_is_404_in_public_and_absent_from_index_feed_api(db, client, organiser, make_talk):
    path = operations.create_path(organiser, "Brouillon de parcours")
    operations.add_talk(organiser, path, make_talk())
    db.session.commit()
    for url in (f"/paths/{path.slug}", f"/paths/{path.slug}/feed.atom", f"/api/v1/paths/{path.slug}"):
        assert client.get(url).status_code == 404, url
    assert path.title not in client.get("/paths/").get_data(as_text=True)
    assert client.get("/api/v1/paths").get_json() == {"items": []}
    assert path.slug not in client.get("/sitemaps/paths-1.xml").get_data(as_text=True)


def test_the_path_page_lists_public_talks_in_order_with_notes_and_json_ld(client, mednum_path):
    path, talks, draft = mednum_path
    page = client.get(f"/paths/{path.slug}").get_data(as_text=True)
    positions = [page.index(talk.title) for talk in talks]
    assert positions == sorted(positions) and draft.title not in page
    assert "Pour Causerie 2" in page and "<strong>lecture</strong>" in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "ItemList" and data["numberOfItems"] == 3
    assert [element["name"] for element in data["itemListElement"]] == [talk.title for talk in talks]
    assert path.title in client.get("/paths/").get_data(as_text=True)


def test_a_talk_page_shows_its_paths_with_previous_and_next(client, mednum_path):
    path, talks, draft = mednum_path
    [place] = places_of_talk(talks[1])
    assert (place.previous, place.next, place.position, place.total) == (talks[0], talks[2], 2, 3)
    page = client.get(f"/talks/{talks[1].slug}").get_data(as_text=True)
    section = page[page.index("data-talk-paths"):]
    assert path.title in section and f"/talks/{talks[0].slug}" in section and f"/talks/{talks[2].slug}" in section
    assert draft.slug not in section  # the draft between them is skipped


def test_a_path_unpublished_leaves_the_talk_pages(db, client, organiser, mednum_path):
    path, talks, _ = mednum_path
    operations.unpublish_path(organiser, path)
    db.session.commit()
    assert "data-talk-paths" not in client.get(f"/talks/{talks[0].slug}").get_data(as_text=True)


def test_feed_lists_the_public_talks_of_the_path(client, mednum_path):
    path, talks, draft = mednum_path
    response = client.get(f"/paths/{path.slug}/feed.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    body = response.get_data(as_text=True)
    assert all(talk.title in body for talk in talks) and draft.title not in body


def test_sitemap_lists_published_paths(client, mednum_path):
    path, _, _ = mednum_path
    assert f"/paths/{path.slug}" in client.get("/sitemaps/paths-1.xml").get_data(as_text=True)


def test_api_list_and_detail(client, mednum_path):
    path, talks, _ = mednum_path
    [listed] = client.get("/api/v1/paths").get_json()["items"]
    assert listed["slug"] == path.slug and listed["talk_count"] == 3
    detail = client.get(f"/api/v1/paths/{path.slug}").get_json()
    assert [(t["position"], t["slug"], t["note"]) for t in detail["talks"]] == [
        (n, talk.slug, f"Pour {talk.title}") for n, talk in enumerate(talks, start=1)]
    assert client.get("/api/v1/paths/nope").status_code == 404


def test_public_items_skip_talks_of_draft_events(db, organiser, make_talk, make_event):
    path = operations.create_path(organiser, "Parcours")
    operations.add_talk(organiser, path, make_talk(event=make_event(status=Status.DRAFT)))
    assert public_items(path) == []


def test_the_workspace_builds_a_path_with_forms_and_csrf(db, manage_client, submit_form, make_talk):
    client, _ = manage_client()
    first, second = make_talk("Premier retour"), make_talk("Second retour")
    db.session.commit()
    response = submit_form(client, "/manage/paths/new", {"title": "Parcours test", "introduction": "Lire *ceci*."})
    assert response.status_code == 302
    path = db.session.scalar(select(CuratedPath))
    edit = f"/manage/paths/{path.id}/edit"
    assert client.post(f"/manage/paths/{path.id}/talks", data={"talk_id": first.id}).status_code == 400  # no CSRF
    for talk in (first, second):
        page = client.get(f"{edit}?q=retour").get_data(as_text=True)
        assert f"Add “{talk.title}”" in page
        assert submit_form(client, edit, {"talk_id": talk.id}, f"/manage/paths/{path.id}/talks").status_code == 302
    db.session.expire_all()
    second_item = db.session.get(CuratedPath, path.id).items[1]
    assert submit_form(client, edit, {"direction": "up"},
                       f"/manage/paths/{path.id}/talks/{second_item.id}/move").status_code == 302
    assert submit_form(client, edit, {"note": "D'abord celui-ci."},
                       f"/manage/paths/{path.id}/talks/{second_item.id}/note").status_code == 302
    assert submit_form(client, edit, {}, f"/manage/paths/{path.id}/publish").status_code == 302
    db.session.expire_all()
    path = db.session.get(CuratedPath, path.id)
    assert path.is_published and titles(path) == ["Second retour", "Premier retour"]
    assert path.items[0].note == "D'abord celui-ci."
    assert submit_form(client, f"/manage/paths/{path.id}/delete", {}).status_code == 302
    assert db.session.scalar(select(CuratedPath)) is None


def test_bad_input_is_a_clear_4xx(db, manage_client, submit_form, mednum_path):
    client, _ = manage_client()
    path = mednum_path[0]
    edit = f"/manage/paths/{path.id}/edit"
    assert submit_form(client, edit, {"talk_id": "abc"}, f"/manage/paths/{path.id}/talks").status_code == 422
    assert submit_form(client, edit, {"talk_id": "99999"}, f"/manage/paths/{path.id}/talks").status_code == 404
    item = path.items[0]
    assert submit_form(client, edit, {"direction": "sideways"},
                       f"/manage/paths/{path.id}/talks/{item.id}/move").status_code == 400
    assert submit_form(client, edit, {"title": ""}).status_code == 422


def test_the_demo_publishes_a_path_from_the_seed_talk_to_the_talk_about_causeries(db, client):
    from webapp.importing.demo import SEED_TALK_KEY, load_seed_study_day
    from webapp.importing.demo_path import DEMO_PATH_TITLE, load_demo_path
    from webapp.importing.demo_talk import DEMO_TALK_KEY, load_demo_talk
    from webapp.models import Talk

    load_seed_study_day()
    load_demo_talk()
    assert load_demo_path() is True
    db.session.commit()
    [path] = db.session.scalars(select(CuratedPath)).all()
    keys = [item.talk.import_key for item in path.items]
    assert (path.title, path.status, keys) == (DEMO_PATH_TITLE, Status.PUBLISHED, [SEED_TALK_KEY, DEMO_TALK_KEY])
    assert "démonstration" in path.introduction and all(item.note for item in path.items)
    seed = db.session.scalar(select(Talk).where(Talk.import_key == SEED_TALK_KEY))
    section = client.get(f"/talks/{seed.slug}").get_data(as_text=True).split("data-talk-paths")[1]
    assert f"/paths/{path.slug}" in section and f"/talks/{path.items[1].talk.slug}" in section
    assert client.get(f"/paths/{path.slug}").status_code == 200
    # Loading again, or after an organiser renamed and unpublished it, leaves the path as it is.
    assert load_demo_path() is False
    operations.update_path(None, path, "Médiation numérique", "mediation-numerique", None)
    operations.unpublish_path(None, path)
    db.session.commit()
    assert load_demo_path() is False
    assert db.session.execute(select(CuratedPath.slug, CuratedPath.status)).all() == [
        ("mediation-numerique", Status.DRAFT)]
