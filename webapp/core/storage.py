"""The content-addressed file store for uploaded slides and their page images.

A file is named by the SHA-256 of its content: UPLOAD_DIR/objects/ab/cd/abcd…(64 hex digits).
Uploads are streamed to a temporary file in UPLOAD_DIR/tmp (same file system) while being hashed
and counted, then renamed into place: a reader never sees a half-written file, a file is written
once whatever the number of decks or pages that share it, and nothing is ever under static/.
"""
import hashlib
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app

CHUNK_BYTES = 1024 * 1024
STALE_TEMPORARY_SECONDS = 24 * 3600
KEY_PATTERN = re.compile(r"^[0-9a-f]{64}$")


class TooLarge(Exception):
    """The stream went over the byte limit; nothing was kept."""

    def __init__(self, limit: int):
        super().__init__(f"over {limit} bytes")
        self.limit = limit


@dataclass
class SpooledFile:
    """A temporary copy of an upload, with its hash and size. Remove it or store it."""

    path: Path
    sha256: str
    size: int

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


class FileStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.objects = self.root / "objects"
        self.tmp = self.root / "tmp"

    def path_for(self, key: str) -> Path:
        if not KEY_PATTERN.match(key or ""):
            raise ValueError(f"not a storage key: {key!r}")
        return self.objects / key[:2] / key[2:4] / key

    def exists(self, key: str) -> bool:
        return self.path_for(key).is_file()

    def temporary_directory(self) -> tempfile.TemporaryDirectory:
        """A scratch directory on the store's file system (for processing output)."""
        self.tmp.mkdir(parents=True, exist_ok=True)
        return tempfile.TemporaryDirectory(dir=self.tmp, prefix="work-")

    def spool(self, stream: BinaryIO, max_bytes: int) -> SpooledFile:
        """Copy a stream to a temporary file, hashing it; TooLarge as soon as it passes max_bytes."""
        self.tmp.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(dir=self.tmp, prefix="upload-")
        digest, size = hashlib.sha256(), 0
        try:
            with os.fdopen(descriptor, "wb") as output:
                while chunk := stream.read(CHUNK_BYTES):
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge(max_bytes)
                    digest.update(chunk)
                    output.write(chunk)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        return SpooledFile(Path(name), digest.hexdigest(), size)

    def keep(self, spooled: SpooledFile) -> str:
        """Move a spooled file into the store under its hash; returns the key."""
        target = self.path_for(spooled.sha256)
        if target.is_file():
            spooled.remove()
            return spooled.sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(spooled.path, 0o644)
        os.replace(spooled.path, target)
        return spooled.sha256

    def put_file(self, path: Path) -> str:
        """Store a copy of a local file (a rendered page image); returns the key."""
        with open(path, "rb") as source:
            spooled = self.spool(source, max_bytes=2**62)
        return self.keep(spooled)

    def delete(self, key: str) -> None:
        self.path_for(key).unlink(missing_ok=True)

    def remove_unlisted(self, keep: set[str], older_than_seconds: float) -> int:
        """Delete stored files whose key is not in keep and that are older than the given age
        (a file just stored may belong to an upload whose transaction is not committed yet)."""
        limit, removed = time.time() - older_than_seconds, 0
        for path in self.objects.glob("??/??/*"):
            if path.name not in keep and KEY_PATTERN.match(path.name) and \
                    path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def remove_stale_temporary_files(self, older_than_seconds: float = STALE_TEMPORARY_SECONDS) -> int:
        """Remove what interrupted uploads or processing runs left in tmp/; returns the count."""
        if not self.tmp.is_dir():
            return 0
        limit, removed = time.time() - older_than_seconds, 0
        for entry in self.tmp.iterdir():
            if entry.lstat().st_mtime < limit:
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink(missing_ok=True)
                removed += 1
        return removed


def get_file_store() -> FileStore:
    return FileStore(current_app.config["UPLOAD_DIR"])


STORED_FILE_MAX_AGE = 365 * 24 * 3600  # a stored file never changes under its content-addressed key


def protect_stored_file(response, is_public: bool):
    """Headers for a stored upload (slide files, photos): never sniffed or run as a page; cached for
    a year when public, never stored by caches when only its editors may see it."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.cache_control.no_cache = None  # send_file's default: revalidate every time
    if is_public:
        response.cache_control.public = True
        response.cache_control.max_age = STORED_FILE_MAX_AGE
    else:
        response.cache_control.private = True
        response.cache_control.no_store = True
    return response
