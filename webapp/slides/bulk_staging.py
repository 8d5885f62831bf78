"""Where a bulk upload waits between its preview and its confirmation.

UPLOAD_DIR/bulk/<token>/ holds the files extracted from the ZIP (0, 1, 2...: never their own
names) and batch.json: who uploaded them, for which event, when, the licence chosen for the batch,
and each file's name, size and what the single-upload checks said of it. The token is random
(secrets.token_urlsafe); a batch is found only by the same user for the same event, for
SLIDES_BULK_STAGING_SECONDS; older batches are removed whenever a new one is staged.
"""
import json
import re
import secrets
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from flask import current_app

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")
MANIFEST = "batch.json"


@dataclass
class StagedFile:
    name: str  # the file's name in the archive (shown, matched; never used as a path)
    size: int
    kind: str | None = None  # what its content is, when the single-upload checks accepted it
    error: str | None = None  # why they refused it


@dataclass
class StagedBatch:
    token: str
    user_id: int
    event_id: int
    licence: str
    created_at: float
    files: list[StagedFile] = field(default_factory=list)

    @property
    def folder(self) -> Path:
        return staging_root() / self.token

    def file_path(self, number: int) -> Path:
        return self.folder / str(number)

    def save(self) -> None:
        data = {**asdict(self), "files": [asdict(staged) for staged in self.files]}
        (self.folder / MANIFEST).write_text(json.dumps(data), encoding="utf-8")

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def staging_root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "bulk"


def _max_age() -> float:
    return current_app.config["SLIDES_BULK_STAGING_SECONDS"]


def new_batch(user_id: int, event_id: int, licence: str) -> StagedBatch:
    """An empty batch with its folder; expired batches are removed first."""
    remove_expired_batches()
    batch = StagedBatch(secrets.token_urlsafe(24), user_id, event_id, licence, time.time())
    batch.folder.mkdir(parents=True)
    return batch


def load_batch(token: str, user_id: int, event_id: int) -> StagedBatch | None:
    """The batch of that token, if this user staged it for this event and it has not expired."""
    if not TOKEN_PATTERN.match(token or ""):
        return None
    try:
        data = json.loads((staging_root() / token / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    batch = StagedBatch(**{**data, "files": [StagedFile(**staged) for staged in data["files"]]})
    if batch.user_id != user_id or batch.event_id != event_id or batch.created_at + _max_age() < time.time():
        return None
    return batch


def remove_expired_batches() -> int:
    """Remove the folders of batches older than SLIDES_BULK_STAGING_SECONDS; returns how many."""
    root, limit, removed = staging_root(), time.time() - _max_age(), 0
    if not root.is_dir():
        return 0
    for folder in root.iterdir():
        if folder.lstat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True) if folder.is_dir() else folder.unlink(missing_ok=True)
            removed += 1
    return removed
