"""The archive that `flask export archive` writes and `flask import archive` restores.

    DIR/manifest.json                     format version, counts, SHA-256 of every other file
    DIR/<event slug>/category.json        the event, in pyvideo's layout
    DIR/<event slug>/videos/<talk>.json   its talks, in pyvideo's layout
    DIR/<event slug>/schedule.xml         its programme, as a frab schedule
    DIR/_causeries/<kind>.jsonl           speakers, tags, series, redirects: one JSON record a line
    DIR/_causeries/files/...              the stored files, as under UPLOAD_DIR (objects/, photos/)

pyvideo records keep what pyvideo knows at their top level; everything else (status, slugs, the
Markdown sources, report sections, decks...) is under the "causeries" key of each record, as the
rows' own column values, so that a restore loses nothing. Shared by the export and the restore.
"""
import enum
import hashlib
import json
from datetime import date, datetime
from pathlib import Path

FORMAT = "causeries-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
NAMESPACE = "causeries"
EXTRA_DIR = "_causeries"
FILES_DIR = f"{EXTRA_DIR}/files"
RECORD_KINDS = ("tags", "series", "speakers", "redirects")
CHUNK_BYTES = 1024 * 1024
# Summary data (webapp/catalogue/summary/) is recomputed by the restore, never carried.
SUMMARY_COLUMNS = frozenset({"public_talk_count", "listed_on", "index_letter", "is_public",
                             "talk_position"})


class ArchiveError(Exception):
    """An archive that cannot be restored: the message says why."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def json_value(value):
    """A column value as JSON: dates as ISO 8601, enums as their value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def row_values(row, skip: frozenset = frozenset()) -> dict:
    """Every column of a row (but summary data and `skip`), as JSON values."""
    return {column.key: json_value(getattr(row, column.key)) for column in row.__table__.columns
            if column.key not in SUMMARY_COLUMNS | skip}


def encode_record(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"


def encode_line(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"
