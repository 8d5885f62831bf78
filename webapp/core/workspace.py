"""Helpers shared by the workspace views: rows by id, list filters, and the commit at the edge
(`saved`: commit, tell the organiser, redirect)."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import Select

from webapp.core.forms import ConfirmForm, show_rich_text, was_sent
from webapp.core.params import ensure_page_in_range, page_arg, paginate, single_arg
from webapp.extensions import db
from webapp.models import Status

UNPROCESSABLE = 422
SEARCH_LENGTH = 200
MAX_ROW_ID = 2**31 - 1  # the largest INTEGER on PostgreSQL


def get_or_404(model, row_id: int):
    """The row with that id; ids past what the id columns hold are a 404, not a database error."""
    row = db.session.get(model, row_id) if 0 < row_id <= MAX_ROW_ID else None
    if row is None:
        abort(404)
    return row


def page_of(query: Select):
    pagination = paginate(query, page_arg(), current_app.config["PAGE_SIZE"])
    ensure_page_in_range(pagination)
    return pagination


def text_filter() -> str:
    """?q= for the lists: a bit of a title or name."""
    value = single_arg("q") or ""
    if len(value) > SEARCH_LENGTH:
        abort(400, description=_("The search text is too long."))
    return value


def status_filter() -> Status | None:
    value = single_arg("status")
    if not value:
        return None
    if value not in {status.value for status in Status}:
        abort(400, description=_("The status must be “draft” or “published”."))
    return Status(value)


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def filters() -> dict:
    """The list's filters, to keep in pagination links."""
    return {key: value for key, value in request.args.items() if key != "page" and value}


def saved(message: str, endpoint: str, **values):
    """After a change: commit, tell the organiser, and go to the given page."""
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(endpoint, **values))


def invalid(template: str, **context):
    """A form with errors is shown again, with its messages, as a 422."""
    flash(_("Please correct the fields marked below."), "error")
    return render_template(template, **context), UNPROCESSABLE


def show_form(template: str, form, **context):
    """The form page; after a failed submission, with its messages and a 422."""
    if form.is_submitted():
        return invalid(template, form=form, **context)
    return render_template(template, form=form, **context)


def check_button() -> None:
    """State-changing buttons post only their CSRF token; a stale one is a clear 400."""
    if not ConfirmForm().validate_on_submit():
        abort(400, description=_("This form has expired. Please go back and try again."))


def prefill(form, stored, **values):
    """Show the stored row's text on a form not yet sent: computed values (tags as text, speakers
    one per line...) and the Markdown of its rich text fields (core/rich_text.py).

    WTForms reads `obj` before keyword values, so fields whose names are also model
    attributes (tags, speakers, links) are set here."""
    if not was_sent(form):
        for name, value in values.items():
            form[name].data = value
    show_rich_text(form, stored)
    return form
