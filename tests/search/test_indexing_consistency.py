"""The index follows the database through the outbox and the drain, in one process."""
from sqlalchemy import func, select

from webapp.models import SearchQueueEntry, Status, Talk
from webapp.search.indexing import check_index, index_status, queue_length, read_index, rebuild_index


def indexed_versions() -> dict[str, str]:
    return read_index(lambda index: index.document_versions())


def queue_size(db) -> int:
    """Log entries this index has not applied yet (the log keeps applied ones: its cursor moves)."""
    return queue_length()


def test_published_talk_becomes_searchable_after_the_drain(db, make_talk, drain, found):
    talk = make_talk("Médiation numérique des savoirs")
    db.session.commit()
    assert found("médiation") == []
    assert drain() > 0
    assert found("mediation numerique") == [talk.slug]
    assert queue_size(db) == 0


def test_an_edit_replaces_the_old_text(db, make_talk, drain, found):
    talk = make_talk("Bibliothèques et jeux vidéo")
    db.session.commit()
    drain()
    talk.title = "Ludothèques en réseau"
    db.session.commit()
    drain()
    assert found("ludothèques") == [talk.slug]
    assert found("vidéo") == []


def test_unpublishing_and_deleting_remove_the_talk(db, make_talk, drain, found):
    hidden, deleted = make_talk("Fablab municipal"), make_talk("Fablab associatif")
    db.session.commit()
    drain()
    assert sorted(found("fablab")) == sorted([hidden.slug, deleted.slug])
    hidden.status = Status.DRAFT
    db.session.delete(deleted)
    db.session.commit()
    drain()
    assert found("fablab") == []


def test_drafts_never_reach_the_index(db, make_talk, make_event, drain, found):
    make_talk("Brouillon confidentiel", status=Status.DRAFT)
    make_talk("Événement confidentiel", event=make_event(status=Status.DRAFT))
    db.session.commit()
    drain()
    assert found("confidentiel") == []
    assert index_status().doc_count == 0 and check_index().is_consistent


def test_a_rolled_back_change_never_reaches_the_index(db, make_talk, drain, found):
    talk = make_talk("Archives sonores")
    db.session.commit()
    drain()
    versions = indexed_versions()
    talk.title = "Titre jamais validé"
    db.session.flush()
    db.session.rollback()
    assert queue_size(db) == 0
    assert drain() == 0
    assert indexed_versions() == versions
    assert found("jamais") == [] and found("sonores") == [talk.slug]


def test_renaming_a_speaker_finds_their_talks_by_the_new_name(db, make_talk, make_speaker,
                                                              drain, found):
    speaker = make_speaker("Sophie Perrusson")
    talk = make_talk("Blogs thématiques", speakers=[speaker])
    db.session.commit()
    drain()
    speaker.name = "Sophie Martin"
    db.session.commit()
    drain()
    assert found("martin") == [talk.slug]
    assert found("perrusson") == []


def test_renaming_a_tag_reindexes_its_talks(db, make_talk, drain, found):
    talk = make_talk("Rencontre régionale", tags=["mednum"])
    db.session.commit()
    drain()
    talk.tags[0].name = "mednumsavoirs"
    db.session.commit()
    drain()
    assert found(tag="mednumsavoirs") == [talk.slug]
    assert found(tag="mednum") == []


def test_unpublishing_an_event_removes_its_talks(db, make_event, make_talk, drain, found):
    event = make_event("Forum des usages")
    talk = make_talk("Usages du numérique", event=event)
    db.session.commit()
    drain()
    assert found("usages") == [talk.slug]
    event.status = Status.DRAFT
    db.session.commit()
    drain()
    assert found("usages") == []


def test_check_reports_missing_stale_and_extra_documents(db, make_talk, drain):
    kept, edited, removed = make_talk("Un"), make_talk("Deux"), make_talk("Trois")
    db.session.commit()
    drain()
    assert check_index().is_consistent
    edited.title, removed.status = "Deux bis", Status.DRAFT
    added = make_talk("Quatre")
    db.session.commit()
    report = check_index()
    assert report.stale == [f"talk:{edited.id}"]
    assert report.extra == [f"talk:{removed.id}"]
    assert report.missing == [f"talk:{added.id}"]
    drain()
    assert check_index().is_consistent and kept.id


def test_rebuild_indexes_everything_and_removes_the_queue_entries_it_covers(db, make_talk, make_speaker, found):
    speaker = make_speaker("Jean Dupont")
    talks = [make_talk(f"Conférence numéro {n}", speakers=[speaker]) for n in range(5)]
    db.session.commit()
    assert queue_size(db) > 0
    assert rebuild_index() == len(talks) + 1
    assert len(found("conférence")) == 5
    assert check_index().is_consistent
    assert queue_size(db) == 0  # nothing left for the writer to apply again


def test_status_reports_queue_and_documents(db, make_talk, drain):
    make_talk()
    db.session.commit()
    before = index_status()
    assert before.queue_length == 1 and before.doc_count == 0
    drain()
    after = index_status()
    assert after.queue_length == 0 and after.doc_count == 1
    assert after.last_modified is not None


def test_the_queue_is_drained_in_batches(db, make_event, drain, found):
    event = make_event()
    db.session.add_all([Talk(slug=f"lot-{n}", title=f"Atelier lot {n}", event=event,
                             status=Status.PUBLISHED) for n in range(25)])
    db.session.commit()
    assert drain(limit=10) == 25
    assert len(found("atelier")) == 25
    assert queue_size(db) == 0  # every entry applied (and kept in the log for the other hosts)
    assert db.session.scalar(select(func.count(SearchQueueEntry.id))) == 25


def test_cli_check_status_rebuild(db, make_talk, runner, drain):
    make_talk("Accessibilité numérique")
    db.session.commit()
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code != 0 and "Missing: 1" in result.output
    result = runner.invoke(args=["search", "status"])
    assert result.exit_code == 0 and "Queue length: 1" in result.output
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Indexed 1 documents" in result.output
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0 and "matches" in result.output
