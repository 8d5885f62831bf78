"""What OAI-PMH answers read: records from oai_records (a page follows the talk id, through the
primary key or the set table's (set_spec, talk_id) key: a harvest reads each row once), their sets,
and the sets themselves (public events by slug, then public tags by name)."""
from collections import defaultdict
from datetime import datetime, timezone

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import defer

from webapp.core.visibility import public_events, public_tags
from webapp.extensions import db
from webapp.models import Event, OaiRecord, OaiRecordSet, Tag
from webapp.oai.sources import event_set_spec, tag_set_spec
from webapp.oai.tokens import ListState

SHORT_LIST_PAGES = 20  # a list of at most this many pages is read through the datestamp index
TOP_SETS = {"event": "Events", "tag": "Tags"}  # the parents of event:<slug> and tag:<name>


def _at(epoch: int | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, timezone.utc) if epoch is not None else None


def _filtered(query: Select, state: ListState, key, datestamp=OaiRecord.datestamp,
              set_test_per_record: bool = False) -> Select:
    if state.from_at is not None:
        query = query.where(datestamp >= _at(state.from_at))
    if state.until_at is not None:
        query = query.where(datestamp <= _at(state.until_at))
    if state.set_spec == "tag":
        query = query.where(_in_some_tag_set(set_test_per_record))
    elif _names_one_set(state):
        query = query.join(OaiRecordSet, OaiRecordSet.talk_id == OaiRecord.talk_id).where(
            OaiRecordSet.set_spec == state.set_spec)
    return query.where(key > state.after)


def _in_some_tag_set(per_record: bool):
    """Whether a record is in a tag:<name> set. Per record, the test is a subquery run for each
    record the datestamp index yields: its OFFSET 0 keeps PostgreSQL from turning it into a join
    that the set table would lead (reading every tag link to find a short list's few records)."""
    links = select(OaiRecordSet.talk_id).where(OaiRecordSet.talk_id == OaiRecord.talk_id,
                                               OaiRecordSet.set_spec.startswith("tag:", autoescape=True))
    return exists(links.offset(0) if per_record else links)


def _names_one_set(state: ListState) -> bool:
    return bool(state.set_spec) and state.set_spec not in TOP_SETS


def _key(state: ListState):
    """The set table's talk_id when the set table leads the walk, else the records' primary key."""
    return OaiRecordSet.talk_id if _names_one_set(state) else OaiRecord.talk_id


def _is_short(state: ListState, limit: int) -> bool:
    return (state.size is not None and state.size <= SHORT_LIST_PAGES * limit and not _names_one_set(state)
            and (state.from_at is not None or state.until_at is not None))


def record_page_query(state: ListState, limit: int) -> Select:
    """A long list's page: the key is walked in order from state.after; the datestamp is a filter
    that no index may serve (a planner reading a wide from/until range through its index would
    sort the whole range for every page)."""
    key, unindexed_datestamp = _key(state), func.coalesce(OaiRecord.datestamp, OaiRecord.datestamp)
    return _filtered(select(OaiRecord), state, key, unindexed_datestamp).order_by(key).limit(limit)


def short_list_query(state: ListState) -> Select:
    """A short list's ids after state.after (an incremental harvest), read from the datestamp index
    alone: at most SHORT_LIST_PAGES pages of ids, which the caller sorts."""
    return _filtered(select(OaiRecord.talk_id), state, func.coalesce(OaiRecord.talk_id, OaiRecord.talk_id),
                     set_test_per_record=True)


def record_page(state: ListState, limit: int, with_metadata: bool) -> list[OaiRecord]:
    """The records of a page, in talk id order."""
    query = record_page_query(state, limit)
    if _is_short(state, limit):
        ids = sorted(db.session.scalars(short_list_query(state)))[:limit]
        query = select(OaiRecord).where(OaiRecord.talk_id.in_(ids)).order_by(OaiRecord.talk_id)
    if not with_metadata:
        query = query.options(defer(OaiRecord.source))
    return list(db.session.scalars(query))


def count_records(state: ListState) -> int:
    query = _filtered(select(func.count()).select_from(OaiRecord), state, _key(state))
    return db.session.scalar(query) or 0


def find_record(talk_id: int) -> OaiRecord | None:
    return db.session.get(OaiRecord, talk_id)


def sets_of(talk_ids: list[int]) -> dict[int, list[str]]:
    found = defaultdict(list)
    query = select(OaiRecordSet.talk_id, OaiRecordSet.set_spec).where(OaiRecordSet.talk_id.in_(talk_ids))
    for talk_id, spec in db.session.execute(query.order_by(OaiRecordSet.talk_id, OaiRecordSet.set_spec)):
        found[talk_id].append(spec)
    return found


def count_by_state() -> tuple[int, int]:
    """(live records, deleted records)."""
    rows = dict(db.session.execute(select(OaiRecord.is_deleted, func.count()).group_by(OaiRecord.is_deleted)).all())
    return rows.get(False, 0), rows.get(True, 0)


def earliest_datestamp() -> datetime | None:
    return db.session.scalar(select(func.min(OaiRecord.datestamp)))


# --- sets: "e:<slug>" then "t:<name>" keys, in order -----------------------------------------------

def set_page(after: str, limit: int) -> list[tuple[str, str, str]]:
    """(key, setSpec, setName) of the sets after the key `after` ("" first)."""
    found = []
    if after == "" or after.startswith("e:"):
        query = public_events().where(Event.slug > after[2:]).order_by(Event.slug).limit(limit)
        found = [(f"e:{event.slug}", event_set_spec(event.slug), event.title) for event in db.session.scalars(query)]
    if len(found) < limit:
        last_tag = after[2:] if after.startswith("t:") else ""
        query = public_tags().where(Tag.name > last_tag).order_by(Tag.name).limit(limit - len(found))
        found += [(f"t:{tag.name}", tag_set_spec(tag.name), tag.label) for tag in db.session.scalars(query)]
    return found


def count_sets() -> int:
    events = db.session.scalar(select(func.count()).select_from(public_events().subquery()))
    tags = db.session.scalar(select(func.count()).select_from(public_tags().subquery()))
    return (events or 0) + (tags or 0)
