"""Workspace: curated paths (create, edit, add a talk, move it up or down, note it, remove it,
publish, unpublish, delete). Every button posts a form with its CSRF token: all of it works without JS."""
from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.core.blueprints import manage_bp as bp
from webapp.core.forms import ConfirmForm
from webapp.core.workspace import check_button, get_or_404, invalid, prefill, saved, show_form, text_filter
from webapp.models import CuratedPath, Talk
from webapp.paths import operations, queries
from webapp.paths.forms import AddTalkForm, NoteForm, PathForm


@bp.get("/paths/")
def paths():
    return render_template("manage/paths.html", paths=queries.managed_paths())


@bp.route("/paths/new", methods=["GET", "POST"])
def path_new():
    form = PathForm()
    if not form.validate_on_submit():
        return show_form("manage/path_form.html", form, path=None)
    path = operations.create_path(current_user, form.title.data, form.introduction.data)
    return saved(_("Path created: add its talks."), "manage.path_edit", path_id=path.id)


def _edit_page(path: CuratedPath, form: PathForm, add: AddTalkForm | None = None, status: int = 200):
    text = text_filter()
    page = render_template("manage/path_form.html", path=path, form=prefill(form, path), add=add or AddTalkForm(),
                           note_form=NoteForm(), actions=ConfirmForm(), q=text,
                           candidates=queries.candidate_talks(path, text))
    return page, status


@bp.route("/paths/<int:path_id>/edit", methods=["GET", "POST"])
def path_edit(path_id: int):
    path = get_or_404(CuratedPath, path_id)
    form = PathForm(obj=path) if request.method == "GET" else PathForm()
    if request.method == "GET":
        return _edit_page(path, form)
    if not form.validate_on_submit():
        return invalid("manage/path_form.html", form=form, path=path, add=AddTalkForm(), note_form=NoteForm(),
                       actions=ConfirmForm(), q="", candidates=[])
    operations.update_path(current_user, path, form.title.data, form.slug.data, form.introduction.data)
    return saved(_("Path saved."), "manage.path_edit", path_id=path.id)


@bp.post("/paths/<int:path_id>/talks")
def path_add_talk(path_id: int):
    path = get_or_404(CuratedPath, path_id)
    form = AddTalkForm()
    talk = get_or_404(Talk, form.talk_id.data) if form.validate_on_submit() else None
    if talk is None:
        return _edit_page(path, PathForm(obj=path), form, 422)
    try:
        operations.add_talk(current_user, path, talk, form.note.data)
    except operations.PathError:
        form.talk_id.errors = [_("This talk is already in the path.")]
        return _edit_page(path, PathForm(obj=path), form, 422)
    return saved(_("Talk added to the path."), "manage.path_edit", path_id=path.id)


@bp.post("/paths/<int:path_id>/talks/<int:item_id>/move")
def path_move_talk(path_id: int, item_id: int):
    path = get_or_404(CuratedPath, path_id)
    item = queries.path_item_or_404(path, item_id)
    check_button()
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        abort(400, description=_("Choose to move the talk up or down."))
    operations.move_item(current_user, item, offset)
    return saved(_("Order saved."), "manage.path_edit", path_id=path.id, _anchor=f"item-{item.id}")


@bp.post("/paths/<int:path_id>/talks/<int:item_id>/note")
def path_note_talk(path_id: int, item_id: int):
    path = get_or_404(CuratedPath, path_id)
    item = queries.path_item_or_404(path, item_id)
    form = NoteForm()
    if not form.validate_on_submit():
        abort(400, description=_("The note is too long, or this form has expired."))
    operations.set_note(current_user, item, form.note.data)
    return saved(_("Note saved."), "manage.path_edit", path_id=path.id, _anchor=f"item-{item.id}")


@bp.post("/paths/<int:path_id>/talks/<int:item_id>/remove")
def path_remove_talk(path_id: int, item_id: int):
    path = get_or_404(CuratedPath, path_id)
    item = queries.path_item_or_404(path, item_id)
    check_button()
    operations.remove_item(current_user, item)
    return saved(_("Talk removed from the path."), "manage.path_edit", path_id=path.id)


@bp.post("/paths/<int:path_id>/publish")
def path_publish(path_id: int):
    path = get_or_404(CuratedPath, path_id)
    check_button()
    operations.publish_path(current_user, path)
    return saved(_("Path published."), "manage.path_edit", path_id=path.id)


@bp.post("/paths/<int:path_id>/unpublish")
def path_unpublish(path_id: int):
    path = get_or_404(CuratedPath, path_id)
    check_button()
    operations.unpublish_path(current_user, path)
    return saved(_("Path unpublished: it is a draft again."), "manage.path_edit", path_id=path.id)


@bp.route("/paths/<int:path_id>/delete", methods=["GET", "POST"])
def path_delete(path_id: int):
    path = get_or_404(CuratedPath, path_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("manage/confirm_delete.html", form=form, kind=_("curated path"), label=path.title,
                               cancel_url=url_for("manage.path_edit", path_id=path.id),
                               consequences=_("The talks stay; only the path goes."))
    operations.delete_path(current_user, path)
    return saved(_("Path deleted."), "manage.paths")
