"""`flask import archive DIR`: restores what `flask export archive` wrote into an empty database.

Every checksum of the manifest is verified before anything is written (webapp/core/archive_format.py
describes the layout). Rows keep their ids and slugs; they are added through the ORM, so the search
outbox and the summary data follow as for any change. Files go back under UPLOAD_DIR. Flushes, never
commits: the command commits once.
"""
import json
import os
import shutil
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Date, DateTime, Enum, func, select, text

from webapp.core.archive_format import (
    EXTRA_DIR,
    FILES_DIR,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    NAMESPACE,
    ArchiveError,
    file_sha256,
)
from webapp.core.rich_text import source_column
from webapp.extensions import db
from webapp.models import (
    Event,
    Series,
    SlideDeck,
    SlidePage,
    SlugRedirect,
    Speaker,
    SpeakerAlias,
    Tag,
    Talk,
    TalkSpeaker,
    Transcript,
)
from webapp.sanitize import sanitize_html

RESTORED_MODELS = (Tag, Series, Speaker, SpeakerAlias, SlugRedirect, Event, Talk, SlideDeck, SlidePage, Transcript)


def read_manifest(root: Path) -> dict:
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ArchiveError(f"{root} has no {MANIFEST}: not an archive, or an unfinished one") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArchiveError(f"cannot read {MANIFEST}: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"{MANIFEST} does not describe a Causeries archive")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(f"archive format version {manifest.get('format_version')!r}: "
                           f"this version restores version {FORMAT_VERSION} only")
    return manifest


def listed_files(root: Path) -> set[str]:
    """Every file under root but the manifest; ArchiveError for a symbolic link (it could point
    outside the archive, and the restore would copy what it points to)."""
    found = set()
    for folder, folders, names in os.walk(root):
        for name in folders + names:
            if (Path(folder) / name).is_symlink():
                raise ArchiveError(f"{(Path(folder) / name).relative_to(root)} is a symbolic link: "
                                   "an archive holds plain files only")
        found.update((Path(folder) / name).relative_to(root).as_posix() for name in names)
    return found - {MANIFEST}


def verify_archive(root: Path) -> dict:
    """The manifest, once every file it lists is there with its checksum and no other file is."""
    manifest = read_manifest(root)
    expected: dict = manifest.get("files") or {}
    present = listed_files(root)
    if missing := sorted(set(expected) - present):
        raise ArchiveError(f"{len(missing)} file(s) of the manifest are missing, e.g. {missing[0]}")
    if unlisted := sorted(present - set(expected)):
        raise ArchiveError(f"{len(unlisted)} file(s) are not in the manifest, e.g. {unlisted[0]}")
    for relative, checksum in expected.items():
        if file_sha256(root / relative) != checksum:
            raise ArchiveError(f"{relative} is corrupted: its SHA-256 is not the manifest's")
    return manifest


def check_database_is_empty() -> None:
    for model in RESTORED_MODELS:
        if db.session.scalar(select(func.count()).select_from(model)):
            raise ArchiveError(f"the database already holds {model.__tablename__}: an archive is "
                               "restored into an empty database only (run `flask db upgrade` on a new one)")


def column_values(model, values: dict) -> dict:
    """A record's JSON values as the model's column values (dates, times and enums parsed, rich
    text sanitised again: an archive is input like any other)."""
    columns = model.__table__.columns
    parsed = {column.key: _parsed(column.type, values[column.key]) for column in columns if column.key in values}
    for key in parsed.keys() & {column.key for column in columns if source_column(column.key) in columns}:
        parsed[key] = sanitize_html(parsed[key]) if parsed[key] is not None else None
    return parsed


def _parsed(column_type, value):
    if value is None:
        return None
    if isinstance(column_type, Enum) and column_type.enum_class is not None:
        return column_type.enum_class(value)
    if isinstance(column_type, DateTime) or isinstance(getattr(column_type, "impl", None), DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    return value


def read_lines(path: Path):
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def read_record(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


class ArchiveRestore:
    def __init__(self, root: Path, manifest: dict, upload_dir: Path):
        self.root, self.manifest, self.upload_dir = root, manifest, upload_dir
        self.tag_ids: dict[str, int] = {}

    def run(self) -> dict:
        self.restore_lines("tags", self.add_tag)
        self.restore_lines("series", lambda values: db.session.add(Series(**column_values(Series, values))))
        self.restore_lines("speakers", self.add_speaker)
        self.restore_lines("redirects", lambda values: db.session.add(
            SlugRedirect(**column_values(SlugRedirect, values))))
        db.session.flush()
        for category in self.category_paths():
            self.restore_event(category)
        self.restore_files()
        advance_id_sequences()
        return self.manifest.get("counts", {})

    def restore_lines(self, kind: str, add) -> None:
        for values in read_lines(self.root / EXTRA_DIR / f"{kind}.jsonl"):
            add(values)

    def add_tag(self, values: dict) -> None:
        tag = Tag(**column_values(Tag, values))
        db.session.add(tag)
        self.tag_ids[tag.name] = tag.id

    def add_speaker(self, values: dict) -> None:
        speaker = Speaker(**column_values(Speaker, values))
        speaker.aliases = [SpeakerAlias(**column_values(SpeakerAlias, alias)) for alias in values["aliases"]]
        db.session.add(speaker)

    def tags(self, names: list[str]) -> list[Tag]:
        return [db.session.get(Tag, self.tag_ids[name]) for name in names]

    def category_paths(self) -> list[Path]:
        return sorted(self.root / relative for relative in self.manifest["files"]
                      if relative.count("/") == 1 and relative.endswith("/category.json"))

    def restore_event(self, category: Path) -> None:
        extra = read_record(category)[NAMESPACE]
        event = Event(**column_values(Event, extra["event"]), tags=self.tags(extra["tags"]))
        db.session.add(event)
        for path in sorted((category.parent / "videos").glob("*.json")):
            self.add_talk(read_record(path)[NAMESPACE])
        db.session.flush()
        db.session.expunge_all()  # the next event's rows only: memory stays flat

    def add_talk(self, extra: dict) -> None:
        talk = Talk(**column_values(Talk, extra["talk"]), tags=self.tags(extra["tags"]))
        talk.speaker_links = [TalkSpeaker(speaker_id=speaker_id, position=position)
                              for position, speaker_id in enumerate(extra["speakers"])]
        db.session.add(talk)
        for deck in extra["decks"]:
            pages = [SlidePage(**column_values(SlidePage, page)) for page in deck["pages"]]
            db.session.add(SlideDeck(**column_values(SlideDeck, deck["deck"]), pages=pages))
        for transcript in extra.get("transcripts", []):
            db.session.add(Transcript(**column_values(Transcript, transcript)))

    def restore_files(self) -> None:
        """Each stored file back under UPLOAD_DIR, written whole (a temporary name, then renamed)."""
        prefix = f"{FILES_DIR}/"
        for relative in self.manifest["files"]:
            if relative.startswith(prefix):
                target = self.upload_dir / relative[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                partial = target.with_name(f".{target.name}.partial")
                shutil.copyfile(self.root / relative, partial)
                os.replace(partial, target)


def advance_id_sequences() -> None:
    """PostgreSQL: the id sequences start after the restored ids (SQLite needs nothing)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for model in RESTORED_MODELS:
        table = model.__tablename__
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"))


def restore_archive(root: Path, upload_dir: Path) -> dict:
    """Verifies the archive, then restores it into the (empty) database; returns its counts.
    ArchiveError for a record that cannot be read: the command rolls everything back."""
    manifest = verify_archive(root)
    check_database_is_empty()
    try:
        return ArchiveRestore(root, manifest, upload_dir).run()
    except (KeyError, TypeError, ValueError, AttributeError) as error:  # JSONDecodeError is a ValueError
        raise ArchiveError(f"a record of the archive cannot be restored ({type(error).__name__}: {error})") from error
