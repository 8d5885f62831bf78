"""Which talk of an event each file of a bulk upload belongs to, from the file's name alone.

A name is folded as slugs are (accents, case and punctuation ignored: "03 - Fablab en
Médiathèque (v2).pdf" reads "03-fablab-en-mediatheque-v2"), then, in this order:
1. the slug of a talk of the event ("slug"), or its folded title ("title"), with or without a
   leading number;
2. a leading number followed by more ("03-…"): the talk at that place in the programme, counted
   from 1 ("position"); a name that is only a number is the talk at that place or the talk with that
   id; when both exist and differ, the name is ambiguous;
3. a folded title inside the name ("2016-fablab-en-mediatheque-final"), the longest one ("title");
4. the closest title by difflib, at least FUZZY_THRESHOLD alike ("fuzzy"); two titles about as
   close are ambiguous.
The organiser corrects every match in the preview before anything is saved.
"""
import difflib
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from slugify import slugify

FUZZY_THRESHOLD = 0.75
AMBIGUITY_MARGIN = 0.05
LEADING_NUMBER = re.compile(r"^(\d{1,6})(?:-(.*))?$")


@dataclass(frozen=True)
class TalkChoice:
    """A talk of the event as the matching sees it; rank is its place in the programme, from 1."""

    id: int
    slug: str
    title: str
    rank: int

    @property
    def title_key(self) -> str:
        return fold(self.title)


@dataclass(frozen=True)
class Match:
    talk_id: int | None
    reason: str | None  # slug, title, position, id, fuzzy; None when nothing (or several) matched
    candidates: tuple[int, ...] = field(default=())  # the talks an ambiguous name may mean

    @property
    def is_ambiguous(self) -> bool:
        return len(self.candidates) > 1


NO_MATCH = Match(None, None)


def fold(text: str) -> str:
    return slugify(text or "")


def name_key(filename: str) -> str:
    return fold(PurePosixPath(filename.replace("\\", "/")).stem)


def _exact(key: str, talks: list[TalkChoice]) -> Match | None:
    for talk in talks:
        if key == talk.slug:
            return Match(talk.id, "slug")
    for talk in talks:
        if key and key == talk.title_key:
            return Match(talk.id, "title")
    return None


def _by_number(number: int, rest: str | None, talks: list[TalkChoice]) -> Match | None:
    at_rank = next((talk for talk in talks if talk.rank == number), None)
    if rest:
        return Match(at_rank.id, "position") if at_rank else None
    with_id = next((talk for talk in talks if talk.id == number), None)
    if at_rank and with_id and at_rank.id != with_id.id:
        return Match(None, None, (at_rank.id, with_id.id))
    if at_rank:
        return Match(at_rank.id, "position")
    return Match(with_id.id, "id") if with_id else None


def _contained_title(key: str, talks: list[TalkChoice]) -> Match | None:
    padded = f"-{key}-"
    inside = [talk for talk in talks if talk.title_key and f"-{talk.title_key}-" in padded]
    if not inside:
        return None
    longest = max(len(talk.title_key) for talk in inside)
    best = [talk.id for talk in inside if len(talk.title_key) == longest]
    return Match(best[0], "title") if len(best) == 1 else Match(None, None, tuple(best))


def _fuzzy(key: str, talks: list[TalkChoice]) -> Match:
    scored = sorted(((difflib.SequenceMatcher(None, key, talk.title_key).ratio(), talk.id)
                     for talk in talks), reverse=True)
    close = [talk_id for score, talk_id in scored
             if score >= FUZZY_THRESHOLD and score >= scored[0][0] - AMBIGUITY_MARGIN]
    if not close:
        return NO_MATCH
    return Match(close[0], "fuzzy") if len(close) == 1 else Match(None, None, tuple(close))


def match_file(filename: str, talks: list[TalkChoice]) -> Match:
    """The talk a file's name points to, why, or the talks it may mean."""
    key = name_key(filename)
    number = LEADING_NUMBER.match(key)
    rest = number.group(2) if number else None
    for candidate in (key, rest):
        if candidate and (found := _exact(candidate, talks)):
            return found
    if number and (found := _by_number(int(number.group(1)), rest, talks)):
        return found
    for candidate in (key, rest):
        if candidate and (found := _contained_title(candidate, talks)):
            return found
    return _fuzzy(rest or key, talks) if talks and (rest or key) else NO_MATCH


def match_files(filenames: list[str], talks: list[TalkChoice]) -> list[Match]:
    return [match_file(name, talks) for name in filenames]


def doubled_talks(chosen: list[int | None]) -> set[int]:
    """The talks that more than one file was given to."""
    seen, doubled = set(), set()
    for talk_id in chosen:
        if talk_id is not None:
            (doubled if talk_id in seen else seen).add(talk_id)
    return doubled
