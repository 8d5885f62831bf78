"""Logging in and out, and resetting a forgotten password."""
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from webapp.accounts import bp, password_reset, sessions
from webapp.accounts import operations as accounts
from webapp.accounts.forms import ForgotPasswordForm, LoginForm, LogoutForm, ResetPasswordForm
from webapp.core.after_response import after_response
from webapp.core.i18n import is_local_path
from webapp.extensions import db


def client_address() -> str:
    """The peer address; behind TRUSTED_PROXY_COUNT proxies, ProxyFix has set it from X-Forwarded-For."""
    return request.remote_addr or "unknown"


def _private(response, status: int = 200):
    """Account pages are never cached, and never leak their address (reset tokens) as a referrer."""
    response = current_app.make_response((response, status))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _render_login(form: LoginForm, next_path: str, error: str | None = None, status: int = 200):
    return _private(render_template("auth/login.html", form=form, next_path=next_path, error=error),
                    status)


def _throttled_message() -> str:
    minutes = max(1, current_app.config["LOGIN_FAILURE_WINDOW"] // 60)
    return _("Too many failed login attempts. For safety, logging in is paused: "
             "please try again in %(minutes)d minutes.", minutes=minutes)


def _start_session(user) -> None:
    """A fresh session at login: nothing set before logging in survives (session fixation), and
    the cookie names a new server-side session (webapp/accounts/sessions.py)."""
    session.clear()
    accounts.start_login_session(user)
    db.session.commit()
    login_user(user)


def _landing_path(user) -> str:
    """Where a login leads when it was not sent from a page: the workspace, or the profile."""
    return url_for("manage.dashboard") if user.can_manage else url_for("profile.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    asked_path = request.args.get("next")
    next_path = asked_path if is_local_path(asked_path) else None  # the form posts it back, when given
    form = LoginForm()
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(next_path or _landing_path(current_user))
    if not form.validate_on_submit():
        return _render_login(form, next_path, status=400 if form.is_submitted() else 200)
    outcome = accounts.attempt_login(form.email.data, form.password.data, client_address())
    db.session.commit()
    if outcome.is_throttled:
        response = _render_login(form, next_path, _throttled_message(), 429)
        response.headers["Retry-After"] = str(current_app.config["LOGIN_FAILURE_WINDOW"])
        return response
    if outcome.user is None:
        return _render_login(form, next_path, _("The email or the password is not correct."))
    _start_session(outcome.user)
    return redirect(next_path or _landing_path(outcome.user))


@bp.post("/logout")
def logout():
    LogoutForm()  # CSRFProtect has already refused a request without a valid token
    if current_user.is_authenticated:
        sessions.end_user_session(current_user._get_current_object())
        db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("public.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return _private(render_template("auth/forgot_password.html", form=form, is_sent=False), status)
    if password_reset.is_reset_throttled(client_address()):
        return _too_many_reset_requests(form)
    if password_reset.record_reset_request(form.email.data, client_address()):
        # Looking the account up and mailing it take time only when it exists: after the answer.
        after_response(password_reset.send_reset_link, form.email.data)
    db.session.commit()
    return _private(render_template("auth/forgot_password.html", form=form, is_sent=True))


def _too_many_reset_requests(form: ForgotPasswordForm):
    window = current_app.config["PASSWORD_RESET_WINDOW"]
    error = _("Too many password reset requests from your connection. Please try again in %(minutes)d minutes.",
              minutes=max(1, window // 60))
    response = _private(render_template("auth/forgot_password.html", form=form, is_sent=False, error=error),
                        429)
    response.headers["Retry-After"] = str(window)
    return response


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    if password_reset.user_for_reset_token(token) is None:
        return _private(render_template("auth/reset_invalid.html"), 400)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return _private(render_template("auth/reset_password.html", form=form), status)
    password_reset.reset_password(token, form.password.data)
    db.session.commit()
    flash(_("Your password has been changed. You can log in with it now."), "success")
    return redirect(url_for("auth.login"))
