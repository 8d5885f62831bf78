"""The filesystem backend's folder stays bounded: expired pages are deleted, then the oldest ones
beyond PAGE_CACHE_MAX_ENTRIES.

Every page is written with the same lifetime (PAGE_CACHE_SECONDS), so a file is expired exactly
when it was last written more than that long ago: its modification time tells, without opening it.
cachelib's own pruning (its `threshold`) is off: once the folder is full, it walks every file on
every new page. Here each process sweeps at most once a minute, after a response has gone.
"""
import logging
import os
import time
from pathlib import Path

SWEEP_EVERY_SECONDS = 60
log = logging.getLogger(__name__)


class FileSweeper:
    def __init__(self, folder: Path, max_age: int, max_entries: int):
        self.folder, self.max_age, self.max_entries = folder, max_age, max_entries
        self.next_sweep_at = 0.0  # time.monotonic() of this process

    def sweep_if_due(self) -> None:
        now = time.monotonic()
        if now >= self.next_sweep_at:
            self.next_sweep_at = now + SWEEP_EVERY_SECONDS
            self.sweep(time.time())

    def sweep(self, now: float) -> int:
        """Delete what has expired at `now`, then the oldest files beyond the limit; how many."""
        kept, removed = [], 0
        for modified_at, path in self._files():
            if modified_at < now - self.max_age:
                removed += _remove(path)
            else:
                kept.append((modified_at, path))
        kept.sort()
        for _, path in kept[:max(0, len(kept) - self.max_entries)]:
            removed += _remove(path)
        return removed

    def _files(self) -> list[tuple[float, str]]:
        files = []
        try:
            entries = list(os.scandir(self.folder))
        except FileNotFoundError:
            return files
        for entry in entries:
            try:
                if entry.is_file():
                    files.append((entry.stat().st_mtime, entry.path))
            except FileNotFoundError:  # another process removed or replaced it meanwhile
                continue
        return files


def _remove(path: str) -> int:
    try:
        os.remove(path)
        return 1
    except FileNotFoundError:
        return 0
    except OSError:
        log.warning("Could not remove the cached page %s", path, exc_info=True)
        return 0
