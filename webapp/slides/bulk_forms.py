"""The forms of a bulk slide upload: the ZIP with the batch's licence, then the matching preview
(for each accepted file, the talk it goes to, or none, and its licence)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms.validators import DataRequired

from webapp.core.forms import choice_field, choices
from webapp.core.licences import licence_choices
from webapp.slides.bulk_matching import Match, TalkChoice
from webapp.slides.bulk_staging import StagedBatch

CHOOSE_LICENCE = _l("Choose the licence of the slides.")
CHOOSE_TALK = _l("Choose a talk of this event, or skip the file.")
SKIP = ""


class BulkSlidesForm(FlaskForm):
    archive = FileField(_l("ZIP archive of slide decks"), id="bulk-archive",
                        validators=[FileRequired(_l("Choose a ZIP archive to upload."))])
    licence = choice_field(_l("Licence of the slides"), CHOOSE_LICENCE, id="bulk-licence",
                           validators=[DataRequired(message=CHOOSE_LICENCE)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.licence.choices = choices(licence_choices(_l("Choose a licence")))


def talk_field_name(number: int) -> str:
    return f"talk_{number}"


def licence_field_name(number: int) -> str:
    return f"licence_{number}"


def _talk_options(talks: list[TalkChoice]) -> list[tuple[str, str]]:
    return [(SKIP, str(_l("Skip this file")))] + [(str(talk.id), f"{talk.rank}. {talk.title}") for talk in talks]


def matching_form(batch: StagedBatch, talks: list[TalkChoice], matches: list[Match]) -> FlaskForm:
    """A form with a talk select and a licence select for each file the checks accepted, set to
    the file's match and the batch's licence until the organiser changes them."""
    class BulkMatchForm(FlaskForm):
        pass

    talk_options = _talk_options(talks)
    for number, (staged, match) in enumerate(zip(batch.files, matches)):
        if staged.error:
            continue
        setattr(BulkMatchForm, talk_field_name(number), choice_field(
            _l("Talk for %(name)s", name=staged.name), CHOOSE_TALK, id=f"bulk-file-{number}-talk",
            choices=choices(talk_options), default=str(match.talk_id or SKIP)))
        setattr(BulkMatchForm, licence_field_name(number), choice_field(
            _l("Licence"), CHOOSE_LICENCE, id=f"bulk-file-{number}-licence", default=batch.licence,
            choices=choices(licence_choices(_l("Choose a licence"))),
            validators=[DataRequired(message=CHOOSE_LICENCE)]))
    return BulkMatchForm()


def chosen_talk_ids(form: FlaskForm, batch: StagedBatch) -> list[int | None]:
    """For each file of the batch, the talk chosen for it (None: skipped, refused, or not a number:
    the form says so when it is validated)."""
    chosen = []
    for number in range(len(batch.files)):
        field = getattr(form, talk_field_name(number), None)
        value = field.data if field is not None else None
        chosen.append(int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else None)
    return chosen
