"""The log cursor an index keeps with its segments: the id of the last change-log entry applied.

The cursor of a generation is a file beside Whoosh's table of contents, named for the Whoosh
commit it belongs to: `log-cursor-<N>` holds the cursor of the commit whose table of contents is
`_MAIN_<N>.toc`. It is written (durably) BEFORE that commit, which then makes the segments and the
cursor live together: a crash before the commit leaves the previous table of contents, whose own
cursor file is untouched, so the cursor read is always the one of the segments read. A rebuild
writes the cursor of its new generation before the generation is swapped in (CURRENT), the same way.

Whoosh's clean-up at commit deletes only files named like its own, so it never deletes these;
older ones are removed here after each commit. None: the generation records no cursor (built
before cursors were kept, or nothing was ever written).
"""
import os

from .durable import write_durably

CURSOR_PREFIX = "log-cursor-"
READ_ATTEMPTS = 3  # a commit may remove the file of the generation just read: read the next one


def cursor_path(generation_dir: str, toc_generation: int) -> str:
    return os.path.join(generation_dir, f"{CURSOR_PREFIX}{toc_generation}")


def write_cursor(generation_dir: str, toc_generation: int, cursor: int | None) -> None:
    """Record `cursor` for the Whoosh commit `toc_generation` (before that commit); None records nothing."""
    if cursor is not None:
        write_durably(generation_dir, f"{CURSOR_PREFIX}{toc_generation}", str(int(cursor)))


def read_cursor_file(generation_dir: str, toc_generation: int) -> int | None:
    try:
        with open(cursor_path(generation_dir, toc_generation), encoding="ascii") as handle:
            return int(handle.read().strip())
    except (FileNotFoundError, NotADirectoryError, ValueError):
        return None


def remove_older_cursors(generation_dir: str, toc_generation: int) -> None:
    """The cursor files of the commits before `toc_generation` (after it was committed)."""
    for entry in os.listdir(generation_dir):
        if entry.startswith(CURSOR_PREFIX) and entry[len(CURSOR_PREFIX):].isdigit() \
                and int(entry[len(CURSOR_PREFIX):]) < toc_generation:
            try:
                os.unlink(os.path.join(generation_dir, entry))
            except FileNotFoundError:
                pass
