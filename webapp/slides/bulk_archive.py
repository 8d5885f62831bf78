"""The ZIP of a bulk slide upload: checked from its central directory before anything is
extracted, then extracted entry by entry while counting the bytes actually read.

Refused as a whole (BulkArchiveError, 413 or 422), before a byte is extracted: more entries than
SLIDES_BULK_MAX_ENTRIES; more than SLIDES_BULK_MAX_UNZIPPED_BYTES in all or SLIDES_MAX_BYTES for
one file (a single upload's limit); a compression ratio over SLIDES_MAX_ZIP_RATIO; names that climb
out of the archive (`..`), absolute paths, drive letters, control characters; symbolic links;
encrypted entries; archives inside the archive (.zip, .rar, .7z, .tar, .gz...). The sizes in the
headers are never trusted alone: extraction stops as soon as an entry gives more bytes than it
declared or than the limits allow.
"""
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l

from webapp.core.i18n import format_file_size

CHUNK_BYTES = 1024 * 1024
SMALL_ENTRY_BYTES = 1024 * 1024  # an entry this small may compress very well without harm
NESTED_ARCHIVE_SUFFIXES = {".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".cab",
                           ".jar", ".iso"}
IGNORED_PREFIXES = ("__MACOSX/",)  # what macOS adds beside the files
DRIVE_LETTER = re.compile(r"^[A-Za-z]:")
ENCRYPTED_FLAG = 0x1


class BulkArchiveError(Exception):
    """The whole ZIP is refused: the HTTP status, a short code and a message for people."""

    def __init__(self, status: int, code: str, message):
        super().__init__(code)
        self.status, self.code, self.message = status, code, message

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class BulkLimits:
    max_entries: int
    max_total_bytes: int
    max_file_bytes: int
    max_ratio: float

    @classmethod
    def from_config(cls) -> "BulkLimits":
        config = current_app.config
        return cls(config["SLIDES_BULK_MAX_ENTRIES"], config["SLIDES_BULK_MAX_UNZIPPED_BYTES"],
                   config["SLIDES_MAX_BYTES"], config["SLIDES_MAX_ZIP_RATIO"])


def _refused(code: str, message, status: int = 422) -> BulkArchiveError:
    return BulkArchiveError(status, code, message)


def _is_ignored(name: str) -> bool:
    base = PurePosixPath(name).name
    return name.endswith("/") or name.startswith(IGNORED_PREFIXES) or base.startswith(".")


def _check_name(entry: zipfile.ZipInfo) -> None:
    raw = entry.orig_filename.replace("\\", "/")
    if any(ord(character) < 32 or ord(character) == 127 for character in raw):
        raise _refused("unsafe_name", _l("The archive holds a file name with control characters."))
    if raw.startswith("/") or DRIVE_LETTER.match(raw) or ".." in raw.split("/"):
        raise _refused("unsafe_path", _l(
            "The archive holds a file whose path leaves the archive (%(name)s); it was refused.",
            name=raw[:120]))


def _check_kind(entry: zipfile.ZipInfo) -> None:
    if stat.S_ISLNK(entry.external_attr >> 16):
        raise _refused("symlink", _l("The archive holds a symbolic link (%(name)s); it was refused.",
                                     name=entry.filename[:120]))
    if entry.flag_bits & ENCRYPTED_FLAG:
        raise _refused("encrypted", _l(
            "The archive holds an encrypted file (%(name)s): make the archive without a password.",
            name=entry.filename[:120]))
    if PurePosixPath(entry.filename.lower()).suffix in NESTED_ARCHIVE_SUFFIXES:
        raise _refused("nested_archive", _l(
            "The archive holds another archive (%(name)s): put the slide files themselves in it.",
            name=entry.filename[:120]))


def _check_sizes(entries: list[zipfile.ZipInfo], limits: BulkLimits) -> None:
    too_much = _l("The archive expands to more than %(limit)s; send fewer or smaller files.",
                  limit=format_file_size(limits.max_total_bytes))
    if sum(entry.file_size for entry in entries) > limits.max_total_bytes:
        raise _refused("too_large_unzipped", too_much, 413)
    for entry in entries:
        if entry.file_size > limits.max_file_bytes:
            raise _refused("file_too_large", _l(
                "%(name)s is larger than the limit of %(limit)s for one file.",
                name=entry.filename[:120], limit=format_file_size(limits.max_file_bytes)), 413)
        if entry.file_size > SMALL_ENTRY_BYTES and entry.file_size > limits.max_ratio * max(entry.compress_size, 1):
            raise _refused("zip_bomb", _l(
                "%(name)s expands to far more data than a slide deck holds; the archive was refused.",
                name=entry.filename[:120]))


def checked_entries(archive: zipfile.ZipFile, limits: BulkLimits) -> list[zipfile.ZipInfo]:
    """The archive's slide files (folders and macOS extras left out), from the central directory
    alone; BulkArchiveError when anything in it is refused."""
    entries = archive.infolist()
    if len(entries) > limits.max_entries:
        raise _refused("too_many_entries", _l(
            "The archive holds %(count)d entries; the limit is %(limit)d.",
            count=len(entries), limit=limits.max_entries))
    for entry in entries:
        _check_name(entry)
        _check_kind(entry)
    files = [entry for entry in entries if not _is_ignored(entry.filename)]
    _check_sizes(files, limits)
    if not files:
        raise _refused("empty_archive", _l("The archive holds no file."))
    return files


def _copy_counting(source: BinaryIO, target: BinaryIO, limit: int) -> int:
    """Copy at most `limit` bytes; a source giving more is refused (its header lied)."""
    copied = 0
    while chunk := source.read(min(CHUNK_BYTES, limit + 1 - copied)):
        copied += len(chunk)
        if copied > limit:
            raise _refused("zip_bomb", _l(
                "A file of the archive holds more data than its header says; the archive was refused."))
        target.write(chunk)
    return copied


def _entry_limit(entry: zipfile.ZipInfo, limits: BulkLimits, used: int) -> int:
    return min(entry.file_size, limits.max_file_bytes, limits.max_total_bytes - used)


def _extract_one(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, path: Path, limit: int) -> int:
    """Extract one entry to path, counting its bytes; nothing is left of it when it is refused."""
    try:
        with archive.open(entry) as source, open(path, "wb") as target:
            return _copy_counting(source, target, limit)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def unreadable_archive() -> BulkArchiveError:
    return _refused("corrupt", _l("The file is not a ZIP archive, or it is damaged."))


READ_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, struct.error, OSError, EOFError,
               ValueError, KeyError, NotImplementedError, RuntimeError)


def extract_entries(zip_path: Path, target_dir: Path, limits: BulkLimits) -> Iterator[tuple[str, Path, int]]:
    """(name in the archive, extracted path, size) for each slide file, extracted as target_dir/<n>
    (never under its own name). BulkArchiveError when the archive is refused or damaged."""
    used = 0
    try:
        with zipfile.ZipFile(zip_path) as archive:
            for number, entry in enumerate(checked_entries(archive, limits)):
                path = target_dir / str(number)
                size = _extract_one(archive, entry, path, _entry_limit(entry, limits, used))
                used += size
                yield entry.filename, path, size
    except READ_ERRORS as error:
        raise unreadable_archive() from error
