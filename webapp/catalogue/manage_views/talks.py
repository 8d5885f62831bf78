"""Workspace: talks, their speakers, publication and preview."""
from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webapp.catalogue.forms import TalkBatchForm, TalkForm
from webapp.catalogue.operations import bulk
from webapp.catalogue.operations import talks as talk_service
from webapp.catalogue.operations.talks import local_timezone
from webapp.catalogue.preview import render_preview
from webapp.catalogue.views import talk_page_context
from webapp.core.blueprints import manage_bp as bp
from webapp.core.forms import ConfirmForm
from webapp.core.licences import normalise_licence
from webapp.core.params import single_arg
from webapp.core.workspace import (
    check_button,
    filters,
    get_or_404,
    invalid,
    like_pattern,
    page_of,
    prefill,
    saved,
    show_form,
    status_filter,
    text_filter,
)
from webapp.extensions import db
from webapp.models import Event, Speaker, Talk, TalkSpeaker
from webapp.slides import queries as slide_queries
from webapp.transcripts import queries as transcript_queries


def _event_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Event.id, Event.title, Event.start_date)
                              .order_by(Event.start_date.desc().nulls_first(), Event.title))
    return [(row.id, f"{row.title} ({row.start_date.year})" if row.start_date else row.title)
            for row in rows]


def _event_filter() -> int | None:
    value = single_arg("event") or ""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _talk_list_query(text: str, status, event_id: int | None):
    query = select(Talk).options(selectinload(Talk.event),
                                 selectinload(Talk.speaker_links).selectinload(TalkSpeaker.speaker))
    if text:
        query = query.where(Talk.title.ilike(like_pattern(text)))
    if status:
        query = query.where(Talk.status == status)
    if event_id:
        query = query.where(Talk.event_id == event_id)
    return query.order_by(Talk.updated_at.desc(), Talk.id.desc())


def _list_context(batch: TalkBatchForm) -> dict:
    """The talk list page: its filters from the query string, one page of talks, the bulk form."""
    text, status, event_id = text_filter(), status_filter(), _event_filter()
    pagination = page_of(_talk_list_query(text, status, event_id))
    return {"pagination": pagination, "q": text, "status": status,
            "event": db.session.get(Event, event_id) if event_id else None, "args": filters(),
            "batch": batch}


@bp.get("/talks/")
def talks():
    return render_template("manage/talks.html", **_list_context(TalkBatchForm()))


def _publish(form: TalkBatchForm) -> str:
    talks = form.selected_talks
    count = bulk.publish_talks(current_user, talks)
    if all(talk.event.is_published for talk in talks):
        return ngettext("%(num)d talk published.", "%(num)d talks published.", count)
    return ngettext("%(num)d talk published; talks of a draft event go public once their event is published.",
                    "%(num)d talks published; talks of a draft event go public once their event is published.",
                    count)


def _unpublish(form: TalkBatchForm) -> str:
    return ngettext("%(num)d talk withdrawn: it is a draft again.",
                    "%(num)d talks withdrawn: they are drafts again.",
                    bulk.unpublish_talks(current_user, form.selected_talks))


def _tag(form: TalkBatchForm) -> str:
    tag, count = bulk.tag_talks(current_user, form.selected_talks, form.tag.data)
    return ngettext("Tag %(label)s added to %(num)d talk.", "Tag %(label)s added to %(num)d talks.",
                    count, label=tag.label)


BATCH_ACTIONS = {"publish": _publish, "unpublish": _unpublish, "tag": _tag}


def _kept_filters() -> dict:
    """The list's filters, checked, to show it again as it was (its page may no longer exist)."""
    text, status, event_id = text_filter(), status_filter(), _event_filter()
    return {"q": text or None, "status": status.value if status else None, "event": event_id}


@bp.post("/talks/batch")
def talks_batch():
    """Publish, unpublish or tag the ticked talks, then show the list again with its filters."""
    kept = _kept_filters()
    form = TalkBatchForm(find_talks=bulk.talks_with_ids)
    if not form.validate_on_submit():
        return invalid("manage/talks.html", **_list_context(form))
    message = BATCH_ACTIONS[form.action.data](form)
    return saved(message, "manage.talks", **kept)


def _known_speaker_names() -> list[str]:
    return list(db.session.scalars(select(Speaker.name).order_by(Speaker.sort_key).limit(5000)))


def _form_page(form: TalkForm, talk: Talk | None):
    return show_form("manage/talk_form.html", form, talk=talk, actions=ConfirmForm(),
                     speaker_names=_known_speaker_names(),
                     slide_decks=slide_queries.deck_versions(talk) if talk else [],
                     transcripts=transcript_queries.talk_transcripts(talk) if talk else [])


@bp.route("/talks/new", methods=["GET", "POST"])
def talk_new():
    form = TalkForm(event_choices=_event_choices(), event_id=_event_filter())
    if not form.validate_on_submit():
        return _form_page(form, None)
    talk = talk_service.create_talk(current_user, form.data)
    return saved(_("Talk created as a draft."), "manage.talk_edit", talk_id=talk.id)


def _initial_values(talk: Talk) -> dict:
    local_start = talk.starts_at.astimezone(local_timezone()) if talk.starts_at else None
    return {
        "tags": ", ".join(tag.name for tag in talk.tags),
        "speakers": "\n".join(speaker.name for speaker in talk.speakers),
        "series_title": talk.series.title if talk.series else "",
        "start_time": local_start.time().replace(tzinfo=None) if local_start else None,
        "language": talk.language or "",
        "licence": normalise_licence(talk.licence) or "",
    }


@bp.route("/talks/<int:talk_id>/edit", methods=["GET", "POST"])
def talk_edit(talk_id: int):
    talk = get_or_404(Talk, talk_id)
    form = prefill(TalkForm(obj=talk, event_choices=_event_choices(), current_licence=talk.licence), talk,
                   **_initial_values(talk))
    if not form.validate_on_submit():
        return _form_page(form, talk)
    talk_service.update_talk(current_user, talk, form.data)
    return saved(_("Talk saved."), "manage.talk_edit", talk_id=talk.id)


@bp.post("/talks/<int:talk_id>/publish")
def talk_publish(talk_id: int):
    talk = get_or_404(Talk, talk_id)
    check_button()
    talk_service.publish_talk(current_user, talk)
    message = (_("Talk published.") if talk.event.is_published else
               _("Talk published; it will be public once its event is published too."))
    return saved(message, "manage.talk_edit", talk_id=talk.id)


@bp.post("/talks/<int:talk_id>/unpublish")
def talk_unpublish(talk_id: int):
    talk = get_or_404(Talk, talk_id)
    check_button()
    talk_service.unpublish_talk(current_user, talk)
    return saved(_("Talk withdrawn: it is a draft again."), "manage.talk_edit", talk_id=talk.id)


@bp.route("/talks/<int:talk_id>/delete", methods=["GET", "POST"])
def talk_delete(talk_id: int):
    talk = get_or_404(Talk, talk_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("manage/confirm_delete.html", form=form, kind=_("talk"),
                               label=talk.title,
                               cancel_url=url_for("manage.talk_edit", talk_id=talk.id))
    event_id = talk.event_id
    talk_service.delete_talk(current_user, talk)
    return saved(_("Talk deleted."), "manage.talks", event=event_id)


@bp.get("/talks/<int:talk_id>/preview")
def talk_preview(talk_id: int):
    talk = get_or_404(Talk, talk_id)
    note = _preview_note(talk)
    return render_preview("public/talk.html", talk_page_context(talk, preview=True),
                          url_for("manage.talk_edit", talk_id=talk.id), note)


def _preview_note(talk: Talk) -> str:
    if not talk.is_published:
        return _("This talk is a draft.")
    if not talk.event.is_published:
        return _("This talk is published but its event is a draft.")
    return ""
