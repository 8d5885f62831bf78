"""Workspace: the dashboard and the audit log."""
from flask import abort, render_template
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webapp.core.access import admin_required
from webapp.core.audit import ACTIONS, KINDS, audit_query, recent_changes
from webapp.core.blueprints import manage_bp as bp
from webapp.core.params import single_arg
from webapp.core.workspace import filters, page_of
from webapp.extensions import db
from webapp.manage.journal import shown_entries
from webapp.models import Event, Status, Talk, User

DASHBOARD_DRAFTS = 15


def _drafts(model, *options) -> list:
    query = (select(model).where(model.status == Status.DRAFT).options(*options)
             .order_by(model.updated_at.desc()).limit(DASHBOARD_DRAFTS))
    return list(db.session.scalars(query))


@bp.get("/")
def dashboard():
    return render_template(
        "manage/dashboard.html", draft_events=_drafts(Event),
        draft_talks=_drafts(Talk, selectinload(Talk.event)),
        changes=shown_entries(recent_changes()))


def _choice_arg(name: str, allowed) -> str | None:
    value = single_arg(name)
    if value and value not in allowed:
        abort(400, description=_("Unknown value for “%(name)s”.", name=name))
    return value or None


def _user_arg() -> int | None:
    value = single_arg("user")
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) < 10):
        abort(400, description=_("The user must be given by number."))
    return int(value)


@bp.get("/audit")
@admin_required
def audit():
    kind, action = _choice_arg("kind", KINDS), _choice_arg("action", ACTIONS)
    user_id = _user_arg()
    pagination = page_of(audit_query(kind, action, user_id))
    users = list(db.session.scalars(select(User).order_by(User.email)))
    return render_template("manage/audit.html", pagination=pagination,
                           entries=shown_entries(pagination.items), kinds=KINDS,
                           actions=ACTIONS, users=users, kind=kind, action=action,
                           user_id=user_id, args=filters())
