"""Decide what an uploaded file is from its content, never from its name or declared type.

- PDF: "%PDF-" near the start and "%%EOF" near the end (else truncated); then opened by pdfium in
  the sandbox (webapp/slides/processing.py): a password-protected or unreadable PDF is refused.
  A PDF that opens without a password (even with owner-only restrictions) is accepted.
- PPTX / ODP / KEY: a zip whose central directory is checked BEFORE anything is extracted: number
  of entries, total expanded size and compression ratio within limits (zip bombs), then the
  members that identify the format ([Content_Types].xml + ppt/presentation.xml; the ODF mimetype
  member; Keynote's Index/ or index.apxl).
"""
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from webapp.models import DeckKind
from webapp.slides.processing import ProcessingError, inspect_pdf

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
HEAD_BYTES = 1024
TAIL_BYTES = 2048
ODP_MIMETYPE = b"application/vnd.oasis.opendocument.presentation"
SMALL_MEMBER_BYTES = 1024 * 1024  # a member this small may compress very well without harm


class SlideUploadError(Exception):
    """A refused file: the HTTP status, a short machine code and a message for people."""

    def __init__(self, status: int, code: str, message):
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message  # lazy: translated when shown, in the reader's language

    def __str__(self) -> str:
        return str(self.message)


def unsupported() -> SlideUploadError:
    return SlideUploadError(415, "unsupported_type", _l(
        "This file is not a PDF, PowerPoint (PPTX), OpenDocument (ODP) or Keynote presentation."))


def unreadable(message=None) -> SlideUploadError:
    return SlideUploadError(422, "corrupt", message or _l(
        "The file is damaged or incomplete and cannot be read."))


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int
    max_unzipped_bytes: int
    max_ratio: float

    @classmethod
    def from_config(cls) -> "ZipLimits":
        config = current_app.config
        return cls(config["SLIDES_MAX_ZIP_ENTRIES"], config["SLIDES_MAX_UNZIPPED_BYTES"],
                   config["SLIDES_MAX_ZIP_RATIO"])


def _read_head_and_tail(path: Path) -> tuple[bytes, bytes]:
    with open(path, "rb") as file:
        head = file.read(HEAD_BYTES)
        file.seek(0, 2)
        file.seek(max(0, file.tell() - TAIL_BYTES))
        return head, file.read()


def detect_kind(path: Path) -> DeckKind:
    """The deck's kind from its content; SlideUploadError (415 or 422) otherwise."""
    head, tail = _read_head_and_tail(path)
    if not head:
        raise SlideUploadError(422, "empty", _l("The file is empty."))
    if PDF_MAGIC in head:
        check_pdf(path, tail)
        return DeckKind.PDF
    if head.startswith(ZIP_MAGIC):
        return check_zip(path, ZipLimits.from_config())
    raise unsupported()


def check_pdf(path: Path, tail: bytes) -> int:
    if b"%%EOF" not in tail:
        raise unreadable(_l("The PDF is incomplete (it was probably cut off during the transfer)."))
    try:
        pages = inspect_pdf(path)
    except ProcessingError as error:
        raise _pdf_refusal(error) from error
    check_page_count(pages)
    return pages


def _pdf_refusal(error: ProcessingError) -> SlideUploadError:
    if error.kind == "encrypted":
        return SlideUploadError(422, "encrypted", _l(
            "The PDF is protected by a password. Upload a copy without a password."))
    if error.kind in ("timeout", "limits"):
        return SlideUploadError(422, "too_complex", _l(
            "The PDF could not be read within the time and memory limits."))
    return unreadable()


def check_page_count(pages: int) -> None:
    limit = current_app.config["SLIDES_MAX_PAGES"]
    if pages > limit:
        raise SlideUploadError(422, "too_many_pages", _l(
            "The deck has %(pages)d pages; the limit is %(limit)d.", pages=pages, limit=limit))


def zip_bomb() -> SlideUploadError:
    return SlideUploadError(422, "zip_bomb", _l(
        "The presentation expands to far more data than a slide deck holds; it was refused."))


def check_zip_sizes(entries: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    """Refuse zip bombs from the central directory alone, before extracting anything."""
    if len(entries) > limits.max_entries:
        raise zip_bomb()
    expanded = sum(entry.file_size for entry in entries)
    compressed = sum(entry.compress_size for entry in entries)
    if expanded > limits.max_unzipped_bytes:
        raise zip_bomb()
    if expanded > SMALL_MEMBER_BYTES and expanded > limits.max_ratio * max(compressed, 1):
        raise zip_bomb()
    for entry in entries:
        if entry.file_size > SMALL_MEMBER_BYTES and \
                entry.file_size > limits.max_ratio * max(entry.compress_size, 1):
            raise zip_bomb()


def _zip_kind(archive: zipfile.ZipFile, names: set[str]) -> DeckKind:
    if "[Content_Types].xml" in names and "ppt/presentation.xml" in names:
        return DeckKind.PPTX
    if "mimetype" in names and archive.getinfo("mimetype").file_size <= 200:
        if archive.read("mimetype").strip() == ODP_MIMETYPE and "content.xml" in names:
            return DeckKind.ODP
    if "index.apxl" in names or "Index.zip" in names or any(
            name.startswith("Index/") and name.endswith(".iwa") for name in names):
        return DeckKind.KEY
    raise unsupported()


def check_zip(path: Path, limits: ZipLimits) -> DeckKind:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            check_zip_sizes(entries, limits)
            return _zip_kind(archive, {entry.filename for entry in entries})
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, struct.error, OSError,
            EOFError, ValueError, KeyError, NotImplementedError,
            RuntimeError) as error:  # RuntimeError: an encrypted member
        raise unreadable() from error
