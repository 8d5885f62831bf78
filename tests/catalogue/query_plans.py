"""The statements a request runs, and the table reads in their query plans that grow with the archive.

A read is *bounded* when an index narrows it to the rows asked for (a slug, an id, a talk's tags).
A read that goes through a whole table, or a whole index range such as "every published talk",
is *unbounded*; it is allowed only as the outer loop of a top-level ORDER BY ... LIMIT that the index
itself delivers in order (no sort step), where the database stops after the first rows.

SQLite: EXPLAIN QUERY PLAN, as the planner runs without statistics (as the application does).
PostgreSQL: EXPLAIN (FORMAT JSON) after ANALYZE, with sequential scans, bitmap scans, hash and merge
joins turned off (PLANNER_SETTINGS). A test's tables are small enough for PostgreSQL to read
them whole whatever the indexes; so the test asks for the plan that reads through indexes, as the
planner picks it once the tables are large. A whole-table read left in that plan means that no index
can serve the query.
"""
import re
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import event

# Tables that grow with the archive, and the summary tables that stand in for counting them.
WATCHED = {"talks", "speakers", "talk_tags", "talk_speakers", "tags", "events", "series", "tag_events",
           "reading_list", "event_tags", "slide_decks"}
PLANNER_SETTINGS = ("enable_seqscan", "enable_bitmapscan", "enable_hashjoin", "enable_mergejoin")
# Columns whose values are shared by a large part of a table: a condition on them alone reads that part.
UNSELECTIVE = {"status", "is_public", "is_current", "public_talk_count", "index_letter"}


@dataclass(frozen=True)
class Statement:
    sql: str
    parameters: object

    @property
    def short(self) -> str:
        return " ".join(self.sql.split())[:160]


@contextmanager
def recorded_statements(engine):
    """Every SELECT sent to the database inside the block."""
    found = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            found.append(Statement(statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", record)


def unbounded_reads(engine, statements: list[Statement]) -> list[str]:
    """'<statement>: <read>' for each unbounded read of a watched table."""
    raw = engine.raw_connection()
    try:
        explain = _sqlite_reads if engine.dialect.name == "sqlite" else _postgresql_reads
        return [f"{statement.short}\n    {read}" for statement in statements for read in explain(raw, statement)]
    finally:
        raw.close()


# --- SQLite -------------------------------------------------------------------------------------

_ACCESS = re.compile(r"^(SCAN|SEARCH) (\w+)(?: AS \w+)?(?: USING (?:COVERING )?INDEX \w+| USING INTEGER PRIMARY KEY)?"
                     r"(?: \((.*)\))?")


def _sqlite_constraint_is_selective(constraint: str | None) -> bool:
    """Whether the index is searched for equal values of a column that tells rows apart."""
    equalities = re.findall(r"(\w+)(?:=| IN)", constraint or "")
    return any(column not in UNSELECTIVE for column in equalities)


def _sqlite_reads(raw, statement: Statement) -> list[str]:
    """Reads are grouped by the (sub)query they belong to: the first read of a group may be an
    ordered index read, when the statement has a LIMIT and the group no sort step."""
    cursor = raw.cursor()
    cursor.execute("EXPLAIN QUERY PLAN " + statement.sql, statement.parameters)
    rows = [(parent, detail) for _, parent, _, detail in cursor.fetchall()]
    sorted_groups = {parent for parent, detail in rows  # sorting only ties of an index's order is fine
                     if detail.startswith("USE TEMP B-TREE FOR") and "RIGHT PART" not in detail}
    has_limit = " LIMIT " in statement.sql.upper()
    found, seen_groups = [], set()
    for parent, detail in rows:
        match = _ACCESS.match(detail)
        if not match:
            continue
        is_first_of_group = parent not in seen_groups
        seen_groups.add(parent)
        kind, table, constraint = match.groups()
        if table not in WATCHED or (kind == "SEARCH" and _sqlite_constraint_is_selective(constraint)):
            continue
        is_ordered_read = is_first_of_group and has_limit and parent not in sorted_groups and "INDEX" in detail
        if not is_ordered_read:
            found.append(detail)
    return found


# --- PostgreSQL ---------------------------------------------------------------------------------

_SORTING = {"Sort", "Aggregate", "Hash", "Hash Join", "Merge Join", "Materialize",
            "Unique", "SetOp", "WindowAgg", "Gather Merge"}
_KEEPING_ORDER = {"Nested Loop", "Result", "Subquery Scan", "Incremental Sort"}  # sorts ties of an order only
_CONDITION_KEYS = ("Index Cond", "Recheck Cond")


def _postgresql_reads(raw, statement: Statement) -> list[str]:
    import psycopg

    cursor = psycopg.ClientCursor(raw.driver_connection)
    for setting in PLANNER_SETTINGS:
        cursor.execute(f"SET {setting} = off")
    cursor.execute("EXPLAIN (FORMAT JSON) " + statement.sql, statement.parameters)
    plan = cursor.fetchone()[0][0]["Plan"]
    found = []
    _walk(plan, in_ordered_limit=False, found=found)
    return found


def _pg_condition_is_selective(node: dict) -> bool:
    conditions = " ".join(node.get(key, "") for key in _CONDITION_KEYS)
    for child in node.get("Plans", []):  # a Bitmap Heap Scan's conditions are its Bitmap Index Scans'
        if child["Node Type"].startswith("Bitmap"):
            conditions += " " + " ".join(child.get(key, "") for key in _CONDITION_KEYS)
    equalities = re.findall(r"\(?(\w+)\)?(?:::\w+)? (?:=|= ANY) ", conditions)
    return any(column.strip('"') not in UNSELECTIVE for column in equalities)


def _describe(node: dict) -> str:
    conditions = "; ".join(f"{key}: {node[key]}" for key in (*_CONDITION_KEYS, "Filter") if key in node)
    return f"{node['Node Type']} on {node.get('Relation Name')} ({node.get('Index Name', 'no index')}) {conditions}"


def _walk(node: dict, in_ordered_limit: bool, found: list) -> None:
    kind, table = node["Node Type"], node.get("Relation Name")
    if table in WATCHED and kind != "Bitmap Index Scan":
        is_ordered_index_read = kind in ("Index Scan", "Index Only Scan") and in_ordered_limit
        if kind == "Seq Scan" or not (_pg_condition_is_selective(node) or is_ordered_index_read):
            found.append(_describe(node))
    for position, child in enumerate(node.get("Plans", [])):
        is_outer = position == 0 and child.get("Parent Relationship") in ("Outer", None)
        keeps_order = kind == "Limit" or (in_ordered_limit and kind in _KEEPING_ORDER)
        _walk(child, in_ordered_limit=keeps_order and is_outer and kind not in _SORTING, found=found)
