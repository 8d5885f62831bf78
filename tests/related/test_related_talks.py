"""Related talks: the ranking (series, then shared speakers and tags, then text), the outbox that
recomputes them after the commit, visibility at read time, the talk page and `flask related`."""
import sqlite3

import pytest
from sqlalchemy import event, func, select, text

from webapp.models import RelatedQueueEntry, Series, Status
from webapp.related import operations
from webapp.related.operations import drain_related_queue
from webapp.related.queries import related_talks, stored_related


@pytest.fixture
def settle(db, drain):
    """Commit, index the queued search documents, then recompute the queued related talks."""
    def run():
        db.session.commit()
        drain()
        drain_related_queue()

    return run


def queued(db) -> int:
    return db.session.scalar(select(func.count(RelatedQueueEntry.id)))


def make_series(db, slug="mednumsavoirs"):
    series = Series(slug=slug, title="#mednumsavoirs")
    db.session.add(series)
    db.session.flush()
    return series


def test_series_first_nearest_then_shared_speakers_and_tags_then_text(db, make_talk, make_speaker, settle):
    series, speaker = make_series(db), make_speaker()
    here = make_talk("Médiation numérique à Levallois", series=series, series_position=3,
                     summary="Des blogs thématiques de médiation numérique des savoirs.", tags=["blogs"],
                     speakers=[speaker])
    far = make_talk("Cinquième billet", series=series, series_position=5)
    near = make_talk("Deuxième billet", series=series, series_position=2)
    by_speaker = make_talk("Une autre causerie", speakers=[speaker])
    by_tag = make_talk("Un atelier", tags=["blogs"])
    by_text = make_talk("Blogs thématiques en bibliothèque",
                        summary="Les blogs thématiques, une médiation numérique des savoirs.")
    make_talk("Rien à voir", summary="Compilateurs et ramasse-miettes.")
    settle()
    assert stored_related(here.id) == [(near.id, "series"), (far.id, "series"), (by_speaker.id, "shared"),
                                       (by_tag.id, "shared"), (by_text.id, "text")]


def test_text_similarity_needs_more_than_one_shared_word(db, make_talk, settle):
    here = make_talk("Médiation numérique des savoirs", summary="Des blogs thématiques en médiathèque.")
    close = make_talk("Blogs thématiques et médiation", summary="La médiation numérique par les blogs.")
    make_talk("Le calcul numérique avec Python", summary="Des tableaux et des matrices.")  # one word only
    settle()
    assert stored_related(here.id) == [(close.id, "text")]


def test_a_shared_speaker_weighs_more_than_a_shared_tag(db, make_talk, make_speaker, settle):
    speaker = make_speaker()
    here = make_talk(speakers=[speaker], tags=["a", "b"])
    one_tag = make_talk(tags=["a"])
    two_tags = make_talk(tags=["a", "b"])
    same_speaker = make_talk(speakers=[speaker])
    settle()
    assert [talk.id for talk in related_talks(here)] == [same_speaker.id, two_tags.id, one_tag.id]


def test_at_most_five_and_only_public_talks(db, make_talk, make_event, settle):
    here = make_talk(tags=["x"])
    public = [make_talk(tags=["x"]) for _ in range(6)]
    make_talk(tags=["x"], status=Status.DRAFT)
    make_talk(tags=["x"], event=make_event(status=Status.DRAFT))
    settle()
    listed = stored_related(here.id)
    assert len(listed) == 5 and {talk_id for talk_id, _ in listed} <= {talk.id for talk in public}


def test_a_change_is_queued_in_its_own_transaction_and_recomputed_after_the_commit(db, make_talk, settle):
    here = make_talk(tags=["x"])
    settle()
    assert stored_related(here.id) == [] and queued(db) == 0
    other = make_talk(tags=["x"])
    db.session.rollback()
    assert queued(db) == 0  # a rolled-back change queues nothing
    other = make_talk(tags=["x"])
    db.session.commit()
    assert queued(db) > 0 and stored_related(here.id) == []  # nothing computed during the request
    drain_related_queue()
    assert stored_related(here.id) == [(other.id, "shared")] and queued(db) == 0


def test_a_talk_that_stops_being_public_leaves_the_lists_at_once(db, make_talk, settle):
    here = make_talk(tags=["x"])
    other = make_talk(tags=["x"])
    settle()
    assert [card.id for card in related_talks(here)] == [other.id]
    other.status = Status.DRAFT
    db.session.commit()
    assert related_talks(here) == []  # before the worker ran
    drain_related_queue()
    assert stored_related(here.id) == []


def test_a_deleted_talk_is_replaced_in_its_neighbours_lists(db, make_talk, settle):
    here = make_talk(tags=["x", "y"])
    best = make_talk(tags=["x", "y"])
    second = make_talk(tags=["x"])
    settle()
    db.session.delete(best)
    settle()
    assert stored_related(here.id) == [(second.id, "shared")]


def test_the_talk_page_lists_related_talks(db, client, make_talk, settle):
    here = make_talk(tags=["x"])
    other = make_talk("Un voisin de tag", tags=["x"])
    settle()
    page = client.get(f"/talks/{here.slug}").get_data(as_text=True)
    assert 'id="related-talks-title"' in page and other.title in page


def test_flask_related_rebuild_recomputes_every_talk(db, runner, make_talk, drain):
    here = make_talk(tags=["x"])
    other = make_talk(tags=["x"])
    db.session.commit()
    drain()
    result = runner.invoke(args=["related", "rebuild"])
    assert result.exit_code == 0, result.output
    assert stored_related(here.id) == [(other.id, "shared")] and queued(db) == 0


def test_flask_demo_load_leaves_the_seed_talk_with_related_talks(db, demo_archive):
    from webapp.core.visibility import is_public_talk, public_talks
    from webapp.importing.demo import SEED_TALK_KEY
    from webapp.importing.demo_talk import DEMO_TALK_KEY
    from webapp.models import Talk

    assert "Related talks: computed for" in demo_archive.load_output  # a copy of what `flask demo load` left
    seed = db.session.scalar(select(Talk).where(Talk.import_key == SEED_TALK_KEY))
    stored = stored_related(seed.id)
    assert stored, "the seed talk lists related talks"
    assert all(is_public_talk(db.session.get(Talk, talk_id)) for talk_id, _ in stored)
    order = {"series": 0, "shared": 1, "text": 2}
    assert [order[reason] for _, reason in stored] == sorted(order[reason] for _, reason in stored)
    series_talks = [talk_id for talk_id, reason in stored if reason == "series"]
    assert all(db.session.get(Talk, talk_id).series_id == seed.series_id for talk_id in series_talks)
    # Other public #mednumsavoirs talks (its series or its tag), when the demo has some, lead the list.
    kin = {talk.id for talk in db.session.scalars(public_talks()) if talk.id != seed.id and (
        talk.series_id == seed.series_id or "mednumsavoirs" in {tag.name for tag in talk.tags})}
    leading = [talk_id for talk_id, _ in stored[:len(kin)]]
    assert set(leading) <= kin
    demo_talk = db.session.scalar(select(Talk).where(Talk.import_key == DEMO_TALK_KEY))
    assert demo_talk.id in kin and demo_talk.id in leading  # the other #mednumsavoirs talk of the demo


def test_a_talk_that_shares_nothing_leads_to_the_rest_of_its_event(db, make_talk, make_event, settle):
    event = make_event("PyCon FR")
    alone = make_talk("Compilateurs", event=event, position=2)
    after, first = make_talk("Ramasse-miettes", event=event, position=3), make_talk("Accueil", event=event, position=1)
    elsewhere = make_talk("Tout autre chose")
    settle()
    listed = stored_related(alone.id)
    assert listed[0] == (after.id, "event") or listed[0] == (first.id, "event")
    assert sorted(listed) == sorted([(after.id, "event"), (first.id, "event")]) and elsewhere.id not in dict(listed)
    # A new talk of the event enters the lists of its neighbours, which had room for it.
    late = make_talk("Clôture", event=event, position=4)
    settle()
    assert (late.id, "event") in stored_related(alone.id)


@pytest.fixture
def commits(db):
    """How many transactions the database committed (the engine's own commits), as they happen."""
    counted = []
    listener = lambda connection: counted.append(1)  # noqa: E731
    event.listen(db.engine, "commit", listener)
    yield counted
    event.remove(db.engine, "commit", listener)


def test_a_bulk_queue_recomputes_every_talk_once_a_chunk_per_commit(db, make_talk, drain, monkeypatch, commits):
    """12 queued talks read 5 at a time: the queue notes more than 1/BULK_SHARE of the talks, so every
    talk is recomputed once (4 chunks of 3, one commit each) and the 12 entries removed in one more
    commit; a batch at a time would recompute the neighbourhood of each of the 3 batches."""
    monkeypatch.setattr(operations, "CHUNK", 3)
    talks = [make_talk(f"Atelier {n}", tags=["atelier"]) for n in range(12)]
    db.session.commit()
    drain()
    commits.clear()
    assert drain_related_queue(limit=5) == 12
    assert len(commits) == 4 + 1 and queued(db) == 0
    assert all(len(stored_related(talk.id)) == 5 for talk in talks)


def other_writer_can_write_now(db) -> bool:
    """Whether another connection can start writing at once: SQLite's write lock is free (BEGIN
    IMMEDIATE with no wait), or no PostgreSQL session holds an advisory writer lock."""
    if db.engine.dialect.name == "sqlite":
        other = sqlite3.connect(db.engine.url.database, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.rollback()
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            other.close()
    with db.engine.connect() as other:
        return other.scalar(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")) == 0


def test_other_writers_can_write_while_the_lists_are_computed(db, make_talk, drain, monkeypatch):
    """The related rows are computed outside any write transaction: another writer only ever waits
    for a chunk's writes (on SQLite the lock is the whole database's)."""
    here, other = make_talk(tags=["x"]), make_talk(tags=["x"])
    db.session.commit()
    drain()
    free_while_computing = []
    compute = operations.related_rows

    def observed(talk_ids):
        free_while_computing.append(other_writer_can_write_now(db))
        return compute(talk_ids)

    monkeypatch.setattr(operations, "related_rows", observed)
    drain_related_queue()
    assert free_while_computing and all(free_while_computing)
    assert stored_related(here.id) == [(other.id, "shared")]
