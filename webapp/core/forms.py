"""Form pieces several features use (Flask-WTF, CSRF on every form).

Every message a form shows is ours, written for the person who fills it in: what is wrong and
what to do (tests/core/test_form_messages.py checks that no field falls back on WTForms' words).
"""
from urllib.parse import urlsplit

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from webapp.core.rich_text import CONVERTED, HTML, MARKDOWN, editable_column
from webapp.models.user import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

MAX_LINKS = 20
RICH_TEXT_LENGTH = 100_000
TOO_LONG = _l("This text has %(length)d characters, more than the %(max)d allowed: please shorten it.")
ORIGIN_NOTES = {
    CONVERTED: _l("This text was stored as HTML (by an import, or before the Markdown was kept). It is "
                  "shown here as Markdown that gives exactly the same page."),
    HTML: _l("This text was stored as HTML (by an import, or before the Markdown was kept), and is "
             "shown as it is stored. Saved unchanged, it stays exactly as it is; once you edit it, "
             "it is read as Markdown, in which these HTML tags still work."),
}


class ConfirmForm(FlaskForm):
    """Buttons that change state (publish, move, delete): only the CSRF token."""


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def field_labels(form_class) -> dict[str, LazyString | str]:
    """The labels of a form class's fields by field name, read without building a form (the audit
    journal names the fields it shows with them)."""
    labels = {}
    for name in dir(form_class):
        field = getattr(form_class, name)
        if isinstance(field, UnboundField):
            label = field.kwargs.get("label", field.args[0] if field.args else None)
            if isinstance(label, (str, LazyString)):
                labels[name] = label
    return labels


def stripped(value):
    return value.strip() if isinstance(value, str) else value


def at_most(length: int) -> Length:
    """At most `length` characters, saying how many there are."""
    return Length(max=length, message=TOO_LONG)


def text_field(label, length: int, *validators, required: str | None = None) -> StringField:
    """A one-line text field, stripped, at most `length` characters; `required` is the message
    that asks for it when it must be filled in."""
    first = DataRequired(message=required) if required else Optional()
    return StringField(label, [first, at_most(length), *validators], filters=[stripped])


def lines_field(label, length: int) -> TextAreaField:
    """Several lines of plain text (one name or link a line), at most `length` characters."""
    return TextAreaField(label, [Optional(), at_most(length)])


def choice_field(label, invalid: str, **kwargs) -> SelectField:
    """A select whose value must be one of its choices; `invalid` says what to choose."""
    return SelectField(label, invalid_value_message=invalid, invalid_choice_message=invalid, **kwargs)


def is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


def http_url(form, field) -> None:
    if field.data and not is_http_url(field.data.strip()):
        raise ValidationError(_l("Enter a full web address starting with http:// or https://."))


class MarkdownField(TextAreaField):
    """Markdown for a rich column of the model (core/rich_text.py): `column` names it (the field's
    name by default); `origin` says what the stored text is, and `origin_note` explains it."""

    def __init__(self, label, column: str | None = None, **kwargs):
        super().__init__(label, [Optional(), at_most(RICH_TEXT_LENGTH)], **kwargs)
        self.column, self.origin = column or self.name, MARKDOWN

    @property
    def origin_note(self):
        return ORIGIN_NOTES.get(self.origin)


def was_sent(form) -> bool:
    """Whether the request filled the form (a form built with formdata=None on a POST was not)."""
    return any(field.raw_data is not None for field in form)


def show_rich_text(form, obj) -> None:
    """Each Markdown field shows the text to edit for obj's stored column, and says where it comes
    from; a form the request filled keeps what was sent."""
    for field in form:
        if isinstance(field, MarkdownField):
            editable = editable_column(obj, field.column)
            field.origin = editable.origin
            if not was_sent(form):
                field.data = editable.text


class NewPasswordForm(FlaskForm):
    """A new password, typed twice: password resets and new accounts made from an invitation."""

    password = PasswordField(_l("New password"), validators=[
        DataRequired(message=_l("Choose a password.")),
        Length(min=MIN_PASSWORD_LENGTH, message=_l(
            "This password has %(length)d characters, which is too short: choose one of at least "
            "%(min)d. A few words that go together make a good one.")),
        Length(max=MAX_PASSWORD_LENGTH, message=_l(
            "This password has more than %(max)d characters: please choose a shorter one."))])
    confirmation = PasswordField(_l("New password, again"), validators=[
        DataRequired(message=_l("Type the same password again, so that a typo cannot lock you out.")),
        EqualTo("password", message=_l("The two passwords differ: type the same password twice."))])
