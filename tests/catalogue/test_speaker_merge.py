"""Merging speakers (issue 5 part 4): the survivor keeps everything, the old address answers 301, search
follows, both sides are audited, and a failure leaves both records untouched."""
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from webapp.catalogue.operations.speaker_merge import SameSpeaker, merge_candidates, merge_preview, merge_speakers
from webapp.core.slugs import change_slug
from webapp.models import (
    AuditEntry,
    DailyCount,
    Metric,
    SearchQueueEntry,
    SlugRedirect,
    Speaker,
    SpeakerAlias,
    SpeakerInvitation,
    TalkSpeaker,
)
from webapp.models._base import utcnow


@pytest.fixture
def pair(db, make_speaker, make_talk, make_user):
    """A survivor and its duplicate, with talks of their own, a talk they share, and profile data."""
    survivor = make_speaker("Sophie Perrusson", slug="sophie-perrusson", headline="Médiatrice",
                            links=[{"label": "Blog", "url": "https://blog.example/"}])
    duplicate = make_speaker("S. Perrusson", slug="s-perrusson", headline="Ignored, the survivor has one",
                             organisation="Médiathèque de Lyon", bio="<p>Bio</p>", bio_source="Bio",
                             photo_key="abc123", preferred_language="fr",
                             links=[{"label": "Blog again", "url": "https://BLOG.example"},
                                    {"label": "Mastodon", "url": "https://social.example/@sophie"}])
    db.session.add(SpeakerAlias(speaker=duplicate, name="Sophie Perrussón", name_key="sophie perrusson"))
    db.session.add(SpeakerAlias(speaker=duplicate, name="Sophie P.", name_key="sophie p"))
    other = make_speaker("Jean Dupont")
    own = make_talk("Survivor's own talk", speakers=[survivor])
    moved = make_talk("Duplicate's talk", speakers=[other, duplicate])
    shared = make_talk("Shared talk", speakers=[duplicate, other, survivor])
    owner, survivor_owner = make_user("speaker"), make_user("speaker")
    duplicate.owners.append(owner)
    survivor.owners.append(survivor_owner)
    db.session.add(SpeakerInvitation(speaker=duplicate, email="s@example.org", nonce_hash="0" * 64,
                                     expires_at=utcnow() + timedelta(days=14)))
    db.session.flush()
    change_slug(duplicate, "s-perrusson-lyon")  # /speakers/s-perrusson is now an old slug
    db.session.commit()
    return {"survivor": survivor, "duplicate": duplicate, "other": other, "own": own, "moved": moved,
            "shared": shared, "owner": owner, "survivor_owner": survivor_owner, "duplicate_id": duplicate.id}


def speaker_ids_in_order(talk) -> list[int]:
    return [link.speaker_id for link in sorted(talk.speaker_links, key=lambda link: link.position)]


def test_the_survivor_gets_the_talks_once_at_the_better_position(db, pair, make_user):
    survivor, other = pair["survivor"], pair["other"]
    merge_speakers(make_user(), survivor, pair["duplicate"])
    db.session.commit()
    db.session.expire_all()
    assert speaker_ids_in_order(pair["moved"]) == [other.id, survivor.id]
    assert speaker_ids_in_order(pair["shared"]) == [survivor.id, other.id]
    assert {link.talk.title for link in survivor.talk_links} == {
        "Survivor's own talk", "Duplicate's talk", "Shared talk"}
    assert db.session.get(Speaker, pair["duplicate_id"]) is None
    assert db.session.scalar(select(func.count()).select_from(TalkSpeaker).where(
        TalkSpeaker.speaker_id == pair["duplicate_id"])) == 0


def test_the_survivor_gets_names_links_owners_invitations_and_empty_fields(db, pair):
    survivor = merge_speakers(None, pair["survivor"], pair["duplicate"])
    db.session.commit()
    db.session.expire_all()
    assert sorted(alias.name for alias in survivor.aliases) == ["S. Perrusson", "Sophie P."]
    assert [link["url"] for link in survivor.links] == ["https://blog.example/", "https://social.example/@sophie"]
    assert {user.email for user in survivor.owners} == {pair["owner"].email, pair["survivor_owner"].email}
    assert db.session.scalar(select(SpeakerInvitation.speaker_id)) == survivor.id
    assert survivor.headline == "Médiatrice"  # its own value is kept
    assert (survivor.organisation, survivor.bio, survivor.bio_source) == ("Médiathèque de Lyon", "<p>Bio</p>", "Bio")
    assert (survivor.photo_key, survivor.preferred_language) == ("abc123", "fr")


def test_the_duplicate_addresses_answer_301_to_the_survivor(db, client, pair):
    merge_speakers(None, pair["survivor"], pair["duplicate"])
    db.session.commit()
    for old in ("s-perrusson-lyon", "s-perrusson"):
        response = client.get(f"/speakers/{old}?page=1")
        assert response.status_code == 301, old
        assert response.headers["Location"].endswith("/speakers/sophie-perrusson?page=1")
    assert client.get("/speakers/sophie-perrusson").status_code == 200


def test_both_sides_are_audited_naming_the_other(db, pair, make_user):
    organiser = make_user()
    merge_speakers(organiser, pair["survivor"], pair["duplicate"])
    db.session.commit()
    entries = {entry.object_id: entry for entry in db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "merge"))}
    assert set(entries) == {pair["survivor"].id, pair["duplicate_id"]}
    assert all(entry.user_id == organiser.id and entry.object_kind == "speaker" for entry in entries.values())
    assert "S. Perrusson" in str(entries[pair["survivor"].id].changes)
    assert "Sophie Perrusson (sophie-perrusson)" in str(entries[pair["duplicate_id"]].changes)


def test_search_drops_the_duplicate_and_reindexes_talks_and_survivor(db, pair, drain, found):
    drain()
    assert found(speaker="s-perrusson-lyon") != []
    merge_speakers(None, pair["survivor"], pair["duplicate"])
    db.session.commit()
    queued = dict(db.session.execute(select(SearchQueueEntry.doc_id, SearchQueueEntry.op)).all())
    assert queued[f"speaker:{pair['duplicate_id']}"] == "delete"
    assert queued[f"speaker:{pair['survivor'].id}"] == "upsert"
    assert {queued[f"talk:{pair[name].id}"] for name in ("moved", "shared")} == {"upsert"}
    drain()
    assert found(speaker="s-perrusson-lyon") == []
    assert set(found(speaker="sophie-perrusson")) == {pair[n].slug for n in ("own", "moved", "shared")}


def test_page_view_counts_are_added_day_by_day(db, pair):
    survivor, duplicate = pair["survivor"], pair["duplicate"]
    day, next_day = date(2024, 3, 1), date(2024, 3, 2)
    db.session.add_all([DailyCount(day=day, metric=Metric.SPEAKER_VIEW, object_id=survivor.id, count=3),
                        DailyCount(day=day, metric=Metric.SPEAKER_VIEW, object_id=duplicate.id, count=4),
                        DailyCount(day=next_day, metric=Metric.SPEAKER_VIEW, object_id=duplicate.id, count=5)])
    db.session.commit()
    merge_speakers(None, survivor, duplicate)
    db.session.commit()
    counts = db.session.execute(select(DailyCount.day, DailyCount.object_id, DailyCount.count)
                                .order_by(DailyCount.day)).all()
    assert counts == [(day, survivor.id, 7), (next_day, survivor.id, 5)]


def test_a_failure_midway_leaves_both_records_untouched(db, pair, make_speaker):
    """A stray redirect holding the duplicate's slug breaks the (kind, old_slug) constraint late in the
    merge, after the talks were moved and flushed: the rollback must undo all of it."""
    survivor, duplicate = pair["survivor"], pair["duplicate"]
    db.session.add(SlugRedirect(kind="speaker", old_slug=duplicate.slug, target_id=pair["other"].id))
    db.session.commit()
    with pytest.raises(IntegrityError):
        merge_speakers(None, survivor, duplicate)
    db.session.rollback()
    db.session.expire_all()
    duplicate = db.session.get(Speaker, pair["duplicate_id"])
    assert duplicate is not None and len(duplicate.talk_links) == 2 and len(duplicate.aliases) == 2
    assert [u.id for u in duplicate.owners] == [pair["owner"].id]
    assert [link.talk.title for link in survivor.talk_links] == ["Survivor's own talk", "Shared talk"]
    assert survivor.aliases == [] and survivor.organisation is None and len(survivor.links) == 1
    assert db.session.scalar(select(SpeakerInvitation.speaker_id)) == duplicate.id
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "merge")) == 0


def test_a_speaker_cannot_be_merged_into_itself(db, pair):
    with pytest.raises(SameSpeaker):
        merge_speakers(None, pair["survivor"], pair["survivor"])


def test_the_preview_lists_what_will_move_without_moving_it(db, pair):
    preview = merge_preview(pair["survivor"], pair["duplicate"])
    assert [t.title for t in preview.moved_talks] == ["Duplicate's talk"]
    assert [t.title for t in preview.shared_talks] == ["Shared talk"]
    assert sorted(preview.new_aliases) == ["S. Perrusson", "Sophie P."]
    assert [link["url"] for link in preview.new_links] == ["https://social.example/@sophie"]
    assert preview.new_owners == [pair["owner"]] and preview.invitations == 1
    assert preview.filled_fields == ["organisation", "bio", "photo_key", "preferred_language"]
    assert preview.redirected_slugs == ["s-perrusson-lyon", "s-perrusson"]
    db.session.rollback()
    assert len(db.session.get(Speaker, pair["duplicate_id"]).talk_links) == 2


def test_candidates_are_similar_names_or_what_the_organiser_types(db, pair):
    assert [s.name for s in merge_candidates(pair["duplicate"])] == ["Sophie Perrusson"]
    assert [s.name for s in merge_candidates(pair["duplicate"], "dupont")] == ["Jean Dupont"]
    assert pair["duplicate"] not in merge_candidates(pair["duplicate"], "perrusson")


# --- the workspace pages -------------------------------------------------------------------------------

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def test_an_organiser_merges_from_the_duplicate_page(db, pair, manage_client):
    browser, _ = manage_client()
    duplicate_id, survivor = pair["duplicate_id"], pair["survivor"]
    edit_page = browser.get(f"/manage/speakers/{duplicate_id}/edit").get_data(as_text=True)
    assert f"/manage/speakers/{duplicate_id}/merge" in edit_page
    choose = browser.get(f"/manage/speakers/{duplicate_id}/merge?q=Sophie").get_data(as_text=True)
    assert f'<option value="{survivor.id}"' in choose
    confirm = browser.get(f"/manage/speakers/{duplicate_id}/merge?into={survivor.id}")
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Duplicate&#39;s talk" in page and "/speakers/s-perrusson" in page
    response = browser.post(f"/manage/speakers/{duplicate_id}/merge",
                            data={"csrf_token": TOKEN.search(page).group(1), "survivor_id": survivor.id})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/speakers/{survivor.id}/edit")
    assert db.session.get(Speaker, duplicate_id) is None
    assert "was merged into" in browser.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("query", ["into=", "into=abc", "into=-3", "into=99999999999999"])
def test_a_malformed_survivor_is_a_400(db, pair, manage_client, query):
    browser, _ = manage_client()
    response = browser.get(f"/manage/speakers/{pair['duplicate_id']}/merge?{query}")
    assert response.status_code == 400


def test_merging_into_itself_or_a_missing_speaker_is_refused(db, pair, manage_client):
    browser, _ = manage_client()
    duplicate_id = pair["duplicate_id"]
    itself = browser.get(f"/manage/speakers/{duplicate_id}/merge?into={duplicate_id}")
    assert itself.status_code == 400 and "cannot be merged into itself" in itself.get_data(as_text=True)
    assert browser.get(f"/manage/speakers/{duplicate_id}/merge?into=987654").status_code == 404
    assert browser.get("/manage/speakers/987654/merge").status_code == 404
    page = browser.get(f"/manage/speakers/{duplicate_id}/merge?into={pair['survivor'].id}").get_data(as_text=True)
    token = TOKEN.search(page).group(1)
    for survivor_id, status in ((duplicate_id, 400), (987654, 404), ("", 400)):
        response = browser.post(f"/manage/speakers/{duplicate_id}/merge",
                                data={"csrf_token": token, "survivor_id": survivor_id})
        assert response.status_code == status, survivor_id
    assert db.session.get(Speaker, duplicate_id) is not None


def test_the_merge_needs_the_csrf_token(db, pair, manage_client):
    browser, _ = manage_client()
    response = browser.post(f"/manage/speakers/{pair['duplicate_id']}/merge",
                            data={"survivor_id": pair["survivor"].id})
    assert response.status_code == 400
    assert db.session.get(Speaker, pair["duplicate_id"]) is not None


def test_speakers_cannot_merge(db, pair, make_user, login_as):
    browser = login_as(pair["owner"])
    assert browser.get(f"/manage/speakers/{pair['duplicate_id']}/merge").status_code == 403


# --- the command line ------------------------------------------------------------------------------------

def test_flask_speakers_merge(db, pair, runner):
    result = runner.invoke(args=["speakers", "merge", "sophie-perrusson", "s-perrusson-lyon"])
    assert result.exit_code == 0, result.output
    assert "2 talks" in result.output
    db.session.expire_all()
    assert db.session.get(Speaker, pair["duplicate_id"]) is None


@pytest.mark.parametrize("args, message", [
    (["sophie-perrusson", "sophie-perrusson"], "into itself"),
    (["sophie-perrusson", "nobody"], "No speaker has the slug 'nobody'"),
])
def test_flask_speakers_merge_refuses_bad_input(db, pair, runner, args, message):
    result = runner.invoke(args=["speakers", "merge", *args])
    assert result.exit_code != 0 and message in result.output
    assert db.session.get(Speaker, pair["duplicate_id"]) is not None
