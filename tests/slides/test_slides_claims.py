"""Claims and leases across processes and hosts: each deck is processed exactly once whatever the
number of workers, a worker killed mid-deck is resumed once its lease runs out, and a worker whose
lease was taken over writes nothing more. Real processes, on SQLite or TEST_DATABASE_URL."""
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from tests.slides.conftest import reloaded
from webapp.models import DeckStatus, SlideDeck, SlidePage
from webapp.models._base import utcnow
from webapp.slides.leases import DeckLease, LeaseLost, claim_next_deck
from webapp.slides.operations import process_deck, process_pending_decks

ROOT = Path(__file__).resolve().parents[2]
GENEROUS_SECONDS = 180

# One processing pass, as `flask slides process` runs it, in a process of its own.
PASS_PROGRAM = textwrap.dedent("""
    from webapp import create_app
    from webapp.slides.worker import run_pass

    app = create_app({"SLIDES_WORKER": "off", "SEARCH_WRITER": "off"})
    print("processed", run_pass(app), flush=True)
""")


@pytest.fixture
def child_env(app, tmp_path):
    return {**os.environ, "SECRET_KEY": "test-secret-key", "PYTHONPATH": str(ROOT),
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"],
            "UPLOAD_DIR": app.config["UPLOAD_DIR"],
            "SLIDES_WORKER_LOCK_DIR": str(tmp_path / "host")}


def start_pass(env, **settings) -> subprocess.Popen:
    env = {**env, **{name: str(value) for name, value in settings.items()}}
    return subprocess.Popen([sys.executable, "-c", PASS_PROGRAM], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def processed_count(child: subprocess.Popen) -> int:
    out, err = child.communicate(timeout=GENEROUS_SECONDS)
    assert child.returncode == 0, err
    return int(out.split()[-1])


def test_four_processes_process_twenty_decks_exactly_once(db, add_deck, make_pdf, child_env):
    decks = [add_deck(make_pdf(f"Exposé {n}", f"Suite {n}"), f"deck-{n}.pdf") for n in range(20)]
    children = [start_pass(child_env) for _ in range(4)]
    assert sum(processed_count(child) for child in children) == 20
    db.session.expire_all()
    for deck in decks:
        deck = reloaded(db, deck.id)
        assert deck.status == DeckStatus.READY and deck.attempts == 1 and deck.lease_expires_at is None
        assert [page.number for page in deck.pages] == [1, 2] and deck.page_count == 2
    assert db.session.scalar(select(func.count(SlidePage.id))) == 40  # each page written once


def _descendants(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(child) for child in (task / "children").read_text().split()]
    return children + [grandchild for child in children for grandchild in _descendants(child)]


def kill_with_its_sandbox(child: subprocess.Popen) -> None:
    """SIGKILL, as a host dying would: the worker and the parser it started."""
    sandboxes = _descendants(child.pid)
    child.kill()
    child.communicate(timeout=GENEROUS_SECONDS)
    for pid in sandboxes:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _progress(db, deck_id: int) -> tuple:
    db.session.rollback()  # see the child's commits
    deck = db.session.get(SlideDeck, deck_id)
    db.session.refresh(deck)
    return deck.lease_expires_at, db.session.scalar(
        select(func.count(SlidePage.id)).where(SlidePage.deck_id == deck_id))


def test_a_worker_killed_mid_deck_is_resumed_once_its_lease_runs_out(
        app, db, add_deck, make_pdf, child_env, wait_until):
    texts = [f"diapositive {n}" for n in range(1, 51)]
    deck = add_deck(make_pdf(*texts), "long.pdf")
    child = start_pass(child_env, SLIDES_LEASE_SECONDS=4)
    try:
        assert wait_until(lambda: _progress(db, deck.id)[0] is not None, timeout=60)
        first_lease, _ = _progress(db, deck.id)
        # while it works, it saves pages and renews its lease
        assert wait_until(lambda: _progress(db, deck.id)[1] > 0
                          and _progress(db, deck.id)[0] > first_lease, timeout=60)
    finally:
        kill_with_its_sandbox(child)
    lease, pages_left = _progress(db, deck.id)
    assert reloaded(db, deck.id).status == DeckStatus.PROCESSING and pages_left < len(texts)
    db.session.rollback()
    if utcnow() < lease - timedelta(seconds=1):
        assert process_pending_decks() == 0  # its lease still holds
    assert wait_until(lambda: utcnow() > lease, timeout=10)
    assert process_pending_decks() == 1  # another worker resumes it
    deck = reloaded(db, deck.id)
    assert deck.status == DeckStatus.READY and deck.attempts == 2 and deck.page_count == len(texts)
    assert [page.text for page in deck.pages] == texts


def test_a_stale_worker_cannot_overwrite_the_new_holders_results(app, db, add_deck, make_pdf):
    deck = add_deck(make_pdf("Première", "Deuxième"), "deck.pdf")
    app.config["SLIDES_LEASE_SECONDS"] = 1
    with app.app_context():  # worker A claims the deck, then stalls past its lease
        stale_lease = DeckLease.of(claim_next_deck())
        db.session.commit()
    time.sleep(1.1)
    app.config["SLIDES_LEASE_SECONDS"] = 60
    assert process_pending_decks() == 1  # worker B takes it over and finishes it
    taken_over = reloaded(db, deck.id)
    page_ids = [page.id for page in taken_over.pages]
    assert taken_over.status == DeckStatus.READY and taken_over.attempts == 2
    with app.app_context():  # worker A wakes up
        stale_deck = db.session.get(SlideDeck, deck.id)
        with pytest.raises(LeaseLost):
            process_deck(stale_deck, save_progress=db.session.commit, lease=stale_lease)
        db.session.rollback()
        with pytest.raises(LeaseLost):
            stale_lease.renew()
        db.session.rollback()
    deck = reloaded(db, deck.id)
    assert deck.status == DeckStatus.READY and deck.attempts == 2
    assert [page.id for page in deck.pages] == page_ids and deck.page_count == 2


def test_a_worker_whose_lease_is_lost_mid_deck_stops_and_writes_nothing(app, db, add_deck, make_pdf):
    texts = [f"page {n}" for n in range(1, 81)]
    deck = add_deck(make_pdf(*texts), "deck.pdf")
    claimed = claim_next_deck()
    db.session.commit()
    lease = DeckLease.of(claimed)
    commits = []

    def save_progress() -> None:
        db.session.commit()
        commits.append(time.monotonic())
        if len(commits) == 2:  # another worker takes the deck over (a new lease of its own)
            with app.app_context():
                db.session.execute(text("UPDATE slide_decks SET lease_expires_at = :later, "
                                        "attempts = attempts + 1 WHERE id = :id"),
                                   {"later": utcnow() + timedelta(hours=1), "id": deck.id})
                db.session.commit()

    started = time.monotonic()
    with pytest.raises(LeaseLost):
        process_deck(claimed, save_progress=save_progress, lease=lease)
    db.session.rollback()
    assert len(commits) == 2  # nothing more was saved once the lease was lost
    deck = reloaded(db, deck.id)
    assert deck.status == DeckStatus.PROCESSING and deck.attempts == 2
    assert len(deck.pages) < len(texts) and time.monotonic() - started < 60


@pytest.mark.skipif("postgresql" not in os.environ.get("TEST_DATABASE_URL", ""),
                    reason="row locks: PostgreSQL only (SQLite has one writer at a time)")
def test_a_claim_skips_a_deck_another_claim_holds(app, db, add_deck, make_pdf):
    first = add_deck(make_pdf("un"), "1.pdf")
    second = add_deck(make_pdf("deux"), "2.pdf")
    with db.engine.connect() as other:  # another host, in the middle of claiming the first deck
        other.execute(text("SELECT id FROM slide_decks WHERE id = :id FOR UPDATE"), {"id": first.id})
        started = time.monotonic()
        claimed = claim_next_deck()
        db.session.commit()
        assert claimed.id == second.id and time.monotonic() - started < 2
        other.rollback()
    assert claim_next_deck().id == first.id


def test_a_lease_that_still_holds_is_left_alone_by_every_worker(db, add_deck, make_pdf, runner):
    deck = add_deck(make_pdf("un"), "1.pdf")
    deck.attempts, deck.lease_expires_at = 1, utcnow() + timedelta(hours=1)  # another host's
    db.session.commit()
    assert claim_next_deck() is None
    db.session.commit()
    assert "Decks processed: 0" in runner.invoke(args=["slides", "process"]).output


def test_one_slide_worker_thread_per_host(app, tmp_path):
    from webapp.slides.worker import host_election

    app.config["SLIDES_WORKER_LOCK_DIR"] = str(tmp_path / "host-a")
    first, second = host_election(app), host_election(app)
    app.config["SLIDES_WORKER_LOCK_DIR"] = str(tmp_path / "host-b")
    other_host = host_election(app)
    try:
        assert first.try_acquire() and not second.try_acquire()
        assert other_host.try_acquire()  # another host's worker runs too
    finally:
        for election in (first, second, other_host):
            election.release()
