"""Workspace: events (their programme is in manage_views/programme.py)."""
from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select

from webapp.catalogue.forms import EventForm, PublishEventForm
from webapp.catalogue.operations import bulk
from webapp.catalogue.operations import events as event_service
from webapp.catalogue.preview import render_preview
from webapp.catalogue.views import event_page_context
from webapp.core.blueprints import manage_bp as bp
from webapp.core.forms import ConfirmForm
from webapp.core.workspace import (
    check_button,
    filters,
    get_or_404,
    like_pattern,
    page_of,
    prefill,
    saved,
    show_form,
    status_filter,
    text_filter,
)
from webapp.extensions import db
from webapp.models import Event, Talk


def _event_list_query(text: str, status):
    query = select(Event)
    if text:
        query = query.where(Event.title.ilike(like_pattern(text)))
    if status:
        query = query.where(Event.status == status)
    return query.order_by(Event.start_date.desc().nulls_first(), Event.id.desc())


def _talk_counts(event_ids: list[int]) -> dict[int, int]:
    query = (select(Talk.event_id, func.count(Talk.id)).where(Talk.event_id.in_(event_ids))
             .group_by(Talk.event_id))
    return dict(db.session.execute(query).all())


@bp.get("/events/")
def events():
    text, status = text_filter(), status_filter()
    pagination = page_of(_event_list_query(text, status))
    counts = _talk_counts([event.id for event in pagination.items])
    return render_template("manage/events.html", pagination=pagination, talk_counts=counts, q=text,
                           status=status, args=filters())


def _tag_text(event: Event) -> str:
    return ", ".join(tag.name for tag in event.tags)


@bp.route("/events/new", methods=["GET", "POST"])
def event_new():
    form = EventForm()
    if not form.validate_on_submit():
        return show_form("manage/event_form.html", form, event=None)
    event = event_service.create_event(current_user, form.data)
    return saved(_("Event created as a draft."), "manage.event_edit", event_id=event.id)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def event_edit(event_id: int):
    event = get_or_404(Event, event_id)
    form = prefill(EventForm(obj=event), event, tags=_tag_text(event))
    if not form.validate_on_submit():
        return show_form("manage/event_form.html", form, event=event, actions=ConfirmForm())
    event_service.update_event(current_user, event, form.data)
    return saved(_("Event saved."), "manage.event_edit", event_id=event.id)


@bp.route("/events/<int:event_id>/publish", methods=["GET", "POST"])
def event_publish(event_id: int):
    """Publish a draft event and, in the same step, those of its ready draft talks the organiser
    keeps ticked; the page lists them (and the drafts not ready, with what they lack)."""
    event = get_or_404(Event, event_id)
    drafts = [(talk, bulk.missing_for_publication(talk)) for talk in bulk.draft_talks(event)]
    ready = [talk for talk, missing in drafts if not missing]
    form = PublishEventForm(ready_talks=ready)
    if not form.is_submitted() and event.is_published:
        return redirect(url_for("manage.event_edit", event_id=event.id))
    if not form.validate_on_submit():
        return show_form("manage/event_publish.html", form, event=event, ready=ready,
                         not_ready=[(talk, missing) for talk, missing in drafts if missing])
    chosen = [talk for talk in ready if talk.id in form.talks.data]
    count = bulk.publish_event_with_talks(current_user, event, chosen)
    return saved(_published_message(count), "manage.event_edit", event_id=event.id)


def _published_message(talk_count: int) -> str:
    if not talk_count:
        return _("Event published.")
    return ngettext("Event published with %(num)d talk.", "Event published with %(num)d talks.",
                    talk_count)


@bp.post("/events/<int:event_id>/unpublish")
def event_unpublish(event_id: int):
    event = get_or_404(Event, event_id)
    check_button()
    event_service.unpublish_event(current_user, event)
    return saved(_("Event withdrawn: it is a draft again."), "manage.event_edit", event_id=event.id)


@bp.route("/events/<int:event_id>/delete", methods=["GET", "POST"])
def event_delete(event_id: int):
    event = get_or_404(Event, event_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("manage/confirm_delete.html", form=form, kind=_("event"),
                               label=event.title,
                               cancel_url=url_for("manage.event_edit", event_id=event.id),
                               consequences=_("Its %(count)s talks will be deleted too.",
                                              count=len(event.talks)))
    event_service.delete_event(current_user, event)
    return saved(_("Event deleted."), "manage.events")


@bp.get("/events/<int:event_id>/preview")
def event_preview(event_id: int):
    event = get_or_404(Event, event_id)
    note = "" if event.is_published else _("This event is a draft.")
    return render_preview("public/event.html", event_page_context(event, preview=True),
                          url_for("manage.event_edit", event_id=event.id), note)
