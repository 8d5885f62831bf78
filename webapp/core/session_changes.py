"""What the session's events show of a transaction's writes, for the features that follow them: the
search outbox (webapp/search/outbox.py), the summary data (webapp/catalogue/summary/tracking.py)
and the page cache's generation (webapp/page_cache/changes.py).

ORM flushes show their rows (`session.new`, `session.dirty`, `session.deleted`). Bulk statements
(`session.execute(update(Talk)...)`, `insert(talk_tags)`, `delete(Event)...`) skip the flush events:
a `do_orm_execute` listener sees them, and the helpers below tell which rows they touch, so that every
follower reads them the same way.
"""
from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import Connection, Table, event, func, select
from sqlalchemy.orm import ORMExecuteState, Session

from webapp.models import Talk

CHUNK = 500  # keys per IN (...): well below SQLite's and PostgreSQL's limits on parameters


def chunked(keys: Iterable, size: int = CHUNK) -> Iterator[list]:
    """The keys (None left out) in sorted runs of at most `size`: the order rows are locked in."""
    ordered = sorted({key for key in keys if key is not None})
    for start in range(0, len(ordered), size):
        yield ordered[start:start + size]


def listen_once(session_target, listeners: Iterable[tuple[str, object]]) -> None:
    """Listen on a session class or sessionmaker; idempotent."""
    for name, listener in listeners:
        if not event.contains(session_target, name, listener):
            event.listen(session_target, name, listener)


def modified_rows(session: Session) -> list:
    """Dirty rows whose own data changed. Only a talk's collections count (its tags, a secondary
    table the flush writes without row objects): a new talk in an event's programme changes the
    talk's row, not the event's."""
    return [obj for obj in session.dirty
            if session.is_modified(obj, include_collections=isinstance(obj, Talk))]


def bulk_target(state: ORMExecuteState, table_names: Iterable[str]) -> Table | None:
    """The table a bulk insert, update or delete writes, when it is one of `table_names`."""
    if not (state.is_delete or state.is_update or state.is_insert):
        return None
    table = getattr(state.statement, "table", None)
    return table if getattr(table, "name", None) in table_names else None


def parameter_rows(state: ORMExecuteState) -> list[dict]:
    params = state.parameters
    return [params] if isinstance(params, dict) else list(params or [])


# A follower's keys of a table: [(column name, name of the collector's set it goes to)].
Keys = Sequence[tuple[str, str]]


def _add(collector, keys: Keys, rows: Iterable[Sequence]) -> None:
    for row in rows:
        for (_, attribute), value in zip(keys, row):
            if value is not None:
                getattr(collector, attribute).add(value)


def collect_matched(collector, connection: Connection, state: ORMExecuteState, table: Table,
                    keys: Keys) -> None:
    """Note the keys of the rows a bulk update or delete is about to write, read before it runs."""
    query = select(*(table.c[name] for name, _ in keys)).select_from(table)
    rows = parameter_rows(state)
    if state.statement.whereclause is not None:
        query = query.where(state.statement.whereclause)
    elif rows and all("id" in row for row in rows):  # ORM bulk UPDATE by primary key
        query = query.where(table.c.id.in_([row["id"] for row in rows]))
    _add(collector, keys, connection.execute(query))


def collect_inserted(collector, state: ORMExecuteState, keys: Keys) -> None:
    """Note the keys a bulk insert's rows give."""
    _add(collector, keys, ([row.get(name) for name, _ in keys] for row in parameter_rows(state)))


def _freeze_rows(result):
    try:
        return result.freeze()
    except NotImplementedError:  # a result without rows: nothing to keep
        return None


def insert_and_find_new_ids(state: ORMExecuteState, connection: Connection, table: Table):
    """Run a bulk insert whose ids the database assigns: (its result, the ids above the old max)."""
    highest_before = connection.scalar(select(func.max(table.c.id))) or 0
    result = state.invoke_statement()
    frozen = _freeze_rows(result)  # RETURNING rows are read before our own query
    new_ids = set(connection.scalars(select(table.c.id).where(table.c.id > highest_before)))
    return (frozen() if frozen is not None else result), new_ids
