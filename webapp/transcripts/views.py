"""/talks/<slug>/transcripts/<lang>.vtt and .srt: a public talk's transcript, for a <track> or a download.

The WebVTT is served as text/vtt (what a <track kind="subtitles"> loads), the SRT as a download.
Both are never sniffed nor run as a page, and are revalidated by their ETag: a transcript may be
replaced under the same address.
"""
from flask import Response, abort, request

from webapp.transcripts import bp
from webapp.transcripts.queries import public_transcript
from webapp.transcripts.validation import Cue, write_srt

FORMATS = {"vtt": ("text/vtt; charset=utf-8", "inline"), "srt": ("application/x-subrip; charset=utf-8", "attachment")}


def _body(transcript, extension: str) -> str:
    if extension == "vtt":
        return transcript.vtt
    return write_srt([Cue(start_ms, end_ms, text) for start_ms, end_ms, text in transcript.cues])


@bp.get("/talks/<slug>/transcripts/<language>.<extension>")
def download(slug: str, language: str, extension: str):
    if extension not in FORMATS:
        abort(404)
    transcript = public_transcript(slug, language)
    if transcript is None:
        abort(404)
    mimetype, disposition = FORMATS[extension]
    response = Response(_body(transcript, extension), content_type=mimetype)
    response.headers["Content-Disposition"] = f'{disposition}; filename="{slug}.{language}.{extension}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.cache_control.public, response.cache_control.no_cache = True, True
    response.add_etag()
    return response.make_conditional(request)
