"""Workspace: the programme of an event, its talks in order with their start times, speakers and
status, and a warning wherever the order contradicts the start times.

The order changes by drag and drop or with the keyboard (static/js/programme.js posts the whole
new order as JSON, with the CSRF token in the X-CSRFToken header, and shows the warnings the
answer carries), or without JavaScript with the up and down buttons and "Sort by start time".
"""
from flask import abort, jsonify, render_template, request
from flask_babel import format_datetime, format_time, to_user_timezone
from flask_babel import gettext as _
from flask_login import current_user

from webapp.catalogue.operations import programme as programme_service
from webapp.core.blueprints import manage_bp as bp
from webapp.core.forms import ConfirmForm
from webapp.core.workspace import check_button, get_or_404, saved
from webapp.extensions import db
from webapp.models import Event, Talk

MOVES = {"up": -1, "down": 1}


def start_labels(talks: list[Talk]) -> dict[int, str]:
    """Each timed talk's start in the reader's locale: the time, and the day too when the
    programme's talks are spread over several days."""
    timed = [talk for talk in talks if talk.starts_at is not None]
    days = {to_user_timezone(talk.starts_at).date() for talk in timed}
    show = format_datetime if len(days) > 1 else format_time
    return {talk.id: show(talk.starts_at, "short") for talk in timed}


def time_warnings(talks: list[Talk], labels: dict[int, str]) -> list[str]:
    return [_("“%(first)s” (%(first_start)s) comes before “%(second)s” (%(second_start)s).",
              first=first.title, first_start=labels[first.id],
              second=second.title, second_start=labels[second.id])
            for first, second in programme_service.time_contradictions(talks)]


@bp.get("/events/<int:event_id>/programme")
def event_programme(event_id: int):
    event = get_or_404(Event, event_id)
    talks = programme_service.programme_order(event)
    labels = start_labels(talks)
    return render_template("manage/programme.html", event=event, talks=talks, start_labels=labels,
                           warnings=time_warnings(talks, labels), form=ConfirmForm())


@bp.post("/events/<int:event_id>/programme/<int:talk_id>/move")
def programme_move(event_id: int, talk_id: int):
    """The button "up" or "down" of a talk, for browsers without JavaScript."""
    event = get_or_404(Event, event_id)
    talk = get_or_404(Talk, talk_id)
    offset = MOVES.get(request.form.get("direction", ""))
    if talk.event_id != event.id or offset is None:
        abort(400, description=_("Choose a talk of this programme and a direction, up or down."))
    check_button()
    programme_service.reorder_programme(current_user, event, talk, offset)
    return saved(_("Programme order saved."), "manage.event_programme", event_id=event.id,
                 _anchor=f"talk-{talk.id}")


def _refused(message: str):
    return jsonify(error="invalid_order", message=message), 400


def _talk_ids_sent() -> list[int] | None:
    """The "talk_ids" list of the JSON body, if it is a list of whole numbers."""
    body = request.get_json(silent=True)
    talk_ids = body.get("talk_ids") if isinstance(body, dict) else None
    if not isinstance(talk_ids, list) or not all(type(talk_id) is int for talk_id in talk_ids):
        return None
    return talk_ids


@bp.post("/events/<int:event_id>/programme/order")
def programme_order(event_id: int):
    """The whole new order, as JSON {"talk_ids": [...]}; answers the warnings it gives."""
    event = get_or_404(Event, event_id)
    talk_ids = _talk_ids_sent()
    if talk_ids is None:
        return _refused(_("The new order could not be read. Send the ids of the programme's talks, "
                          "as whole numbers, in their new order. Nothing was changed."))
    try:
        talks = programme_service.set_programme_order(current_user, event, talk_ids)
    except programme_service.ProgrammeOrderError as error:
        return _refused(str(error))
    db.session.commit()
    return jsonify(message=_("Programme order saved."),
                   warnings=time_warnings(talks, start_labels(talks)))


@bp.post("/events/<int:event_id>/programme/sort")
def programme_sort(event_id: int):
    event = get_or_404(Event, event_id)
    check_button()
    programme_service.sort_programme_by_start(current_user, event)
    return saved(_("The talks are now in order of their start times (those without one kept their place)."),
                 "manage.event_programme", event_id=event.id)
