"""Which commits change public content: those that wrote a row of any table but the private ones.

Like the search outbox (webapp/search/outbox.py), the session's events see every change: the
flush's new, modified and deleted rows, and bulk insert/update/delete statements. The search
outbox knows the commits that change a search document; public pages show more than search does
(slide decks and their pages, redirects of old addresses, programmes, series), so here every
table counts except those no public page reads: accounts, sessions, tokens, login throttling,
invitations, the audit log, the search queue and the statistics. A new table counts until it is
listed here: a needless bump costs a re-render, a missed one a stale page.

The generation is bumped after the commit, never before: a page rendered from the old rows always
carries the old generation. The bump writes it in the cache backend and, in a short transaction of
its own, in the content_generation table, which hosts without a shared cache server read
(shared_generation.py). A rollback forgets the change (a savepoint's rollback does not, so
the enclosing commit bumps anyway: harmless, and rare). Raw SQL (`text()`) is not seen: bump
yourself (`flask page-cache clear`). A process killed between its commit and the bump leaves
pages stale for at most PAGE_CACHE_SECONDS.

The search pages the cache keeps follow the search index, which the writer updates a moment after
the commit: each commit of the index draws a generation too (webapp/core/signals.py).

Statistics are private on purpose: the collector writes every few seconds, and a talk page that
shows its view count (an event's choice) shows it at most PAGE_CACHE_SECONDS late.
"""
from sqlalchemy.orm import ORMExecuteState, Session

from webapp.core.session_changes import listen_once
from webapp.core.signals import search_index_changed
from webapp.page_cache.store import current_store

CHANGED_KEY = "page_cache_public_change"  # in session.info: this transaction changed public rows
PRIVATE_TABLES = frozenset({
    "users", "user_sessions", "api_tokens", "login_attempts", "password_reset_requests",
    "speaker_invitations", "audit_entries", "search_queue", "daily_counts", "search_query_days",
    "content_generation", "related_queue",
})


def _is_public_table(table) -> bool:
    return getattr(table, "name", None) not in PRIVATE_TABLES


def _is_public_row(obj) -> bool:
    return _is_public_table(getattr(type(obj), "__table__", None))


def _after_flush(session: Session, flush_context) -> None:
    if session.info.get(CHANGED_KEY):
        return
    written = [*session.new, *session.deleted]
    written += [obj for obj in session.dirty if _is_public_row(obj) and session.is_modified(obj)]
    if any(_is_public_row(obj) for obj in written):
        session.info[CHANGED_KEY] = True


def _do_orm_execute(state: ORMExecuteState) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and \
            _is_public_table(getattr(state.statement, "table", None)):
        state.session.info[CHANGED_KEY] = True


def _after_commit(session: Session) -> None:
    """The outermost commit bumps; a savepoint's release (which SQLAlchemy also reports as a
    commit) waits for it: its rows are not visible to anyone yet."""
    if session.in_nested_transaction():
        return
    if session.info.pop(CHANGED_KEY, False) and (store := current_store()) is not None:
        store.bump()


def _after_soft_rollback(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:
        session.info.pop(CHANGED_KEY, None)


def _bump_for_the_index(sender) -> None:
    """Search pages follow the index, which the writer commits after the database: each index
    commit draws a generation too (readers see a commit as soon as it is made). This host's
    generation only: every host has its own index, whose commits are no news to the others."""
    if (store := current_store()) is not None:
        store.bump_host()


def install_change_tracking(session_target) -> None:
    """Listen on a session class or sessionmaker, and for the search index's commits; idempotent."""
    search_index_changed.connect(_bump_for_the_index)
    listen_once(session_target, [("after_flush", _after_flush), ("do_orm_execute", _do_orm_execute),
                                 ("after_commit", _after_commit), ("after_soft_rollback", _after_soft_rollback)])
