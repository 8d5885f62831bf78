"""Forms of the curated paths' workspace."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional

from webapp.core.forms import MarkdownField, at_most, text_field
from webapp.paths.operations import NOTE_LENGTH


class PathForm(FlaskForm):
    title = text_field(_l("Title"), 300, required=_l("Enter the title of the path."))
    slug = text_field(_l("Address (slug)"), 200)
    introduction = MarkdownField(_l("Introduction"))


class AddTalkForm(FlaskForm):
    talk_id = IntegerField(_l("Talk"), [DataRequired(message=_l("Choose a talk to add.")),
                                        NumberRange(min=1, max=2**31 - 1, message=_l("Choose a talk to add."))],
                           invalid_value_message=_l("Choose a talk to add."))
    note = TextAreaField(_l("Note"), [Optional(), at_most(NOTE_LENGTH)])


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Note"), [Optional(), at_most(NOTE_LENGTH)])


FIELD_LABELS = {"title": _l("Title"), "slug": _l("Address (slug)"), "introduction": _l("Introduction"),
                "talks": _l("Talks")}
