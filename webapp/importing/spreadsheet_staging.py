"""Uploaded spreadsheets waiting for their import, staged as files: durable across restarts.

UPLOAD_DIR/spreadsheet-imports/<token>/ holds sheet.json (the parsed rows, written at upload),
plan.json (written when an organiser confirms: the mapping, the event, the rows the dry run
accepted) and status.json (the worker's progress and outcome). Every file is replaced
atomically (written beside, then renamed), so a reader never sees half of one.
"""
import json
import os
import re
import secrets
import shutil
import time as clock
from datetime import date, datetime, time, timedelta
from pathlib import Path

from flask import current_app

from webapp.importing.spreadsheet_reading import Sheet

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,40}$")
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
KEEP_SECONDS = 7 * 24 * 3600  # a staged sheet not waiting for its import is removed after a week


def staging_root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "spreadsheet-imports"


def batch_folder(token: str) -> Path | None:
    """The folder of a staged sheet, or None when the token names none."""
    if not TOKEN_PATTERN.match(token or ""):
        return None
    folder = staging_root() / token
    return folder if (folder / "sheet.json").is_file() else None


def write_json(path: Path, data) -> None:
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, path)


def read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _encoded(cell):
    for kind, type_ in (("dt", datetime), ("d", date), ("t", time)):
        if isinstance(cell, type_):
            return {kind: cell.isoformat()}
    if isinstance(cell, timedelta):
        return {"s": cell.total_seconds()}
    return cell


def _decoded(cell):
    if not isinstance(cell, dict):
        return cell
    kind, value = next(iter(cell.items()))
    readers = {"dt": datetime.fromisoformat, "d": date.fromisoformat, "t": time.fromisoformat,
               "s": lambda seconds: timedelta(seconds=seconds)}
    return readers[kind](value)


def stage_sheet(sheet: Sheet, filename: str) -> str:
    """Keep the parsed sheet; the token names it in the workspace's addresses."""
    token = secrets.token_urlsafe(18)
    folder = staging_root() / token
    folder.mkdir(parents=True)
    rows = [[number, [_encoded(cell) for cell in cells]] for number, cells in sheet.rows]
    write_json(folder / "sheet.json", {"filename": filename[:200], "kind": sheet.kind,
                                       "headers": sheet.headers, "rows": rows})
    return token


def load_sheet(folder: Path) -> tuple[Sheet, str]:
    data = read_json(folder / "sheet.json")
    rows = [(number, [_decoded(cell) for cell in cells]) for number, cells in data["rows"]]
    return Sheet(headers=data["headers"], rows=rows, kind=data["kind"]), data["filename"]


def confirm_plan(folder: Path, mapping: dict[str, int], event_id: int | None, rows: list[int],
                 locale: str) -> bool:
    """Queue the import; False when this sheet was confirmed already (a second click, or two
    organisers at once: the first plan written wins, the second changes nothing)."""
    plan = {"mapping": mapping, "event_id": event_id, "rows": rows, "locale": locale}
    partial = folder / f"plan.{secrets.token_hex(4)}.part"
    partial.write_text(json.dumps(plan), encoding="utf-8")
    try:
        os.link(partial, folder / "plan.json")  # atomic, and fails when a plan exists
    except FileExistsError:
        return False
    finally:
        partial.unlink()
    write_status(folder, QUEUED, done=0, total=len(rows))
    return True


def load_plan(folder: Path) -> dict | None:
    return read_json(folder / "plan.json")


def write_status(folder: Path, state: str, **details) -> None:
    write_json(folder / "status.json", {"state": state, **details})


def read_status(folder: Path) -> dict | None:
    return read_json(folder / "status.json")


def queued_folders() -> list[Path]:
    """Confirmed sheets still to import, oldest confirmation first."""
    root = staging_root()
    if not root.is_dir():
        return []
    waiting = [folder for folder in root.iterdir()
               if (read_status(folder) or {}).get("state") in (QUEUED, RUNNING)]
    return sorted(waiting, key=lambda folder: (folder / "plan.json").stat().st_mtime)


def remove_old_batches(keep_seconds: float = KEEP_SECONDS) -> int:
    """Delete the staged sheets older than keep_seconds that no import waits for; how many."""
    root = staging_root()
    if not root.is_dir():
        return 0
    removed, oldest = 0, clock.time() - keep_seconds
    for folder in root.iterdir():
        waiting = (read_status(folder) or {}).get("state") in (QUEUED, RUNNING)
        if folder.is_dir() and not waiting and folder.stat().st_mtime < oldest:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
