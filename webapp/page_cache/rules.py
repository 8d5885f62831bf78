"""What the page cache may serve and keep, and under which key.

Served from the cache: GET and HEAD requests for the public pages, feeds and search pages (the
`public`, `feeds` and `search` blueprints) by an anonymous visitor. Anything personal goes past it:
a login session, a remember-me cookie, an API token, or a message waiting in the session for this
visitor. Search pages follow the search index, whose every commit draws a new generation
(changes.py). The JSON API is not kept: its clients (and its benchmark) get every answer fresh.

Kept: a 200 with its whole body in memory that sets no cookie (neither itself nor through the
session), holds no CSRF token, is not marked private or no-store, and varies on nothing beyond
what the key holds (the language, and the cookies that make a visitor personal).

The key: method, path, query string and locale (webapp/core/i18n.py chooses it from the `lang`
cookie, then Accept-Language). Pages are served by key alone (middleware.py, before Flask has
routed the request): only pages of the cached blueprints are ever kept under one.
"""
import hashlib

from flask import current_app, g, request, session

from webapp.core.access import credentials_in

CACHED_BLUEPRINTS = frozenset({"public", "feeds", "search"})
CACHED_METHODS = frozenset({"GET", "HEAD"})
KEYED_VARY = ("Accept-Language", "Cookie")
MAX_BODY_BYTES = 5_000_000  # a large sitemap fits; a bigger answer is not worth a file


def page_key(any_request, locale: str) -> str:
    """The cache key of a request's page (a digest: safe for any backend's key rules)."""
    parts = (any_request.method, any_request.path, any_request.query_string, locale)
    return "page:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def is_servable(any_request, session_data, config) -> bool:
    """A GET or HEAD by a visitor with nothing personal: neither a logged-in user (session,
    remember-me cookie or API token) nor a visitor with a message waiting (flashed). Read from
    the request and its decoded session cookie: no database query."""
    return (any_request.method in CACHED_METHODS and not credentials_in(any_request, session_data, config)
            and "_flashes" not in session_data)


def is_keepable_page(response) -> bool:
    """Flask's request and response, once the view and the other hooks have run."""
    return (request.blueprint in CACHED_BLUEPRINTS and response.status_code == 200
            and not response.direct_passthrough and not response.is_streamed
            and not _sets_cookies(response) and not _carries_csrf_token() and not _is_private(response)
            and _varies_only_on_key(response) and len(response.get_data()) <= MAX_BODY_BYTES)


def _sets_cookies(response) -> bool:
    """A Set-Cookie of the view or a hook, or one the session will add once the hooks have run."""
    return "Set-Cookie" in response.headers or session.modified


def _carries_csrf_token() -> bool:
    """Flask-WTF keeps the token it generated for this request on `g`."""
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in g


def _is_private(response) -> bool:
    return bool(response.cache_control.private or response.cache_control.no_store)


def _varies_only_on_key(response) -> bool:
    return {value.lower() for value in response.vary} <= {value.lower() for value in KEYED_VARY}
