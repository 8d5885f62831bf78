"""The slide upload form. The file's type is decided later, from its content, by the slides service."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms.fields.choices import SelectChoice

from webapp.core.forms import choice_field

# SPDX ids; "" keeps the deck without a stated licence.
LICENCE_CHOICES = [
    ("CC-BY-4.0", "CC BY 4.0"),
    ("CC-BY-SA-4.0", "CC BY-SA 4.0"),
    ("CC-BY-NC-4.0", "CC BY-NC 4.0"),
    ("CC-BY-NC-SA-4.0", "CC BY-NC-SA 4.0"),
    ("CC-BY-ND-4.0", "CC BY-ND 4.0"),
    ("CC-BY-NC-ND-4.0", "CC BY-NC-ND 4.0"),
    ("CC0-1.0", "CC0 1.0"),
    ("", _l("No licence stated (all rights reserved)")),
]


class SlideUploadForm(FlaskForm):
    file = FileField(_l("Slide deck"), validators=[FileRequired(_l("Choose a file to upload."))])
    licence = choice_field(_l("Licence of the slides"), _l("Choose the licence of the slides from the list."),
                           default="CC-BY-4.0",
                           choices=[SelectChoice(value, label) for value, label in LICENCE_CHOICES])


def default_licence(talk_licence: str | None) -> str:
    """The talk's licence when it is one of the choices, else CC BY 4.0."""
    known = {value for value, _ in LICENCE_CHOICES}
    return talk_licence if talk_licence in known else "CC-BY-4.0"
