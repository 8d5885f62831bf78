"""The transcript upload form: a file (WebVTT or SRT, told by its content) and its language."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms.validators import DataRequired

from webapp.core.forms import choice_field, choices
from webapp.core.i18n import language_name

CHOOSE_LANGUAGE = _l("Choose the language of the transcript.")


class TranscriptUploadForm(FlaskForm):
    file = FileField(_l("Transcript or subtitles (WebVTT or SRT)"), id="transcript-file",
                     validators=[FileRequired(_l("Choose a file to upload."))])
    language = choice_field(_l("Language of the transcript"), CHOOSE_LANGUAGE, id="transcript-language",
                            validators=[DataRequired(message=CHOOSE_LANGUAGE)])

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = choices([("", _l("Choose a language")),
                                         *((code, language_name(code)) for code in languages)])
