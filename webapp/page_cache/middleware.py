"""Hits are answered here, in a WSGI layer around Flask's app, before Flask has seen the request:
no request context, routing, session interface, request hook, access check, CSRF, view, query or
template runs for them.

What it reads is what the key and the rules need, from a bare Werkzeug request: the method, the
Host (refused hosts go on to Flask, which answers 400), the Authorization header, the remember-me
cookie and the signed session cookie (decoded by the app's own session interface, only when
there is one), the language. A page is served only when it was rendered at the current
generation; it is stored with the headers of its render, the security headers and Vary included.
It counts in the statistics exactly as the render it was kept from did, for this visitor
(core/counting.py: bots, HEAD requests and repeats are not counted; an organiser never gets here).

Anything else goes on to Flask, with the key and the generation just read (in the environ), which
hooks.py uses to keep the page if it may be kept. The layer sits inside ProxyFix, so the client
address it counts is the one the app sees.
"""
from dataclasses import dataclass

from flask import Flask
from werkzeug.exceptions import SecurityError
from werkzeug.wrappers import Request

from webapp.core.counting import count_again, visitor_of
from webapp.core.i18n import locale_of
from webapp.page_cache.rules import is_servable, page_key
from webapp.page_cache.store import Generation, PageStore

LOOKUP_ENVIRON_KEY = "causeries.page_cache"


@dataclass(frozen=True)
class Lookup:
    key: str
    generation: Generation  # read before the page is rendered


class ServeCachedPages:
    def __init__(self, app: Flask, store: PageStore, wsgi_app):
        self.app, self.store, self.wsgi_app = app, store, wsgi_app

    def __call__(self, environ, start_response):
        request = Request(environ)
        entry = self.current_entry(request)
        if entry is None:
            return self.wsgi_app(environ, start_response)
        if is_conditional(request):
            response = self.app.response_class(entry["body"], status=200, headers=entry["headers"])
            return response.make_conditional(request)(environ, start_response)
        return send_entry(entry, request.method, start_response)

    def current_entry(self, request: Request) -> dict | None:
        """The page kept for this request at the current generation, counted for this visitor;
        None to let Flask answer."""
        if not self._is_servable(request):
            return None
        key = page_key(request, locale_of(request, self.app.config))
        generation, entry = self.store.read(key)
        if generation is None:  # the backend failed (logged): render, keep nothing
            return None
        request.environ[LOOKUP_ENVIRON_KEY] = Lookup(key, generation)
        if entry is None or entry.get("generation") != generation.token:
            return None
        visitor = visitor_of(self.app.config, request.method, request.headers.get("User-Agent", ""),
                             request.remote_addr)
        count_again(self.app, entry["counts"], visitor)
        return entry

    def _is_servable(self, request: Request) -> bool:
        request.trusted_hosts = self.app.config["TRUSTED_HOSTS"]
        try:
            request.host
        except SecurityError:
            return False
        return is_servable(request, self._session_of(request), self.app.config)

    def _session_of(self, request: Request):
        """The decoded session cookie ({} without one), as Flask will open it."""
        if self.app.config["SESSION_COOKIE_NAME"] not in request.cookies:
            return {}
        return self.app.session_interface.open_session(self.app, request) or {}


def is_conditional(request) -> bool:
    return "HTTP_IF_NONE_MATCH" in request.environ or "HTTP_IF_MODIFIED_SINCE" in request.environ


def answer_conditional(response, request):
    """A 304 when the request's If-None-Match or If-Modified-Since matches; the page otherwise."""
    return response.make_conditional(request) if is_conditional(request) else response


def send_entry(entry: dict, method: str, start_response) -> list[bytes]:
    """A kept page as it was sent, straight to the server: its headers were Werkzeug's already."""
    body = entry["body"]
    start_response("200 OK", [*entry["headers"], ("Content-Length", str(len(body)))])
    return [] if method == "HEAD" else [body]
