"""Read-side queries of the home page: what the archive holds and the ways into it.

Each section is one query, however large the archive (the page's query count is constant), and
counts public talks only (core/visibility.py). None counts or sorts the archive: each reads the
first rows of an index over the summary data (webapp/catalogue/summary/).
"""
from dataclasses import dataclass

from sqlalchemy import select

from webapp.catalogue.queries import (
    TagCount,
    archive_counts,
    archive_totals,
    event_years,
    latest_events,
    tag_cloud,
)
from webapp.core.talk_cards import TalkCard, talk_cards
from webapp.core.visibility import public_talk_condition
from webapp.extensions import db
from webapp.models import Event, Facet, ReadingListEntry, Series, Speaker, Talk

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
    talk: TalkCard
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
        years=event_years(), places=talk_counts_by(Facet.TALKS_BY_PLACE),
        organisations=talk_counts_by(Facet.TALKS_BY_ORGANISATION),
    )


def search_examples(cloud: list[TagCount]) -> list[str]:
    """Searches that find talks: the most used tags ("#name"), then the busiest speaker's name."""
    by_use = sorted(cloud, key=lambda item: (-item.talk_count, item.tag.name))
    examples = [f"#{item.tag.name}" for item in by_use[:EXAMPLE_TAGS]]
    speaker = _busiest_speaker()
    return examples + ([speaker] if speaker else [])


def _busiest_speaker() -> str | None:
    query = (select(Speaker.name).where(Speaker.public_talk_count > 0)
             .order_by(Speaker.public_talk_count.desc(), Speaker.sort_key, Speaker.id).limit(1))
    return db.session.scalar(query)


def talk_counts_by(facet: str, limit: int = BROWSE_SIZE) -> list[LabelCount]:
    """The places (or host organisations) of public events with the most public talks."""
    return [LabelCount(label, count) for label, count in archive_counts(facet, limit=limit)]


def _first_public_talk_slug():
    """The slug of the series' first public talk (a subquery on the series' own talks)."""
    in_order = (Talk.series_position.nulls_last(), Talk.given_on.nulls_last(), Talk.id)
    return (select(Talk.slug).where(Talk.series_id == Series.id, public_talk_condition())
            .order_by(*in_order).limit(1).correlate(Series).scalar_subquery())


def series_summaries(limit: int = SERIES_SIZE) -> list[SeriesSummary]:
    """Series with public talks, the fullest first, each with its first public talk."""
    query = (select(Series, Series.public_talk_count, _first_public_talk_slug())
             .where(Series.public_talk_count > 0)
             .order_by(Series.public_talk_count.desc(), Series.title, Series.id).limit(limit))
    return [SeriesSummary(series, count, slug) for series, count, slug in db.session.execute(query) if slug]


def reading_selection(limit: int = READING_SIZE) -> list[ReadingItem]:
    """Talks with a written experience report, those with their slides first, newest first."""
    entry = ReadingListEntry
    in_order = (entry.has_slides.desc(), entry.listed_on.desc(), entry.talk_id.desc())
    # The first entries of the list's index, then their talks (never the talks, then the list).
    first = db.session.execute(select(entry.talk_id, entry.has_slides).order_by(*in_order).limit(limit)).all()
    cards = {card.id: card for card in talk_cards([talk_id for talk_id, _ in first])}
    return [ReadingItem(cards[talk_id], bool(slides)) for talk_id, slides in first if talk_id in cards]
