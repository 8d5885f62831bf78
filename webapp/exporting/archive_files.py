"""Writing an archive's files one at a time, each hashed as it is written, then its manifest."""
import hashlib
import json
import os
import shutil
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from webapp.core.archive_format import FILES_DIR, FORMAT, FORMAT_VERSION, MANIFEST, file_sha256


class ArchiveFiles:
    """The files of an archive being written under root; only their checksums stay in memory."""

    def __init__(self, root: Path):
        self.root = root
        self.checksums: dict[str, str] = {}
        self.counts: Counter = Counter()

    def _target(self, relative: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def write(self, relative: str, data: bytes) -> None:
        self._target(relative).write_bytes(data)
        self.checksums[relative] = hashlib.sha256(data).hexdigest()

    @contextmanager
    def lines(self, relative: str):
        """Yields a function that appends one encoded line to the file, hashing as it goes."""
        digest = hashlib.sha256()
        with open(self._target(relative), "wb") as output:
            def append(line: bytes) -> None:
                digest.update(line)
                output.write(line)
            yield append
        self.checksums[relative] = digest.hexdigest()

    def copy_stored(self, upload_dir: Path, stored: Path) -> None:
        """A stored upload (UPLOAD_DIR/objects/..., UPLOAD_DIR/photos/...), once whatever its uses."""
        relative = f"{FILES_DIR}/{stored.relative_to(upload_dir).as_posix()}"
        if relative in self.checksums:
            return
        shutil.copyfile(stored, self._target(relative))
        self.checksums[relative] = file_sha256(stored)
        self.counts["files"] += 1

    def write_manifest(self, is_public_only: bool) -> None:
        manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "public_only": is_public_only,
                    "counts": dict(sorted(self.counts.items())),
                    "files": dict(sorted(self.checksums.items()))}
        partial = self.root / f".{MANIFEST}.partial"
        partial.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        os.replace(partial, self.root / MANIFEST)  # last: an archive without one is unfinished
