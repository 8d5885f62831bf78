"""Which talks' OAI records a transaction may have changed, noted as the session flushes; their
records are recomputed once, just before the outermost transaction commits (operations.py).

- `before_flush` notes deleted and modified rows while the old links still exist (a deleted
  event's talks, a renamed tag's talks);
- `after_flush` notes new rows (their ids are known by then), modified ones again;
- bulk statements skip the flush events: `do_orm_execute` notes the rows they touch;
  a bulk insert of talks notes every id above the old max (webapp/core/talk_changes.py does all three).
Over-noting is harmless: a record whose source did not change is not written.
"""
from sqlalchemy import inspect

from webapp.core.talk_changes import BULK_KEYS, TalkChangeFollower, TouchedTalks
from webapp.models import Event, SlideDeck, Speaker, Tag, Talk, TalkSpeaker
from webapp.oai.operations import refresh_records

# The columns of linked rows that a talk's record shows (a change elsewhere touches no record).
SHOWN_COLUMNS = {Event: ("slug", "title", "status", "start_date", "place", "host_organisation"),
                 Speaker: ("name",), Tag: ("name",)}


def _shows_a_change(obj, is_deleted: bool) -> bool:
    names = SHOWN_COLUMNS.get(type(obj))
    if is_deleted or names is None:
        return True
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _note(touched: TouchedTalks, obj, is_deleted: bool) -> None:
    if isinstance(obj, Talk):
        touched.talks.add(obj.id)
    elif isinstance(obj, (TalkSpeaker, SlideDeck)):
        touched.talks.add(obj.talk_id)
    elif isinstance(obj, (Event, Speaker, Tag)) and _shows_a_change(obj, is_deleted):
        kind = {Event: touched.events, Speaker: touched.speakers, Tag: touched.tags}[type(obj)]
        kind.add(obj.id)


FOLLOWER = TalkChangeFollower(key="oai_touched", note=_note, on_commit=refresh_records,
                              bulk_keys={**BULK_KEYS, "slide_decks": [("talk_id", "talks")]})
install_tracking = FOLLOWER.install
