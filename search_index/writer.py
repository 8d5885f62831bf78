"""Writing: one writer at a time, atomic commits, generations swapped atomically.

Layout of an index directory::

    CURRENT        name of the live generation (replaced atomically with os.replace)
    writer.lock    fcntl lock held by the one process writing (released by the OS if it dies)
    gen-<stamp>/   a complete Whoosh index; the live one, the one it replaced, nothing else
      SCHEMA_FINGERPRINT   the schema fingerprint of the code that created it (fingerprint.py)

      log-cursor-<N>       the log cursor committed with Whoosh's commit N (log_cursor.py)

A live generation built with another schema, or recording none, is stale (schema_state()).

Segments: a rebuild writes one per worker; apply() adds one per commit. A commit of many upserts
writes them with the bulk writers, as a rebuild does, into a new segment and merges nothing; a
commit of a few goes through Whoosh's writer, which merges the small segments (Whoosh's MERGE_SMALL
among those under SMALL_SEGMENT_DOCS documents) and never rewrites a large one. Large segments add
up (a bulk import drained in N batches leaves N): past MAX_LARGE_SEGMENTS the generation is
fragmented, each segment costing every search some time, and compact() merges all but the largest
ones through Whoosh's writer (its memory bounded by its pool, unlike the bulk writers').

Whoosh's own WRITELOCK is an fcntl lock too, so a killed writer never leaves it held; writes are
still serialised by our lock first, so if Whoosh ever reports its lock busy while we hold ours,
that lock is stale and is removed. Temporary files a killed writer left are removed before the
next write, and Whoosh deletes unreferenced segment files at commit.
"""
import errno
import fcntl
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import datetime, timezone

from whoosh import index as whoosh_index
from whoosh.reading import SegmentReader
from whoosh.writing import MERGE_SMALL

from . import whoosh_internals
from .durable import write_durably
from .fingerprint import schema_fingerprint
from .gc_pause import cyclic_gc_paused
from .log_cursor import READ_ATTEMPTS, read_cursor_file, remove_older_cursors, write_cursor
from .models import IndexBusy, SchemaState
from .schema import build_schema, document_fields

CURRENT_FILE = "CURRENT"
FINGERPRINT_FILE = "SCHEMA_FINGERPRINT"
LOCK_FILE = "writer.lock"
GENERATION_PREFIX = "gen-"
APPLY_WAIT_SECONDS = 5.0
REBUILD_WAIT_SECONDS = 120.0
PROGRESS_EVERY = 1000
MULTIPROCESS_FROM = 20_000
# With the postings layout the fast paths read fastest (whoosh_internals/codec.py).
WRITER_OPTIONS = {"limitmb": 64, **whoosh_internals.WRITER_CODEC_OPTIONS}
BULK_APPLY_FROM = 500  # upserts from which a commit writes them with the bulk writers
SMALL_SEGMENT_DOCS = 500  # segments a commit may merge (a bulk commit's are at least this big)
MAX_LARGE_SEGMENTS = 4

log = logging.getLogger(__name__)


def read_current(root: str) -> str | None:
    """Name of the live generation, or None when nothing was ever written."""
    try:
        with open(os.path.join(root, CURRENT_FILE), encoding="ascii") as handle:
            name = handle.read().strip()
    except FileNotFoundError:
        return None
    return name if name.startswith(GENERATION_PREFIX) else None


def _write_current(root: str, name: str) -> None:
    write_durably(root, CURRENT_FILE, name)


def recorded_fingerprint(root: str, name: str) -> str | None:
    """The schema fingerprint generation `name` was created with; None if it records none."""
    try:
        with open(os.path.join(root, name, FINGERPRINT_FILE), encoding="ascii") as handle:
            return handle.read().strip() or None
    except (FileNotFoundError, NotADirectoryError):
        return None


def schema_state(root: str) -> SchemaState:
    """The live generation's schema fingerprint beside this code's (stale if they differ)."""
    name = read_current(root)
    built_with = recorded_fingerprint(root, name) if name else None
    return SchemaState(generation=name, built_with=built_with, expected=schema_fingerprint())


@contextmanager
def writer_lock(root: str, wait_seconds: float):
    """Hold the index's write lock; IndexBusy if another live process keeps it past the wait."""
    os.makedirs(root, exist_ok=True)
    fd = os.open(os.path.join(root, LOCK_FILE), os.O_CREAT | os.O_RDWR, 0o644)
    try:
        _acquire(fd, time.monotonic() + wait_seconds)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def _acquire(fd: int, deadline: float) -> None:
    delay = 0.005
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES):
                raise
        if time.monotonic() >= deadline:
            raise IndexBusy("another process is writing to the search index")
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def new_generation(root: str):
    """A new empty Whoosh index beside the live one (not yet live), recording its schema fingerprint."""
    name = f"{GENERATION_PREFIX}{datetime.now(timezone.utc):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:6]}"
    path = os.path.join(root, name)
    os.makedirs(path)
    ix = whoosh_index.create_in(path, build_schema())
    write_durably(path, FINGERPRINT_FILE, schema_fingerprint())
    return name, ix


def open_live_index(root: str):
    """The live generation opened for writing, created empty on first write. Hold the lock."""
    name = read_current(root)
    if name is None or not whoosh_index.exists_in(os.path.join(root, name)):
        name, ix = new_generation(root)
        _write_current(root, name)
        return ix
    path = os.path.join(root, name)
    _remove_temporary_files(path)
    return whoosh_index.open_dir(path)


def _remove_temporary_files(path: str) -> None:
    """Leftovers of a writer killed mid-write (we hold the lock: nobody else is writing)."""
    for entry in os.listdir(path):
        if entry.endswith(".tmp"):
            target = os.path.join(path, entry)
            shutil.rmtree(target, ignore_errors=True) if os.path.isdir(target) else _unlink(target)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _open_writer(ix, **options):
    """Whoosh's writer; its lock can only be stale here since we hold ours."""
    try:
        return ix.writer(**options)
    except whoosh_index.LockError:
        _unlink(os.path.join(ix.storage.folder, "WRITELOCK"))
        return ix.writer(**options)


def read_log_cursor(root: str) -> int | None:
    """The log cursor committed with the live generation's latest commit (log_cursor.py)."""
    for _attempt in range(READ_ATTEMPTS):
        name = read_current(root)
        path = os.path.join(root, name) if name else None
        if path is None or not whoosh_index.exists_in(path):
            return None
        generation = whoosh_index.open_dir(path).latest_generation()
        cursor = read_cursor_file(path, generation)
        if cursor is not None or not _has_committed_since(root, name, path, generation):
            return cursor
    return cursor


def _has_committed_since(root: str, name: str, path: str, generation: int) -> bool:
    return read_current(root) != name or whoosh_index.open_dir(path).latest_generation() != generation


@contextmanager
def cursor_committed_with(ix, log_cursor: int | None):
    """Record the log cursor of the commit made inside the block (the previous one's when None),
    before the commit: Whoosh's next table of contents makes both live at once."""
    directory, generation = ix.storage.folder, ix.latest_generation() + 1
    if log_cursor is None:
        log_cursor = read_cursor_file(directory, generation - 1)
    write_cursor(directory, generation, log_cursor)
    yield
    remove_older_cursors(directory, generation)


def apply_changes(root: str, upserts: Iterable[dict], deletes: Iterable[str],
                  wait_seconds: float = APPLY_WAIT_SECONDS, log_cursor: int | None = None) -> None:
    """Upserts and deletes in ONE Whoosh commit, under the write lock: from BULK_APPLY_FROM upserts
    on, written by the bulk writers into a new segment (the fast path), else by Whoosh's writer.
    `log_cursor` is committed with them (None keeps the previous commit's)."""
    fields = [document_fields(doc) for doc in upserts]
    deletes = list(deletes)
    with writer_lock(root, wait_seconds):
        ix = open_live_index(root)
        with cursor_committed_with(ix, log_cursor):
            _write_changes(ix, fields, deletes)


def _write_changes(ix, fields: list[dict], deletes: list[str]) -> None:
    schema = ix.schema  # read from the table of contents at each access
    fields = [_known_fields(schema, doc) for doc in fields]
    if len(fields) >= BULK_APPLY_FROM and whoosh_internals.fast_path_enabled():
        replaced = deletes + [doc["id"] for doc in fields]
        whoosh_internals.replace_with_bulk_writers(ix, replaced, fields, WRITER_OPTIONS)
    else:
        _apply_with_whoosh_writer(ix, fields, deletes)


def _known_fields(schema, fields: dict) -> dict:
    """An index built before a field was added (e.g. `pairs`) goes without it."""
    return {name: value for name, value in fields.items() if name in schema}


def _apply_with_whoosh_writer(ix, fields: list[dict], deletes: list[str]) -> None:
    writer = _open_writer(ix, **WRITER_OPTIONS)
    try:
        for doc_id in deletes:
            writer.delete_by_term("id", doc_id)
        for doc in fields:
            writer.update_document(**doc)
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=merge_small_segments)


def merge_small_segments(writer, segments: list) -> list:
    """Whoosh's MERGE_SMALL among the segments under SMALL_SEGMENT_DOCS documents; the large ones
    (a rebuild's, a bulk commit's) are kept as they are: a commit never rewrites them. The segments
    kept stay in their order; Whoosh appends the merged one after them."""
    small = [segment for segment in segments if segment.doc_count_all() < SMALL_SEGMENT_DOCS]
    kept = {id(segment) for segment in MERGE_SMALL(writer, small)}
    return [segment for segment in segments if segment.doc_count_all() >= SMALL_SEGMENT_DOCS or id(segment) in kept]


def is_fragmented(segment_sizes: Iterable[int]) -> bool:
    """Whether a generation of segments of these sizes (documents, deleted ones included) holds
    more large segments than MAX_LARGE_SEGMENTS: commits never merge them, compact() does."""
    return sum(size >= SMALL_SEGMENT_DOCS for size in segment_sizes) > MAX_LARGE_SEGMENTS


def compact_live_generation(root: str, wait_seconds: float = APPLY_WAIT_SECONDS) -> bool:
    """Merge the segments of a fragmented live generation, but its MAX_LARGE_SEGMENTS // 2 largest,
    into one: one commit, under the write lock. False (nothing written) if it was not fragmented."""
    with writer_lock(root, wait_seconds):
        ix = open_live_index(root)
        writer = _open_writer(ix, **WRITER_OPTIONS)
        if not is_fragmented(segment.doc_count_all() for segment in writer.segments):
            writer.cancel()
            return False
        with cursor_committed_with(ix, None):
            writer.commit(mergetype=merge_all_but_the_largest)
    return True


def merge_all_but_the_largest(writer, segments: list) -> list:
    """A merge policy: the MAX_LARGE_SEGMENTS // 2 largest segments are kept as they are (they
    hold most documents), the others are merged into the writer's new segment."""
    largest = sorted(segments, key=lambda segment: segment.doc_count_all(), reverse=True)
    kept = {id(segment) for segment in largest[:MAX_LARGE_SEGMENTS // 2]}
    for segment in segments:
        if id(segment) not in kept:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
    return [segment for segment in segments if id(segment) in kept]


def rebuild_generation(root: str, documents: Iterable[dict], total: int | None = None,
                       progress: Callable[[int, int | None], None] | None = None,
                       wait_seconds: float = REBUILD_WAIT_SECONDS, procs: int | None = None,
                       log_cursor: int | None = None) -> str:
    """Index every document into a new generation, then make it live with `log_cursor` (the log
    entries its documents include); returns its name.

    The write lock is held from BEFORE the documents are read until the swap, so apply()
    calls made meanwhile raise IndexBusy and stay queued by the caller: re-applied after the
    swap, they land in the new generation and nothing is lost.
    """
    with writer_lock(root, wait_seconds):
        previous = read_current(root)
        name, ix = new_generation(root)
        try:
            _fill(ix, documents, total, progress, procs or default_procs(total))
            write_cursor(ix.storage.folder, ix.latest_generation(), log_cursor)
        except BaseException:
            shutil.rmtree(os.path.join(root, name), ignore_errors=True)
            raise
        _write_current(root, name)
        remove_old_generations(root, keep={name, previous})
    return name


def default_procs(total: int | None) -> int:
    """Worker processes for a rebuild: only worth their start-up cost on a large archive."""
    return min(4, os.cpu_count() or 1) if total and total >= MULTIPROCESS_FROM else 1


def _fill(ix, documents, total, progress, procs: int) -> None:
    """Every document into new segments of `ix`, committed together: by the bulk writers on the
    fast path (in worker processes when procs > 1), else by Whoosh's own writer."""
    field_dicts = map(document_fields, _counted(documents, total, progress))
    if whoosh_internals.fast_path_enabled():
        whoosh_internals.fill_with_bulk_writers(ix, field_dicts, procs, WRITER_OPTIONS)
        return
    with cyclic_gc_paused():
        _fill_with_whoosh_writer(ix, field_dicts, procs)


def _fill_with_whoosh_writer(ix, field_dicts, procs: int) -> None:
    """Whoosh's public way: its writer (in `procs` processes, their segments kept unmerged)."""
    options = {**WRITER_OPTIONS, "procs": procs, "multisegment": True} if procs > 1 else WRITER_OPTIONS
    writer = ix.writer(**options)
    try:
        for fields in field_dicts:
            writer.add_document(**fields)
    except BaseException:
        _abandon(writer, procs)
        raise
    writer.commit()


def _abandon(writer, procs: int) -> None:
    """Stop the writer of a failed rebuild; the caller then deletes the new generation unseen.

    Whoosh's multi-process writer cannot cancel safely: cancel() removes the job files while its
    worker processes may still read them (they then die, or wait forever for more jobs). Those
    workers are let finish instead: a commit into the generation that is about to be deleted."""
    try:
        writer.commit() if procs > 1 else writer.cancel()
    except Exception:
        log.exception("the writer of a failed rebuild did not stop cleanly")


def _counted(documents, total, progress):
    count = 0
    for doc in documents:
        yield doc
        count += 1
        if progress and count % PROGRESS_EVERY == 0:
            progress(count, total)
    if progress:
        progress(count, total)


def remove_old_generations(root: str, keep: set) -> None:
    """Generations other than the live one and the one it replaced (readers may still use it).

    Also removes directories left by a rebuild that crashed before its swap.
    """
    for entry in os.listdir(root):
        if entry.startswith(GENERATION_PREFIX) and entry not in keep:
            shutil.rmtree(os.path.join(root, entry), ignore_errors=True)
