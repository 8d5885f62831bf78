"""Highlights as SAFE HTML: the text escaped, every match wrapped in <mark>...</mark>.

Matches are found by running the stored text through the same chains as the index, so
"médiathèques" is marked for the query "mediatheque", a slide match knows its page and a
transcript match its moment (the second its cue starts at).
"""
from bisect import bisect_right
from html import escape

from .analysis import ANALYZERS, matching_spans

FRAGMENT_CHARS = 240
LEAD_CHARS = 60
MAX_ANALYZED_CHARS = 50_000
MAX_ANALYZED_TRANSCRIPT_CHARS = 200_000  # about three hours of speech
EXCERPT_FIELDS = ("summary", "sections", "slides", "transcript")
ANY_LANGUAGE = ("fr", "en")  # a transcript may be in another language than its talk
MAX_WINDOW_SPANS = 200


def chains_for(language: str | None) -> tuple[str, ...]:
    return (language,) if language in ("fr", "en") else ("fr", "en")


def match_spans(text: str, chains: tuple[str, ...], terms: dict[str, set[str]],
                limit: int = MAX_ANALYZED_CHARS) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) character spans of the text that match the terms."""
    spans = set()
    for chain in chains:
        wanted = terms.get(chain)
        if wanted:
            spans.update(matching_spans(text[:limit], ANALYZERS[chain].items[-1].term, wanted))
    return _merge(sorted(spans))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def render(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    """text[start:end] escaped, with the spans inside it marked."""
    end = len(text) if end is None else end
    pieces, cursor = [], start
    for span_start, span_end in spans:
        if span_start >= cursor and span_end <= end:
            pieces.append(escape(text[cursor:span_start]))
            pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
            cursor = span_end
    pieces.append(escape(text[cursor:end]))
    return "".join(pieces)


def best_window(text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """The fragment (start, end) of about FRAGMENT_CHARS holding the most matches."""
    best_start, best_count = 0, -1
    spans = spans[:MAX_WINDOW_SPANS]
    for index, (span_start, _) in enumerate(spans):
        count = sum(1 for s, e in spans[index:] if e <= span_start + FRAGMENT_CHARS - LEAD_CHARS)
        if count > best_count:
            best_start, best_count = span_start, count
    start = max(0, best_start - LEAD_CHARS)
    start = 0 if start == 0 else _word_start(text, start)
    return start, _word_end(text, min(len(text), start + FRAGMENT_CHARS))


def _word_start(text: str, index: int) -> int:
    space = text.find(" ", index)
    return space + 1 if 0 <= space < index + 20 else index


def _word_end(text: str, index: int) -> int:
    space = text.find(" ", index)
    return space if 0 <= space < index + 20 else index


def fragment(text: str, spans: list[tuple[int, int]]) -> str:
    """The best fragment as safe HTML, with ellipses where the text was cut."""
    start, end = best_window(text, spans) if spans else (0, _word_end(text, min(len(text), FRAGMENT_CHARS)))
    html = render(text, spans, start, end).strip()
    return f"{'… ' if start > 0 else ''}{html}{' …' if end < len(text) else ''}"


def page_of(slide_map: list[list[int]], char: int) -> int | None:
    """The page of the slide text holding this character offset."""
    if not slide_map:
        return None
    index = bisect_right([start for start, _ in slide_map], char) - 1
    return slide_map[max(0, index)][1]


def _excerpt_spans(data: dict, name: str, chains: tuple[str, ...], terms) -> list[tuple[int, int]]:
    if name == "transcript":
        return match_spans(data.get(name) or "", ANY_LANGUAGE, terms, MAX_ANALYZED_TRANSCRIPT_CHARS)
    return match_spans(data.get(name) or "", chains, terms)


def talk_highlights(data: dict, terms: dict[str, set[str]]) -> tuple[dict[str, str], int | None, int | None]:
    """{"title": ..., and the best of "summary" / "sections" / "slides" / "transcript"}, the slide
    page, and the second of the first transcript cue that matches."""
    chains = chains_for(data.get("language"))
    title = data.get("title") or ""
    highlights = {"title": render(title, match_spans(title, chains, terms))}
    matches = {name: _excerpt_spans(data, name, chains, terms) for name in EXCERPT_FIELDS}
    best = max(EXCERPT_FIELDS, key=lambda name: len(matches[name]))
    if not matches[best]:
        best = next((name for name in EXCERPT_FIELDS if data.get(name)), None)
    if best:
        highlights[best] = fragment(data[best], matches[best])
    return highlights, best_slide_page(data, matches["slides"]), first_cue_second(data, matches["transcript"])


def first_cue_second(data: dict, transcript_spans: list[tuple[int, int]]) -> int | None:
    """The second of the talk at which the first matching transcript cue starts."""
    if not transcript_spans:
        return None
    return page_of(data.get("cue_map") or [], transcript_spans[0][0])


def best_slide_page(data: dict, slide_spans: list[tuple[int, int]]) -> int | None:
    """The page of the slides where the matches cluster best."""
    if not slide_spans:
        return None
    window_start, _ = best_window(data["slides"], slide_spans)
    first = next((start for start, _ in slide_spans if start >= window_start), slide_spans[0][0])
    return page_of(data.get("slide_map") or [], first)
