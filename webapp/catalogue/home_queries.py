"""Read-side queries of the home page: what the archive holds and the ways into it.

Each section is one query, however large the archive (the page's query count is constant), and
counts public talks only (core/visibility.py).
"""
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select

from webapp.catalogue.queries import (
    TagCount,
    archive_totals,
    event_years,
    latest_events,
    tag_cloud,
    talk_list_options,
)
from webapp.core.visibility import public_talk_condition, public_talks
from webapp.extensions import db
from webapp.models import REPORT_SECTIONS, Event, Series, Speaker, Talk, TalkSpeaker
from webapp.slides.queries import has_ready_slides

BROWSE_SIZE = 8  # places and organisations listed
SERIES_SIZE = 4
READING_SIZE = 4
EXAMPLE_TAGS = 2  # search examples: the most used tags, then the speaker with the most talks


@dataclass(frozen=True)
class LabelCount:
    label: str  # a place or an organisation, as the events spell it
    talk_count: int

    @property
    def search_query(self) -> str:
        """The search for the talks of these events: the search's event field holds their title,
        place and host organisation."""
        return 'event:"%s"' % " ".join(self.label.replace('"', " ").split())


@dataclass(frozen=True)
class SeriesSummary:
    series: Series
    published_count: int
    first_slug: str  # the series' first public talk, where a reader starts


@dataclass(frozen=True)
class ReadingItem:
    talk: Talk
    has_slides: bool


@dataclass(frozen=True)
class HomePage:
    totals: dict[str, int]
    events: list[Event]
    cloud: list[TagCount]
    search_examples: list[str]
    series: list[SeriesSummary]
    reading: list[ReadingItem]
    years: list[tuple[int, int]]
    places: list[LabelCount]
    organisations: list[LabelCount]


def home_page() -> HomePage:
    cloud = tag_cloud()
    return HomePage(
        totals=archive_totals(), events=latest_events(), cloud=cloud,
        search_examples=search_examples(cloud), series=series_summaries(), reading=reading_selection(),
        years=event_years(), places=talk_counts_by(Event.place), organisations=talk_counts_by(Event.host_organisation),
    )


def search_examples(cloud: list[TagCount]) -> list[str]:
    """Searches that find talks: the most used tags ("#name"), then the busiest speaker's name."""
    by_use = sorted(cloud, key=lambda item: (-item.talk_count, item.tag.name))
    examples = [f"#{item.tag.name}" for item in by_use[:EXAMPLE_TAGS]]
    speaker = _busiest_speaker()
    return examples + ([speaker] if speaker else [])


def _busiest_speaker() -> str | None:
    talk_count = func.count(Talk.id)
    query = (select(Speaker.name).join(TalkSpeaker, TalkSpeaker.speaker_id == Speaker.id)
             .join(Talk, Talk.id == TalkSpeaker.talk_id).where(public_talk_condition())
             .group_by(Speaker.id, Speaker.name, Speaker.sort_key)
             .order_by(talk_count.desc(), Speaker.sort_key, Speaker.id).limit(1))
    return db.session.scalar(query)


def talk_counts_by(column, limit: int = BROWSE_SIZE) -> list[LabelCount]:
    """The values of an event column (place, host organisation) with the most public talks."""
    talk_count = func.count(Talk.id)
    query = (select(column, talk_count).select_from(Talk).join(Talk.event)
             .where(public_talk_condition(), column.is_not(None), column != "")
             .group_by(column).order_by(talk_count.desc(), column).limit(limit))
    return [LabelCount(label, count) for label, count in db.session.execute(query)]


def series_summaries(limit: int = SERIES_SIZE) -> list[SeriesSummary]:
    """Series with public talks, the fullest first, each with its first public talk."""
    in_order = (Talk.series_position.nulls_last(), Talk.given_on.nulls_last(), Talk.id)
    ranked = (select(Talk.series_id, Talk.slug,
                     func.row_number().over(partition_by=Talk.series_id, order_by=in_order).label("rank"),
                     func.count(Talk.id).over(partition_by=Talk.series_id).label("published"))
              .where(public_talk_condition(), Talk.series_id.is_not(None)).subquery())
    query = (select(Series, ranked.c.published, ranked.c.slug)
             .join(ranked, ranked.c.series_id == Series.id).where(ranked.c.rank == 1)
             .order_by(ranked.c.published.desc(), Series.title, Series.id).limit(limit))
    return [SeriesSummary(*row) for row in db.session.execute(query)]


def _has_written_report():
    return or_(*(and_(getattr(Talk, name).is_not(None), getattr(Talk, name) != "") for name in REPORT_SECTIONS))


def reading_selection(limit: int = READING_SIZE) -> list[ReadingItem]:
    """Talks with a written experience report, those with their slides first, newest first."""
    with_slides = has_ready_slides().label("has_slides")
    query = (public_talks().add_columns(with_slides).join(Talk.event).where(_has_written_report())
             .order_by(with_slides.desc(), func.coalesce(Talk.given_on, Event.start_date).desc().nulls_last(),
                       Talk.id.desc())
             .options(*talk_list_options()).limit(limit))
    return [ReadingItem(talk, bool(slides)) for talk, slides in db.session.execute(query)]
