"""Searching the archive: the engine answers ids, the database gives the public rows in rank order."""
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from search_index import Hit, SearchResult, Suggestion
from webapp.core.talk_cards import speakers_of
from webapp.core.visibility import public_events, public_speakers, public_tags, public_talk_condition, public_talks
from webapp.extensions import db
from webapp.models import Event, Speaker, Tag, Talk, TalkSpeaker, talk_tags
from webapp.search.documents import TALK, doc_id, split_doc_id
from webapp.search.indexing import read_index
from webapp.search.operations import expand_synonyms
from webapp.search.params import parse_search_params

SUGGESTION_LIMIT = 8
MAX_SUGGESTIONS = 50  # what the engine gives at most
ZERO_RESULT_TAGS = 12


@dataclass(frozen=True)
class TalkSummary:
    """What an API answer says of a public talk: read as plain rows, not mapped objects."""
    slug: str
    title: str
    date: date | None
    event_slug: str
    event_title: str
    speakers: list[tuple[str, str]]  # (slug, name), in the talk's order


@dataclass
class TalkHit:
    talk: Talk | TalkSummary
    hit: Hit

    @property
    def snippet(self) -> str | None:
        """The best highlighted passage other than the title (safe HTML from the engine)."""
        for name, fragment in self.hit.highlights.items():
            if name != "title" and fragment:
                return fragment
        return None


@dataclass
class SearchPage:
    result: SearchResult
    hits: list[TalkHit]
    speakers: list[Speaker]

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.result.total / self.result.per_page))

    @property
    def found_total(self) -> int:
        """The talks holding every word of the query, as the statistics count them: 0 when the hits
        hold only most of them (result.is_relaxed), so the search shows among those that found nothing."""
        return 0 if self.result.is_relaxed else self.result.total


def _talk_ids(hits: list[Hit]) -> list[int]:
    return [split_doc_id(hit.id)[1] for hit in hits]


def load_talk_hits(hits: list[Hit]) -> list[TalkHit]:
    """Public talks for the hits, in rank order; hits whose talk is not public are dropped."""
    if not hits:
        return []
    options = (joinedload(Talk.event),  # in the talks' query, and the speakers in their links': two queries
               selectinload(Talk.speaker_links).joinedload(TalkSpeaker.speaker))
    statement = public_talks().where(Talk.id.in_(_talk_ids(hits))).options(*options)
    talks = {talk.id: talk for talk in db.session.scalars(statement)}
    return [TalkHit(talks[talk_id], hit) for talk_id, hit in zip(_talk_ids(hits), hits)
            if talk_id in talks]


def load_talk_summaries(hits: list[Hit]) -> list[TalkHit]:
    """load_talk_hits, as TalkSummary rows: two plain queries, a third of the mapped loading's time."""
    if not hits:
        return []
    talk_ids = _talk_ids(hits)
    talks = db.session.execute(
        select(Talk.id, Talk.slug, Talk.title, func.coalesce(Talk.given_on, Event.start_date), Event.slug, Event.title)
        .join(Talk.event).where(public_talk_condition(), Talk.id.in_(talk_ids)))
    speakers = speakers_of(talk_ids)
    summaries = {row[0]: TalkSummary(*row[1:], speakers=[(s.slug, s.name) for s in speakers[row[0]]])
                 for row in talks}
    return [TalkHit(summaries[talk_id], hit) for talk_id, hit in zip(talk_ids, hits) if talk_id in summaries]


def load_public_speakers(slugs: list[str]) -> list[Speaker]:
    """The public speakers with these slugs, in the given order."""
    if not slugs:
        return []
    found = {s.slug: s for s in db.session.scalars(public_speakers().where(Speaker.slug.in_(slugs)))}
    return [found[slug] for slug in slugs if slug in found]


def facet_labels(facets: dict) -> dict[str, dict[str, str]]:
    """Display names for facet values that are slugs: event titles and speaker names (the /search
    page shows them; the API answers the slugs)."""
    event_slugs = list(facets.get("event", {}))
    speaker_slugs = list(facets.get("speaker", {}))
    events = db.session.execute(
        public_events().with_only_columns(Event.slug, Event.title).where(Event.slug.in_(event_slugs))
    )
    speakers = db.session.execute(
        public_speakers().with_only_columns(Speaker.slug, Speaker.name)
        .where(Speaker.slug.in_(speaker_slugs))
    )
    return {"event": dict(events.all()), "speaker": dict(speakers.all())}


def search_archive(params, per_page: int, facet_limit: int | None = None,
                   load_hits: Callable[[list[Hit]], list[TalkHit]] = load_talk_hits) -> SearchPage:
    """One page of results for SearchParams: talks (loaded by `load_hits`), matching speakers,
    facets (the `facet_limit` most frequent values of each, else as many as the parameters ask)."""
    request = params.to_request(per_page, facet_limit)
    expanded = replace(request, q=expand_synonyms(request.q))  # organisers' synonyms, see operations.py
    result = read_index(lambda index: index.search(expanded))
    if expanded.q != request.q:
        result.suggestion = None  # a spelling suggestion would show the expanded query
    speakers = load_public_speakers([entry["slug"] for entry in result.speakers])
    return SearchPage(result=result, hits=load_hits(result.hits), speakers=speakers)


def talks_of_search_page(args, per_page: int) -> list[Talk]:
    """The public talks that /search shows for these URL arguments (the same page, in rank order),
    for the citation exports of a result page; none for a blank search. Raises
    InvalidSearchParams, a ValueError with a message for people, as /search answers 400."""
    params = parse_search_params(args)
    if params.is_blank:
        return []
    return [hit.talk for hit in search_archive(params, per_page).hits]


def most_used_tags(limit: int = ZERO_RESULT_TAGS) -> list[tuple[str, int]]:
    """(tag name, number of public talks), most used first: ideas for a search that found nothing."""
    talk_count = func.count(Talk.id)
    query = (
        select(Tag.name, talk_count)
        .join(talk_tags, talk_tags.c.tag_id == Tag.id).join(Talk, Talk.id == talk_tags.c.talk_id)
        .where(public_talk_condition()).group_by(Tag.id, Tag.name)
        .order_by(talk_count.desc(), Tag.name).limit(limit)
    )
    return [(name, count) for name, count in db.session.execute(query)]


PUBLIC_ROWS = {"talk": (Talk.slug, public_talks), "speaker": (Speaker.slug, public_speakers),
               "tag": (Tag.name, public_tags)}


def _public_keys(kind: str, keys: set[str]) -> set[str]:
    """Those of the slugs (tag names) that name a row the public may see."""
    if not keys:
        return set()
    column, public_rows = PUBLIC_ROWS[kind]
    return set(db.session.scalars(public_rows().with_only_columns(column).where(column.in_(keys))))


def suggest_completions(prefix: str, limit: int = SUGGESTION_LIMIT) -> list[Suggestion]:
    """Autocompletion: talks, speakers and tags starting with prefix; only public ones.

    The index's vocabulary still holds the tags of unpublished and deleted talks (until its
    segments merge), so every suggestion is checked against the database; the index is asked
    for more than `limit` to make up for those left out."""
    if not prefix.strip():
        return []
    suggestions = read_index(lambda index: index.suggest(prefix, min(limit * 2, MAX_SUGGESTIONS)))
    public = {kind: _public_keys(kind, {s.slug for s in suggestions if s.type == kind}) for kind in PUBLIC_ROWS}
    return [s for s in suggestions if s.slug in public.get(s.type, ())][:limit]


def similar_talk_ids(talk_id: int, limit: int) -> list[int]:
    """Ids of the indexed talks whose text is nearest this talk's, best first (more like this)."""
    doc_ids = read_index(lambda index: index.similar_talks(doc_id(TALK, talk_id), limit))
    return [split_doc_id(found)[1] for found in doc_ids]
