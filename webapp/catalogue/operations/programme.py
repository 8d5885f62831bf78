"""The programme of an event: its talks in order (Talk.position), where a new talk goes, a talk
moved one place, the whole order set at once, the talks sorted by start time, and the places where
the order contradicts the start times.

Every change of order is audited: one "reorder" entry on the event naming each talk that changed
place. Functions flush, never commit.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from webapp.core.audit import record_audit
from webapp.extensions import db
from webapp.models import Event, Talk, TalkSpeaker, User

AUDIT_TITLE_LENGTH = 80


class ProgrammeOrderError(ValueError):
    """A new order that is not exactly the talks of the programme, each once; says what is wrong."""


def programme_order(event: Event) -> list[Talk]:
    """The event's talks, drafts included, in programme order, with their speakers."""
    query = (select(Talk).where(Talk.event_id == event.id).order_by(Talk.position, Talk.id)
             .options(selectinload(Talk.speaker_links).selectinload(TalkSpeaker.speaker)))
    return list(db.session.scalars(query))


def next_position(event_id: int) -> int:
    """Where a new talk goes: at the end of its event's programme."""
    highest = db.session.scalar(select(func.max(Talk.position)).where(Talk.event_id == event_id))
    return 0 if highest is None else highest + 1


def time_contradictions(talks: list[Talk]) -> list[tuple[Talk, Talk]]:
    """(earlier, later) for each talk placed right before (among the talks that have a start time)
    a talk that starts before it. Talks without a start time contradict nothing."""
    timed = [talk for talk in talks if talk.starts_at is not None]
    return [(first, second) for first, second in zip(timed, timed[1:])
            if first.starts_at > second.starts_at]


def _apply_order(user: User, event: Event, before: list[Talk], after: list[Talk]) -> bool:
    """Number the talks in the order `after`; audit the places that changed. False if none did."""
    old_places = {talk.id: place for place, talk in enumerate(before, start=1)}
    changes = {talk.title[:AUDIT_TITLE_LENGTH]: [str(old_places[talk.id]), str(place)]
               for place, talk in enumerate(after, start=1) if old_places[talk.id] != place}
    if not changes:
        return False
    for position, talk in enumerate(after):
        talk.position = position
    db.session.flush()
    record_audit(user, "reorder", event, changes)
    return True


def reorder_programme(user: User, event: Event, talk: Talk, offset: int) -> bool:
    """Move a talk up (-1) or down (+1) the programme; False when it is already at that end."""
    ordered = programme_order(event)
    index = next(i for i, other in enumerate(ordered) if other.id == talk.id)
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(ordered):
        return False
    moved = list(ordered)
    moved[index], moved[target] = moved[target], moved[index]
    return _apply_order(user, event, ordered, moved)


def _check_order(talk_ids: list[int], talks: list[Talk]) -> None:
    known, sent = {talk.id for talk in talks}, set(talk_ids)
    if len(sent) != len(talk_ids):
        raise ProgrammeOrderError(_l("The new order names a talk more than once, but each talk must "
                                     "appear once. Nothing was changed."))
    if sent - known:
        raise ProgrammeOrderError(_l("The new order names talks that are not in this programme. It may "
                                     "have changed since the page was loaded. Nothing was changed. "
                                     "Reload the page and try again."))
    if known - sent:
        raise ProgrammeOrderError(_l("The new order leaves out talks of this programme. It may have "
                                     "changed since the page was loaded. Nothing was changed. Reload "
                                     "the page and try again."))


def set_programme_order(user: User, event: Event, talk_ids: list[int]) -> list[Talk]:
    """Put the programme in the order of `talk_ids`, which must name each of its talks once
    (else ProgrammeOrderError, and nothing changes). Returns the talks in their new order."""
    ordered = programme_order(event)
    _check_order(talk_ids, ordered)
    by_id = {talk.id: talk for talk in ordered}
    wanted = [by_id[talk_id] for talk_id in talk_ids]
    _apply_order(user, event, ordered, wanted)
    return wanted


def sort_programme_by_start(user: User, event: Event) -> list[Talk]:
    """Put the talks that have a start time in order of it, in the places they hold between them;
    talks without one keep their place, and talks starting at the same time their order."""
    ordered = programme_order(event)
    places = [place for place, talk in enumerate(ordered) if talk.starts_at is not None]
    by_start = sorted((ordered[place] for place in places), key=lambda talk: talk.starts_at)
    result = list(ordered)
    for place, talk in zip(places, by_start):
        result[place] = talk
    _apply_order(user, event, ordered, result)
    return result
