"""Form pieces several features use (Flask-WTF, CSRF on every form)."""
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

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
