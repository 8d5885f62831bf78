"""Reading an uploaded transcript: WebVTT or SRT, told by its content, checked, normalised.

webvtt-py parses both formats; what it accepts is then checked here: text (UTF-8, or the
Windows-1252 a French subtitle editor saves), cues at all, not too many, in time order, each
ending after it starts, none starting long before the previous one ends. The cues' text is
made plain (cue tags and SRT tags stripped, entities decoded, white space collapsed): it is
never HTML. The archive keeps and serves its own WebVTT, written from those cues.
"""
import html
import io
import re
from dataclasses import dataclass

import webvtt
from flask_babel import lazy_gettext as _l
from webvtt.errors import MalformedCaptionError, MalformedFileError

from webapp.core.i18n import format_file_size

OVERLAP_TOLERANCE_MS = 1000  # a cue may start this long before the previous one ends
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
SSA_OVERRIDES = re.compile(r"\{\\[^}]*\}")
SRT_START = re.compile(r"^\d+\s*\n[^\n]*-->", re.ASCII)


class TranscriptError(Exception):
    """A refused transcript: `status` (413, 422), `code` for machines, str() for people."""

    def __init__(self, status: int, code: str, message):
        super().__init__(str(message))
        self.status, self.code = status, code


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    text: str

    @property
    def seconds(self) -> int:
        return self.start_ms // 1000

    def as_row(self) -> list:
        return [self.start_ms, self.end_ms, self.text]


def too_large_error(max_bytes: int) -> TranscriptError:
    return TranscriptError(413, "too_large", _l("The file is larger than the limit of %(limit)s.",
                                                limit=format_file_size(max_bytes)))


def read_limited(stream, max_bytes: int) -> bytes:
    """The upload's bytes, read a block at a time; 413 as soon as they pass max_bytes."""
    chunks, size = [], 0
    while chunk := stream.read(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise too_large_error(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def decoded_text(data: bytes) -> str:
    """The file as text: UTF-8 (with or without a BOM), else Windows-1252; 422 for anything binary."""
    if not data.strip():
        raise TranscriptError(422, "empty", _l("The file is empty."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text or len(CONTROL_CHARACTERS.findall(text[:10_000])) > 5:
        raise TranscriptError(422, "not_text", _l("This file is not text: upload a WebVTT (.vtt) or SRT (.srt) file."))
    return CONTROL_CHARACTERS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _captions(text: str) -> list:
    stripped = text.lstrip("\ufeff \t\n")
    try:
        if stripped.startswith("WEBVTT"):
            return webvtt.WebVTT.from_string(stripped, strict=True).captions
        if SRT_START.match(stripped):
            return webvtt.WebVTT.from_buffer(io.StringIO(stripped), format="srt").captions
    except (MalformedFileError, MalformedCaptionError, ValueError) as error:
        raise TranscriptError(422, "malformed", _l(
            "The file could not be read as WebVTT or SRT: %(reason)s.", reason=(str(error) or "?")[:200])) from error
    raise TranscriptError(422, "not_subtitles", _l(
        "This is not a WebVTT or SRT file: a WebVTT file starts with “WEBVTT”, an SRT file with a cue number "
        "then its times (00:00:01,000 --> 00:00:04,000)."))


def plain_text(caption_text: str) -> str:
    """The cue's words only (webvtt-py's Caption.text has its tags stripped already): SSA
    overrides such as {\\an8} removed, entities decoded, lines joined."""
    return " ".join(html.unescape(SSA_OVERRIDES.sub("", caption_text)).split())


def _cue(caption) -> Cue | None:
    text = plain_text(caption.text)
    if not text:
        return None
    return Cue(caption.start_time.in_milliseconds(), caption.end_time.in_milliseconds(), text)


def clock(milliseconds: int, separator: str = ".") -> str:
    """01:02:03.456 (WebVTT) or 01:02:03,456 (SRT)."""
    seconds, millis = divmod(milliseconds, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def check_timing(cues: list[Cue]) -> None:
    """422 for a cue that ends before it starts, comes before the previous one, or overlaps it badly."""
    for number, (previous, cue) in enumerate(zip([None, *cues], cues), start=1):
        if cue.end_ms < cue.start_ms:
            raise TranscriptError(422, "bad_timing", _l(
                "Cue %(number)d ends (%(end)s) before it starts (%(start)s).",
                number=number, end=clock(cue.end_ms), start=clock(cue.start_ms)))
        if previous is None:
            continue
        if cue.start_ms < previous.start_ms:
            raise TranscriptError(422, "out_of_order", _l(
                "Cue %(number)d (%(start)s) starts before the cue above it (%(previous)s): the cues must be in "
                "time order.", number=number, start=clock(cue.start_ms), previous=clock(previous.start_ms)))
        if cue.start_ms < previous.end_ms - OVERLAP_TOLERANCE_MS:
            raise TranscriptError(422, "overlap", _l(
                "Cue %(number)d starts at %(start)s, while the cue above it lasts until %(end)s: cues may "
                "overlap by one second at most.", number=number, start=clock(cue.start_ms),
                end=clock(previous.end_ms)))


def parse_transcript(data: bytes, max_cues: int) -> list[Cue]:
    """The checked cues of a WebVTT or SRT file; TranscriptError (422) with the reason."""
    captions = _captions(decoded_text(data))
    if len(captions) > max_cues:
        raise TranscriptError(422, "too_many_cues", _l(
            "The file has %(count)d cues, more than the %(max)d allowed.", count=len(captions), max=max_cues))
    cues = [cue for cue in map(_cue, captions) if cue is not None]
    if not cues:
        raise TranscriptError(422, "no_cues", _l("The file holds no cue with text."))
    check_timing(cues)
    return cues


def _vtt_text(text: str) -> str:
    return html.escape(text, quote=False).replace("--&gt;", "→")


def write_vtt(cues: list[Cue]) -> str:
    """The archive's WebVTT: numbered cues, plain text (escaped as WebVTT wants)."""
    blocks = [f"{n}\n{clock(c.start_ms)} --> {clock(c.end_ms)}\n{_vtt_text(c.text)}" for n, c in enumerate(cues, 1)]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def write_srt(cues: list[Cue]) -> str:
    blocks = [f"{n}\n{clock(c.start_ms, ',')} --> {clock(c.end_ms, ',')}\n{c.text}" for n, c in enumerate(cues, 1)]
    return "\n\n".join(blocks) + "\n"
