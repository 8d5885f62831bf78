"""How the dashboard and the audit log show audit entries (webapp/core/audit.py).

Each entry links to the workspace page of the record it names while that record exists; a deleted
record keeps the label the entry recorded, without a link. Each change reads in the reader's
language: the field's label (as its feature registered it), days and times the local way, Yes/No,
Draft/Published, language names, rich text as plain text, long text shortened; hashes and
secrets are never shown, only that they changed.
"""
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from flask import url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Column, TypeDecorator, func, select

from webapp.core.access import is_admin
from webapp.core.audit import KINDS, audit_label, audited_model, field_label
from webapp.core.i18n import format_day, language_name
from webapp.core.rich_text import source_column
from webapp.extensions import db
from webapp.models import AuditEntry, Status
from webapp.sanitize import readable_text

SHOWN_LENGTH = 80
SECRET_FIELD = re.compile(r"hash|password|token|secret|nonce|sha256|photo|_key$", re.IGNORECASE)
HEX_DIGEST = re.compile(r"[0-9a-f]{32,}…?", re.IGNORECASE)
TRUNCATED_TAG = re.compile(r"<[^<>]*$")  # sanitised HTML escapes "<" in text: this is a cut tag
LANGUAGE_FIELDS = ("language", "preferred_language")
WORKSPACE_PAGES = {"event": ("manage.event_edit", "event_id"), "talk": ("manage.talk_edit", "talk_id"),
                   "speaker": ("manage.speaker_edit", "speaker_id"), "tag": ("manage.tag_edit", "tag_id"),
                   "search_rule": ("manage.search_rule_edit", "rule_id"), "path": ("manage.path_edit", "path_id")}


@dataclass(frozen=True)
class ShownChange:
    """One field of an entry: its label, then its values as the reader reads them, or only a note
    (a secret "changed") instead."""

    label: str
    before: str | None = None
    after: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class ShownEntry:
    entry: AuditEntry
    url: str | None  # the workspace page of the record, while the record exists

    @property
    def changes(self) -> list[ShownChange]:
        """What changed, leaving out what reads the same before and after (none, then empty)."""
        changes = (shown_change(self.entry.object_kind, name, values)
                   for name, values in (self.entry.changes or {}).items())
        return [change for change in changes if change.note or change.before != change.after]


def shown_entries(entries: list[AuditEntry]) -> list[ShownEntry]:
    linked = _entries_of_existing_records(entries)
    return [ShownEntry(entry, workspace_url(entry.object_kind, entry.object_id) if entry.id in linked else None)
            for entry in entries]


def workspace_url(kind: str, object_id: int) -> str | None:
    """The workspace page of a record; accounts are listed on the admins' accounts page."""
    if kind == "account":
        return url_for("manage.accounts_list", _anchor=f"account-{object_id}") if is_admin(current_user) else None
    endpoint, argument = WORKSPACE_PAGES.get(kind, (None, None))
    return url_for(endpoint, **{argument: object_id}) if endpoint else None


# Which records still exist ------------------------------------------------------------------

def _entries_of_existing_records(entries: list[AuditEntry]) -> set[int]:
    """The ids of the entries whose record exists, and is the one they name: an entry older than the
    record's deletion names the deleted record, even when a new one has its id (SQLite reuses ids)."""
    keys = {(entry.object_kind, entry.object_id) for entry in entries if entry.object_id is not None}
    existing, deletions = _existing_records(keys), _last_deletions(keys)
    return {entry.id for entry in entries if (entry.object_kind, entry.object_id) in existing
            and entry.id > deletions.get((entry.object_kind, entry.object_id), 0)}


def _existing_records(keys: set[tuple[str, int]]) -> set[tuple[str, int]]:
    ids_by_kind = defaultdict(set)
    for kind, object_id in keys:
        ids_by_kind[kind].add(object_id)
    existing = set()
    for kind, ids in ids_by_kind.items():
        model = audited_model(kind)
        if model is not None:
            existing.update((kind, found) for found in db.session.scalars(select(model.id).where(model.id.in_(ids))))
    return existing


def _last_deletions(keys: set[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """The id of the latest "delete" entry of each record."""
    if not keys:
        return {}
    query = (select(AuditEntry.object_kind, AuditEntry.object_id, func.max(AuditEntry.id))
             .where(AuditEntry.action == "delete", AuditEntry.object_id.in_({key[1] for key in keys}))
             .group_by(AuditEntry.object_kind, AuditEntry.object_id))
    return {(kind, object_id): entry_id for kind, object_id, entry_id in db.session.execute(query)}


# How a change reads -------------------------------------------------------------------------

def shown_change(kind: str, name: str, values) -> ShownChange:
    before, after = values if isinstance(values, (list, tuple)) and len(values) == 2 else (None, values)
    label = field_label(kind, name)
    if _is_secret(name, before, after):
        return ShownChange(label, note=_secret_note(before, after))
    return ShownChange(label, shown_value(kind, name, before), shown_value(kind, name, after))


def _is_secret(name: str, *values) -> bool:
    """A hash, key or password by its name, or a value that is a hex digest whatever its name."""
    return bool(SECRET_FIELD.search(name)) or any(
        isinstance(value, str) and HEX_DIGEST.fullmatch(value) for value in values)


def _secret_note(before, after) -> str:
    if before is None:
        return _("added")
    return _("removed") if after is None else _("changed")


def shown_value(kind: str, name: str, value) -> str | None:
    """A stored value (a short string) as the reader reads it, shortened with an ellipsis; None
    for no value (an empty one included)."""
    if value is None or value == "":
        return None
    text = str(value)
    try:
        text = _formatter(kind, name)(text)
    except (ValueError, OverflowError):
        pass  # not what the column holds (an older entry): shown as stored
    return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH - 1].rstrip() + "…"


def _column(kind: str, name: str) -> Column | None:
    model = audited_model(kind)
    return model.__table__.columns.get(name) if model is not None else None


def _formatter(kind: str, name: str):
    column = _column(kind, name)
    if name in LANGUAGE_FIELDS:
        return language_name
    if column is None:
        return str
    if column.foreign_keys:
        return lambda text: _referenced_label(column, text)
    if source_column(column.name) in column.table.columns:  # rich text: stored as HTML
        return _rich_text
    return VALUE_FORMATTERS.get(_python_type(column), str)


def _python_type(column: Column):
    column_type = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    try:
        return column_type.python_type
    except NotImplementedError:
        return None


def _referenced_label(column: Column, text: str) -> str:
    """The current label of the record a foreign key names (a talk's event), or its number."""
    table = next(iter(column.foreign_keys)).column.table
    model = next((audited_model(kind) for kind in KINDS if audited_model(kind).__table__ is table), None)
    row = db.session.get(model, int(text)) if model is not None else None
    return audit_label(row) if row is not None else f"#{text}"


def _rich_text(html: str) -> str:
    """Stored HTML as plain text; a tag that the stored value's shortening cut through is dropped."""
    return readable_text(TRUNCATED_TAG.sub("…", html))


def _yes_no(text: str) -> str:
    return _("Yes") if text == "True" else _("No")


def _status(text: str) -> str:
    return {Status.DRAFT: _("Draft"), Status.PUBLISHED: _("Published")}.get(text, text)


VALUE_FORMATTERS = {
    bool: _yes_no,
    date: lambda text: format_day(date.fromisoformat(text), "long"),
    datetime: lambda text: format_datetime(datetime.fromisoformat(text), "short"),
    Status: _status,
}
