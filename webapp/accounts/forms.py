"""Account forms. Every one carries a CSRF token (Flask-WTF)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired

from webapp.core.forms import NewPasswordForm, at_most
from webapp.models.user import MAX_PASSWORD_LENGTH

EMAIL_LENGTH = 320


def account_email_field() -> EmailField:
    return EmailField(_l("Email"), validators=[
        DataRequired(message=_l("Enter the email address of your account.")), at_most(EMAIL_LENGTH)])


class LoginForm(FlaskForm):
    email = account_email_field()
    password = PasswordField(_l("Password"), validators=[
        DataRequired(message=_l("Enter your password.")), at_most(MAX_PASSWORD_LENGTH)])


class LogoutForm(FlaskForm):
    """No fields: only the CSRF token, so that another site cannot log people out."""


class ForgotPasswordForm(FlaskForm):
    email = account_email_field()


class ResetPasswordForm(NewPasswordForm):
    """The new password, typed twice."""
