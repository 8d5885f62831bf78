"""The citation files as downloads: their media types, and a Content-Disposition naming the file
(RFC 6266: an ASCII `filename`, and `filename*` in UTF-8 for readers that take it)."""
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote

from flask import Response

from webapp.catalogue.citation.bibtex import bibtex_file
from webapp.catalogue.citation.csl import MEDIA_TYPE as CSL_MEDIA_TYPE
from webapp.catalogue.citation.csl import csl_json
from webapp.catalogue.citation.records import CitableTalk
from webapp.catalogue.citation.ris import ris_file
from webapp.core.naming import fold_accents


@dataclass(frozen=True)
class ExportFormat:
    label: str
    extension: str
    content_type: str
    write: Callable[[list[CitableTalk]], str]


FORMATS = {
    "ris": ExportFormat("RIS", "ris", "application/x-research-info-systems; charset=utf-8", ris_file),
    "csl.json": ExportFormat("CSL-JSON", "csl.json", CSL_MEDIA_TYPE, csl_json),
    "bib": ExportFormat("BibTeX", "bib", "application/x-bibtex; charset=utf-8", bibtex_file),
}


def content_disposition(filename: str) -> str:
    ascii_name = fold_accents(filename).encode("ascii", "ignore").decode().replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def export_response(kind: ExportFormat, talks: list[CitableTalk], name: str) -> Response:
    """`name`: the file name without its extension (a slug)."""
    response = Response(kind.write(talks), content_type=kind.content_type)
    response.headers["Content-Disposition"] = content_disposition(f"{name}.{kind.extension}")
    return response
