"""Finding and reading the files of a pyvideo tree, in this process or in worker processes.

Reading a record (JSON, schema validation, description to sanitised HTML) costs far more than
writing it, so a large import reads in worker processes, ahead of the database work that the
main process does event by event. Small imports read in this process.
"""
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path

from webapp.importing.pyvideo_records import (
    SCHEMA_DIR,
    PyvideoSchemas,
    RecordError,
    TalkRecord,
    parse_video,
)

CHUNK_SIZE = 100  # talk files per task given to a worker
PARALLEL_FROM = 2000  # records: below this, starting workers costs more than it saves
MAX_WORKERS = 4


class ImportSourceError(Exception):
    """The tree as a whole cannot be imported (unreadable, or no event folder in it)."""


@dataclass(frozen=True)
class EventSource:
    folder: Path
    video_paths: tuple[Path, ...]

    @property
    def category_path(self) -> Path:
        return self.folder / "category.json"


@dataclass(frozen=True)
class ParsedFile:
    path: Path
    record: TalkRecord | None
    error: str | None = None


def scan_pyvideo_tree(root: Path) -> list[EventSource]:
    """Event folders (not hidden, with a category.json or a videos/ folder) and their records."""
    try:
        folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        sources = [EventSource(f, tuple(sorted((f / "videos").glob("*.json"))))
                   for f in folders if (f / "category.json").exists() or (f / "videos").is_dir()]
    except OSError as error:
        raise ImportSourceError(f"cannot read {root}: {error.strerror or error}") from error
    if not sources:
        raise ImportSourceError(
            f"no pyvideo event folder in {root} (expected <event>/category.json "
            "and <event>/videos/*.json)")
    return sources


@lru_cache(maxsize=4)
def schemas_in(schema_dir: Path) -> PyvideoSchemas:
    return PyvideoSchemas(schema_dir)


def parse_video_files(paths: tuple[Path, ...], schema_dir: Path = SCHEMA_DIR) -> list[ParsedFile]:
    """Each file's record, or the reason it cannot be imported. Runs in workers too."""
    schemas, parsed = schemas_in(schema_dir), []
    for path in paths:
        try:
            parsed.append(ParsedFile(path, parse_video(path, schemas)))
        except RecordError as error:
            parsed.append(ParsedFile(path, None, str(error)))
    return parsed


def _chunks(paths: tuple[Path, ...]) -> list[tuple[Path, ...]]:
    return [paths[i:i + CHUNK_SIZE] for i in range(0, len(paths), CHUNK_SIZE)]


class SerialReader:
    def __init__(self, schema_dir: Path):
        self.schema_dir = schema_dir

    def read(self, source: EventSource):
        """Batches of parsed files of one event, in file order."""
        for chunk in _chunks(source.video_paths):
            yield parse_video_files(chunk, self.schema_dir)

    def close(self) -> None:
        pass


class ParallelReader:
    """Every event's files are queued to the workers at once; read() waits for one event's."""

    def __init__(self, sources: list[EventSource], schema_dir: Path, workers: int):
        # spawn: workers start clean, without the parent's database connections or locks.
        self.executor = ProcessPoolExecutor(workers, mp_context=get_context("spawn"))
        self.pending = {source.folder: [self.executor.submit(parse_video_files, chunk, schema_dir)
                                        for chunk in _chunks(source.video_paths)]
                        for source in sources}

    def read(self, source: EventSource):
        for future in self.pending.pop(source.folder, []):
            yield future.result()

    def close(self) -> None:
        self.executor.shutdown(cancel_futures=True)


def worker_count(record_count: int, requested: int | None) -> int:
    """Workers to use: as requested, else one per CPU for a large tree, else none."""
    if requested is not None:
        return max(0, requested)
    if record_count < PARALLEL_FROM:
        return 0
    return min(MAX_WORKERS, os.cpu_count() or 1)


def open_reader(sources: list[EventSource], schema_dir: Path = SCHEMA_DIR,
                workers: int | None = None):
    count = worker_count(sum(len(s.video_paths) for s in sources), workers)
    if count == 0:
        return SerialReader(schema_dir)
    return ParallelReader(sources, schema_dir, count)
