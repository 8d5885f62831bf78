"""Account forms. Every one carries a CSRF token (Flask-WTF)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from webapp.core.forms import NewPasswordForm
from webapp.models.user import MAX_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=320)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])


class LogoutForm(FlaskForm):
    """No fields: only the CSRF token, so that another site cannot log people out."""


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=320)])


class ResetPasswordForm(NewPasswordForm):
    """The new password, typed twice."""
