"""Responses that set no cookie at all: the pages other sites embed (webapp/embeds/).

A view calls `send_no_cookie()` while it answers. The app's session interface (installed by
init_app) then saves nothing for that request: no new, refreshed or cleared session cookie,
whatever the request hooks did to the session (Flask-Login's session protection may mark a
logged-in visitor's session as not fresh; it stays as it was in the visitor's browser). It also
drops any Set-Cookie that a view or an after-request hook added (Flask-Login's remember-me cookie):
Flask saves the session after every after-request hook has run, so nothing adds a cookie later.
"""
from flask import Flask, g
from flask.sessions import SecureCookieSessionInterface

NO_COOKIE_KEY = "sends_no_cookie"  # on flask.g


def send_no_cookie() -> None:
    """The response of the current request will set no cookie."""
    setattr(g, NO_COOKIE_KEY, True)


def sends_no_cookie() -> bool:
    return bool(g.get(NO_COOKIE_KEY, False))


class SessionUnlessCookieless(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, saved on every request but those that set no cookie."""

    def save_session(self, app, session, response) -> None:
        if sends_no_cookie():
            response.headers.remove("Set-Cookie")
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.session_interface = SessionUnlessCookieless()
