"""Filling a new generation with bulk writers (bulk.py), in this process or in worker processes,
and adding many documents to a live one the same way.

ParallelBuild runs such writers in worker processes, each writing its own segments into the new
index, and commits them together: no final merge (a few segments search about as fast as one).
The parent's writer holds Whoosh's write lock of the new index throughout.

replace_with_bulk_writers() is the same write into a live index: the old versions of the documents
are deleted from its segments (Whoosh's public delete_by_term), the new ones go into new segments,
and one commit lists them all, the existing segments as they were (no merge).
"""
import gc
import multiprocessing
import queue
import traceback
from itertools import chain

from whoosh.writing import NO_MERGE

from ..gc_pause import cyclic_gc_paused
from .bulk import BulkSegmentWriter

BATCH_DOCS = 200
SEGMENT_POSTINGS = 15_000_000  # a worker starts a new segment past this many postings (peak RSS ~1 GB)
WAIT_SECONDS = 1.0


def fill_with_bulk_writers(ix, field_dicts, procs: int, writer_options: dict) -> None:
    """Every document (its Whoosh fields) into new segments of `ix`, committed together."""
    if procs <= 1:
        _fill_in_this_process(ix, field_dicts, writer_options)
    else:
        _fill_in_workers(ix, field_dicts, procs, writer_options)


def _fill_in_this_process(ix, field_dicts, writer_options: dict) -> None:
    lock_holder = BulkSegmentWriter(ix)
    try:
        segments = write_segments(ix, field_dicts, writer_options)
    except BaseException:
        lock_holder.cancel()
        raise
    commit_segments(lock_holder, segments)


def replace_with_bulk_writers(ix, doc_ids, field_dicts, writer_options: dict) -> None:
    """Delete every document whose `id` is in doc_ids, then add the documents (their Whoosh fields)
    in new segments of `ix`: one commit."""
    lock_holder = BulkSegmentWriter(ix, **writer_options)
    try:
        for doc_id in doc_ids:
            lock_holder.delete_by_term("id", doc_id)
        segments = write_segments(ix, field_dicts, writer_options)
    except BaseException:
        lock_holder.cancel()
        raise
    commit_segments(lock_holder, segments)


def _fill_in_workers(ix, field_dicts, procs: int, writer_options: dict) -> None:
    build = ParallelBuild(ix, procs, **writer_options)
    try:
        for fields in field_dicts:
            build.add(fields)
        build.commit()
    except BaseException:
        build.cancel()
        raise


def write_segments(ix, field_dicts, writer_options: dict) -> list:
    """Index documents (their Whoosh fields) into new segments of `ix`, not yet committed."""
    with cyclic_gc_paused():
        return _write_segments(ix, field_dicts, writer_options)


def _write_segments(ix, field_dicts, writer_options: dict) -> list:
    writer, segments = BulkSegmentWriter(ix, _lk=False, **writer_options), []
    try:
        for fields in field_dicts:
            writer.add_document(**fields)
            if writer.posting_count > SEGMENT_POSTINGS:
                segments.append(writer._finalize_segment())
                writer = BulkSegmentWriter(ix, _lk=False, **writer_options)
                gc.collect()  # the few cycles the finished segment's Whoosh objects left
    except BaseException:
        writer._close_segment()  # its files; the temporary directory is the lock holder's to remove
        raise
    if writer._added:
        segments.append(writer._finalize_segment())
    else:
        writer._close_segment()
    return segments


def commit_segments(writer: BulkSegmentWriter, segments: list) -> None:
    """One new table of contents listing the segments; `writer` holds the index's write lock."""
    writer._close_segment()
    writer._commit_toc(writer._merge_segments(NO_MERGE, None, None) + segments)  # whoosh3 3.54
    writer._finish()


def _worker(storage, indexname: str, jobs, results, writer_options: dict) -> None:
    """A worker process: indexes batches of documents into its own segments until told to stop."""
    try:
        batches = iter(jobs.get, None)
        segments = write_segments(storage.open_index(indexname), chain.from_iterable(batches), writer_options)
        results.put(("segments", segments))
    except BaseException:
        results.put(("error", traceback.format_exc()))


class ParallelBuild:
    """Documents (their Whoosh fields) spread over worker processes, each writing its own segments;
    commit() lists them all in one new table of contents (the parent's writer holds the lock)."""

    def __init__(self, ix, procs: int, **writer_options):
        self.writer = BulkSegmentWriter(ix, **writer_options)
        context = multiprocessing.get_context()
        self.jobs, self.results = context.Queue(procs * 2), context.Queue()
        self.batch: list[dict] = []
        self.processes = [context.Process(target=_worker, daemon=True,
                                          args=(ix.storage, ix.indexname, self.jobs, self.results, writer_options))
                          for _ in range(procs)]
        for process in self.processes:
            process.start()

    def add(self, fields: dict) -> None:
        self.batch.append(fields)
        if len(self.batch) >= BATCH_DOCS:
            self._send(self.batch)
            self.batch = []

    def _send(self, job) -> None:
        while True:
            try:
                self.jobs.put(job, timeout=WAIT_SECONDS)
                return
            except queue.Full:
                self._check_workers()

    def _check_workers(self) -> None:
        if not all(process.is_alive() for process in self.processes) or not self.results.empty():
            raise RuntimeError("a search index worker stopped:\n" + self._first_error())

    def _first_error(self) -> str:
        try:
            kind, payload = self.results.get(timeout=WAIT_SECONDS)
        except queue.Empty:
            return "no report (killed?)"
        return payload if kind == "error" else "it stopped early"

    def commit(self) -> None:
        if self.batch:
            self._send(self.batch)
        for _ in self.processes:
            self._send(None)
        segments = []
        for _ in self.processes:
            kind, payload = self._result()
            if kind == "error":
                raise RuntimeError(f"a search index worker failed:\n{payload}")
            segments.extend(payload)
        for process in self.processes:
            process.join()
        self._close_queues()
        commit_segments(self.writer, segments)

    def _result(self):
        while True:
            try:
                return self.results.get(timeout=WAIT_SECONDS)
            except queue.Empty:
                if not any(process.is_alive() for process in self.processes) and self.results.empty():
                    raise RuntimeError("a search index worker died without a report") from None

    def cancel(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()
        for process in self.processes:
            process.join()
        self._close_queues()
        self.writer.cancel()

    def _close_queues(self) -> None:
        """Nobody reads the queues any more: do not wait at exit to flush what they still hold."""
        for channel in (self.jobs, self.results):
            channel.cancel_join_thread()
            channel.close()
