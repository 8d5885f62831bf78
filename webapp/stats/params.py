"""The statistics dashboard's query string: period, granularity, event and tag. Bad values are a 400."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select

from webapp.core.naming import normalize_tag
from webapp.core.params import single_arg
from webapp.extensions import db
from webapp.models import Event, Tag
from webapp.stats.queries import GRANULARITIES, StatsScope, bucket_starts

PERIODS = ("7", "30", "365", "last-month", "custom")
DEFAULT_PERIOD, DEFAULT_GRANULARITY = "30", "day"
MAX_POINTS = 800  # one point per day over two years at most
EARLIEST_DAY = date(2000, 1, 1)


@dataclass(frozen=True)
class StatsChoice:
    """What the organiser asked for, to show the form again as it was sent."""

    period: str
    granularity: str
    start: date
    end: date
    event_slug: str
    tag_name: str


def today() -> date:
    return datetime.now(timezone.utc).date()


def previous_month(day: date) -> tuple[date, date]:
    last = day.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def parse_day(raw: str | None, name: str) -> date:
    try:
        day = date.fromisoformat(raw or "")
    except ValueError:
        abort(400, description=_("“%(name)s” must be a date such as 2016-10-05.", name=name))
    if not EARLIEST_DAY <= day <= today() + timedelta(days=1):
        abort(400, description=_("“%(name)s” must be a date between 2000 and today.", name=name))
    return day


def _choice(name: str, allowed, default: str) -> str:
    value = single_arg(name) or default
    if value not in allowed:
        abort(400, description=_("Unknown value for “%(name)s”.", name=name))
    return value


def _period_days(period: str) -> tuple[date, date]:
    if period == "custom":
        start, end = parse_day(single_arg("from"), "from"), parse_day(single_arg("to"), "to")
        if start > end:
            abort(400, description=_("The first day must not be after the last day."))
        return start, end
    if period == "last-month":
        return previous_month(today())
    return today() - timedelta(days=int(period) - 1), today()


def _event(slug: str) -> Event | None:
    if not slug:
        return None
    event = db.session.scalar(select(Event).where(Event.slug == slug[:200]))
    if event is None:
        abort(400, description=_("There is no event “%(slug)s”.", slug=slug[:200]))
    return event


def _tag(raw: str) -> Tag | None:
    if not raw:
        return None
    tag = db.session.scalar(select(Tag).where(Tag.name == normalize_tag(raw[:200])))
    if tag is None:
        abort(400, description=_("There is no tag “%(name)s”.", name=raw[:200]))
    return tag


def parse_stats_args() -> tuple[StatsScope, StatsChoice]:
    """The scope of the figures, and the choice to show in the form."""
    period = _choice("period", PERIODS, DEFAULT_PERIOD)
    granularity = _choice("granularity", GRANULARITIES, DEFAULT_GRANULARITY)
    start, end = _period_days(period)
    if len(bucket_starts(start, end, granularity)) > MAX_POINTS:
        abort(400, description=_("That period is too long to show day by day: choose weeks, months or years."))
    event_slug, tag_name = single_arg("event") or "", single_arg("tag") or ""
    scope = StatsScope(start, end, granularity, _event(event_slug), _tag(tag_name))
    return scope, StatsChoice(period, granularity, start, end, event_slug, tag_name)
