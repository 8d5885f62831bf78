"""The slide upload form. The file's type is decided later, from its content, by the slides service.

Its fields have ids of their own: the form sits on the talk's workspace page, beside the talk's
form and its own licence field.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms.validators import DataRequired

from webapp.core.forms import choice_field, choices
from webapp.core.licences import licence_choices

CHOOSE_LICENCE = _l("Choose the licence of the slides.")


class SlideUploadForm(FlaskForm):
    """The licence is asked for every deck, never guessed: no choice is made beforehand."""

    file = FileField(_l("Slide deck"), id="deck-file",
                     validators=[FileRequired(_l("Choose a file to upload."))])
    licence = choice_field(_l("Licence of the slides"), CHOOSE_LICENCE, id="deck-licence",
                           validators=[DataRequired(message=CHOOSE_LICENCE)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.licence.choices = choices(licence_choices(_l("Choose a licence")))
