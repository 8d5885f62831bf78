"""Form pieces several features use (Flask-WTF, CSRF on every form)."""
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from webapp.models.user import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

MAX_LINKS = 20


class ConfirmForm(FlaskForm):
    """Buttons that change state (publish, move, delete): only the CSRF token."""


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def stripped(value):
    return value.strip() if isinstance(value, str) else value


def text_field(label, length: int, *validators, required: bool = False) -> StringField:
    """A one-line text field, stripped, at most `length` characters."""
    first = DataRequired() if required else Optional()
    return StringField(label, [first, Length(max=length), *validators], filters=[stripped])


def is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


def http_url(form, field) -> None:
    if field.data and not is_http_url(field.data.strip()):
        raise ValidationError(_l("Enter a full web address starting with http:// or https://."))


class NewPasswordForm(FlaskForm):
    """A new password, typed twice: password resets and new accounts made from an invitation."""

    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)])
    confirmation = PasswordField(
        _l("New password, again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])
