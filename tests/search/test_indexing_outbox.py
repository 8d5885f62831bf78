"""The outbox: every change queues the search documents drawing on it, in the same transaction."""
from sqlalchemy import delete, func, insert, select, text, update

from webapp.models import SearchQueueEntry, SpeakerAlias, Status, Talk, TalkSpeaker, talk_tags
from webapp.search.outbox import queue_documents


def take_queue(db) -> set[str]:
    """Queued doc ids, then empty the queue so each step of a test sees only its own changes."""
    queued = set(db.session.scalars(select(SearchQueueEntry.doc_id)))
    db.session.execute(delete(SearchQueueEntry))
    return queued


def queue_size(db) -> int:
    return db.session.scalar(select(func.count(SearchQueueEntry.id)))


def test_new_talk_queues_the_talk_and_its_speakers(db, make_talk, make_speaker):
    speaker = make_speaker("Sophie Perrusson")
    talk = make_talk("Médiation numérique", speakers=[speaker], tags=["mednumsavoirs"])
    assert take_queue(db) == {f"talk:{talk.id}", f"speaker:{speaker.id}"}


def test_queue_rows_are_committed_with_the_change(db, make_talk):
    talk = make_talk()
    db.session.commit()
    rows = db.session.execute(select(SearchQueueEntry.doc_id, SearchQueueEntry.op)).all()
    assert (f"talk:{talk.id}", "upsert") in rows


def test_rollback_drops_the_queue_rows_with_the_change(db, make_talk):
    make_talk("Never committed")
    assert queue_size(db) > 0
    db.session.rollback()
    assert queue_size(db) == 0
    assert db.session.scalar(select(func.count(Talk.id))) == 0


def test_renaming_a_speaker_queues_their_talks(db, make_talk, make_speaker):
    speaker, other = make_speaker("Sophie Perrusson"), make_speaker("Jean Dupont")
    first, second = make_talk(speakers=[speaker]), make_talk(speakers=[speaker, other])
    unrelated = make_talk(speakers=[other])
    take_queue(db)
    speaker.name = "Sophie Perrusson-Martin"
    db.session.flush()
    queued = take_queue(db)
    assert {f"talk:{first.id}", f"talk:{second.id}", f"speaker:{speaker.id}"} <= queued
    assert f"talk:{unrelated.id}" not in queued


def test_a_new_alias_queues_the_speaker_and_their_talks(db, make_talk, make_speaker):
    speaker = make_speaker("Sophie Perrusson")
    talk = make_talk(speakers=[speaker])
    take_queue(db)
    db.session.add(SpeakerAlias(speaker=speaker, name="S. Perrusson", name_key="s perrusson"))
    db.session.flush()
    assert take_queue(db) >= {f"talk:{talk.id}", f"speaker:{speaker.id}"}


def test_changing_an_event_queues_its_talks(db, make_event, make_talk):
    event = make_event("Journée d'étude")
    talks = [make_talk(event=event), make_talk(event=event)]
    take_queue(db)
    event.status = Status.DRAFT
    db.session.flush()
    assert take_queue(db) >= {f"talk:{t.id}" for t in talks}


def test_a_new_talk_in_a_programme_does_not_requeue_the_other_talks(db, make_event, make_talk, make_speaker):
    event = make_event("Journée d'étude")
    earlier = [make_talk(event=event) for _ in range(3)]
    take_queue(db)
    speaker = make_speaker("Sophie Perrusson")
    take_queue(db)
    new = Talk(title="Nouvel exposé", slug="nouvel-expose", status=Status.PUBLISHED, position=4)
    event.talks.append(new)
    new.speaker_links.append(TalkSpeaker(speaker=speaker, position=1))
    db.session.flush()
    queued = take_queue(db)
    assert queued == {f"talk:{new.id}", f"speaker:{speaker.id}"}
    assert not queued & {f"talk:{t.id}" for t in earlier}


def test_tagging_a_talk_queues_it(db, make_talk, make_tags):
    talk = make_talk()
    take_queue(db)
    talk.tags.extend(make_tags("mednumsavoirs"))
    db.session.flush()
    assert f"talk:{talk.id}" in take_queue(db)


def test_renaming_a_tag_queues_the_talks_that_carry_it(db, make_talk):
    tagged, untagged = make_talk(tags=["mednum"]), make_talk(tags=["autre"])
    take_queue(db)
    tagged.tags[0].name = "mednumsavoirs"
    db.session.flush()
    queued = take_queue(db)
    assert f"talk:{tagged.id}" in queued and f"talk:{untagged.id}" not in queued


def test_removing_a_speaker_from_a_talk_queues_that_speaker(db, make_talk, make_speaker):
    speaker = make_speaker()
    talk = make_talk(speakers=[speaker])
    take_queue(db)
    talk.speaker_links = []
    db.session.flush()
    assert take_queue(db) == {f"talk:{talk.id}", f"speaker:{speaker.id}"}


def test_deleting_an_event_queues_its_cascaded_talks_for_deletion(db, make_event, make_talk,
                                                                   make_speaker):
    event, speaker = make_event(), make_speaker()
    talk = make_talk(event=event, speakers=[speaker])
    take_queue(db)
    db.session.delete(event)
    db.session.flush()
    assert take_queue(db) == {f"talk:{talk.id}", f"speaker:{speaker.id}"}


def test_deleting_a_talk_queues_a_delete(db, make_talk):
    talk = make_talk()
    take_queue(db)
    db.session.delete(talk)
    db.session.flush()
    rows = db.session.execute(select(SearchQueueEntry.doc_id, SearchQueueEntry.op)).all()
    assert rows == [(f"talk:{talk.id}", "delete")]


def test_bulk_delete_does_not_bypass_the_queue(db, make_talk, make_speaker):
    speaker = make_speaker()
    doomed, kept = make_talk(speakers=[speaker]), make_talk()
    take_queue(db)
    db.session.execute(delete(Talk).where(Talk.id == doomed.id))
    queued = take_queue(db)
    assert {f"talk:{doomed.id}", f"speaker:{speaker.id}"} <= queued
    assert f"talk:{kept.id}" not in queued


def test_bulk_update_does_not_bypass_the_queue(db, make_talk):
    drafts = [make_talk(status=Status.DRAFT) for _ in range(3)]
    take_queue(db)
    db.session.execute(update(Talk).where(Talk.status == Status.DRAFT).values(status="published"))
    assert take_queue(db) >= {f"talk:{t.id}" for t in drafts}


def test_bulk_update_by_primary_key_does_not_bypass_the_queue(db, make_talk):
    talk = make_talk()
    take_queue(db)
    db.session.execute(update(Talk), [{"id": talk.id, "title": "Nouveau titre"}])
    assert f"talk:{talk.id}" in take_queue(db)


def test_bulk_inserts_into_talks_and_links_are_queued(db, make_event, make_talk, make_speaker):
    event, speaker = make_event(), make_speaker()
    take_queue(db)
    db.session.execute(insert(Talk), [{"slug": "bulk-a", "title": "A", "event_id": event.id,
                                       "status": "published"}])
    new_id = db.session.scalar(select(Talk.id).where(Talk.slug == "bulk-a"))
    assert f"talk:{new_id}" in take_queue(db)
    db.session.execute(insert(TalkSpeaker), [{"talk_id": new_id, "speaker_id": speaker.id}])
    assert take_queue(db) == {f"talk:{new_id}", f"speaker:{speaker.id}"}
    tagged = make_talk(tags=["x"])
    take_queue(db)
    db.session.execute(insert(talk_tags), [{"talk_id": new_id, "tag_id": tagged.tags[0].id}])
    assert f"talk:{new_id}" in take_queue(db)


def test_raw_sql_is_queued_explicitly(db, make_talk):
    talk = make_talk()
    take_queue(db)
    db.session.execute(text("UPDATE talks SET title = 'x' WHERE id = :id"), {"id": talk.id})
    assert take_queue(db) == set()  # invisible to the outbox, hence queue_documents:
    queue_documents(db.session, [f"talk:{talk.id}"])
    assert take_queue(db) == {f"talk:{talk.id}"}
