"""Workspace: tags (create, rename, merge, delete)."""
from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp.catalogue.forms import TagForm, TagMergeForm
from webapp.catalogue.operations import tags_admin
from webapp.catalogue.operations.tags_admin import TagNameTaken
from webapp.core.blueprints import manage_bp as bp
from webapp.core.forms import ConfirmForm
from webapp.core.naming import normalize_tag
from webapp.core.workspace import (
    filters,
    get_or_404,
    invalid,
    like_pattern,
    page_of,
    saved,
    text_filter,
)
from webapp.models import Tag


@bp.get("/tags/")
def tags():
    text = text_filter()
    query = select(Tag).order_by(Tag.name)
    if text:
        query = query.where(Tag.name.ilike(like_pattern(normalize_tag(text) or text)))
    pagination = page_of(query)
    usage = tags_admin.tag_usage([tag.id for tag in pagination.items])
    return render_template("manage/tags.html", pagination=pagination, usage=usage, q=text,
                           args=filters(), form=TagForm())


@bp.post("/tags/new")
def tag_new():
    form = TagForm()
    if not form.validate_on_submit() or not normalize_tag(form.name.data):
        form.name.errors = [*form.name.errors, _("Enter a tag name, such as #mednum.")]
        return invalid("manage/tag_new.html", form=form)
    tag = tags_admin.create_tag(current_user, form.name.data)
    return saved(_("Tag %(label)s is ready.", label=tag.label), "manage.tag_edit", tag_id=tag.id)


def _edit_page(tag: Tag, rename: TagForm, merge: TagMergeForm, status: int = 200):
    usage = tags_admin.tag_usage([tag.id])[tag.id]
    page = render_template("manage/tag_form.html", tag=tag, rename=rename, merge=merge,
                           usage=usage)
    return page, status


@bp.get("/tags/<int:tag_id>/edit")
def tag_edit(tag_id: int):
    tag = get_or_404(Tag, tag_id)
    return _edit_page(tag, TagForm(obj=tag), TagMergeForm())


@bp.post("/tags/<int:tag_id>/rename")
def tag_rename(tag_id: int):
    tag = get_or_404(Tag, tag_id)
    form = TagForm()
    if not form.validate_on_submit() or not normalize_tag(form.name.data):
        form.name.errors = [*form.name.errors, _("Enter a tag name, such as #mednum.")]
        return _edit_page(tag, form, TagMergeForm(), 422)
    try:
        tags_admin.rename_tag(current_user, tag, form.name.data)
    except TagNameTaken as taken:
        form.name.errors = [_("%(label)s already exists: merge into it instead.",
                              label=taken.tag.label)]
        return _edit_page(tag, form, TagMergeForm(target=taken.tag.name), 422)
    return saved(_("Tag renamed; the old name leads to the new one."), "manage.tag_edit",
                 tag_id=tag.id)


@bp.post("/tags/<int:tag_id>/merge")
def tag_merge(tag_id: int):
    tag = get_or_404(Tag, tag_id)
    form = TagMergeForm()
    target = tags_admin.tag_by_name(normalize_tag(form.target.data or ""))
    if not form.validate_on_submit() or target is None or target.id == tag.id:
        form.target.errors = [*form.target.errors, _("Choose another existing tag.")]
        return _edit_page(tag, TagForm(obj=tag), form, 422)
    tags_admin.merge_tag(current_user, tag, target)
    return saved(_("Tags merged."), "manage.tag_edit", tag_id=target.id)


@bp.route("/tags/<int:tag_id>/delete", methods=["GET", "POST"])
def tag_delete(tag_id: int):
    tag = get_or_404(Tag, tag_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        talks, events = tags_admin.tag_usage([tag.id])[tag.id]
        return render_template(
            "manage/confirm_delete.html", form=form, kind=_("tag"), label=tag.label,
            cancel_url=url_for("manage.tag_edit", tag_id=tag.id),
            consequences=_("It will be removed from %(talks)s talks and %(events)s events.",
                           talks=talks, events=events))
    tags_admin.delete_tag(current_user, tag)
    return saved(_("Tag deleted."), "manage.tags")
