"""The audit log: who changed what in the workspace, and when.

Services take a snapshot of the audited fields before a change (`snapshot`) and record the
difference afterwards (`record_change`). Values are stored as short strings. Each feature names
the fields it audits for the journal (`register_field_labels`, from its init_app, with its forms'
labels); webapp/manage/journal.py shows the entries.
"""
from collections.abc import Mapping
from datetime import date, datetime

from flask import Flask, current_app
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from webapp.extensions import db
from webapp.models import AuditEntry, CuratedPath, Event, SearchRule, Speaker, Tag, Talk, User

VALUE_LENGTH = 120
LABEL_LENGTH = 300
ACTIONS = ("create", "update", "publish", "unpublish", "delete", "reorder", "rename", "merge",
           "end_sessions", "invite", "claim")
KINDS = ("event", "talk", "speaker", "tag", "search_rule", "account", "path")
_KIND_BY_MODEL = {Event: "event", Talk: "talk", Speaker: "speaker", Tag: "tag", SearchRule: "search_rule",
                  User: "account", CuratedPath: "path"}
_MODEL_BY_KIND = {kind: model for model, kind in _KIND_BY_MODEL.items()}
FIELD_LABELS = "audit_field_labels"  # the key of app.extensions


def audit_kind(obj) -> str:
    return _KIND_BY_MODEL[type(obj)]


def audited_model(kind: str):
    """The model of the rows an entry of that kind names (None for an unknown kind)."""
    return _MODEL_BY_KIND.get(kind)


def register_field_labels(app: Flask, labels_by_kind: Mapping[str, Mapping]) -> None:
    """How the journal names the audited fields, by kind then field: {"event": {"title": _l("Title")}}."""
    registry = app.extensions.setdefault(FIELD_LABELS, {})
    for kind, labels in labels_by_kind.items():
        registry.setdefault(kind, {}).update(labels)


def field_label(kind: str, name: str) -> str:
    """The registered label of a field, in the current language; an unnamed key (the title of a
    reordered talk) is shown as it is."""
    label = current_app.extensions.get(FIELD_LABELS, {}).get(kind, {}).get(name)
    return str(label) if label is not None else name


def audit_label(obj) -> str:
    if isinstance(obj, SearchRule):
        return obj.query[:LABEL_LENGTH]
    if isinstance(obj, User):
        return obj.email[:LABEL_LENGTH]
    label = obj.label if isinstance(obj, Tag) else getattr(obj, "title", None) or obj.name
    return label[:LABEL_LENGTH]


def _as_text(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (date, datetime)):
        text = value.isoformat()
    elif isinstance(value, (list, tuple)):
        text = ", ".join(str(item) for item in value)
    else:
        text = str(value)
    return text if len(text) <= VALUE_LENGTH else text[:VALUE_LENGTH - 1] + "…"


def snapshot(obj, fields, **extra) -> dict[str, str | None]:
    """The audited fields of obj as short strings, plus computed values given as `extra`."""
    values = {name: getattr(obj, name) for name in fields} | extra
    return {name: _as_text(value) for name, value in values.items()}


def changed_fields(before: dict, after: dict) -> dict[str, list]:
    return {name: [before.get(name), after.get(name)]
            for name in after if before.get(name) != after.get(name)}


def record_audit(user: User | None, action: str, obj, changes: dict | None = None) -> AuditEntry:
    """Write one entry naming obj (kind, id, label); flush, never commit."""
    entry = AuditEntry(user_id=user.id if user is not None else None, action=action,
                       object_kind=audit_kind(obj), object_id=obj.id,
                       object_label=audit_label(obj), changes=changes or {})
    db.session.add(entry)
    db.session.flush()
    return entry


def record_change(user: User | None, action: str, obj, before: dict,
                  after: dict) -> AuditEntry | None:
    """Record what changed from `before` to `after`; an update that changed nothing is skipped."""
    changes = changed_fields(before, after)
    if action == "update" and not changes:
        return None
    return record_audit(user, action, obj, changes)


def audit_query(kind: str | None = None, action: str | None = None,
                user_id: int | None = None) -> Select:
    query = select(AuditEntry).options(selectinload(AuditEntry.user))
    if kind:
        query = query.where(AuditEntry.object_kind == kind)
    if action:
        query = query.where(AuditEntry.action == action)
    if user_id:
        query = query.where(AuditEntry.user_id == user_id)
    return query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())


def recent_changes(limit: int = 10) -> list[AuditEntry]:
    return list(db.session.scalars(audit_query().limit(limit)))
