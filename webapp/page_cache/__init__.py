"""The page cache: public pages and feeds rendered once for every anonymous visitor, in every
worker and, with Redis or Memcached, on every host; up to date within the commit that changes them.

- store.py: the backends (cachelib) and the content generation; sweeping.py bounds the folder
  of the embedded filesystem backend.
- rules.py: which requests are served, which pages are kept, and their key.
- middleware.py: hits answered around Flask's app, before Flask sees the request.
- hooks.py: keeping a page Flask rendered, with its ETag and Last-Modified (and 304s).
- changes.py: the session's events that bump the generation on every commit changing public rows.
- shared_generation.py: the generation in the database, which tells each host of the others' changes.

PAGE_CACHE=off turns all of it off (nothing is served, kept or validated): the bench's "cache off".
"""
from flask import Flask


def init_app(app: Flask) -> None:
    """`flask page-cache`, and, unless it is off, the generation's session events, the WSGI layer
    and the after-request hook. create_app calls this among the extensions, before ProxyFix wraps
    the app (the layer must see the client address ProxyFix gives) and before the other hooks
    are registered (so that keep_page runs after those that change a page)."""
    from webapp.extensions import db
    from webapp.page_cache.changes import install_change_tracking
    from webapp.page_cache.cli import page_cache_cli
    from webapp.page_cache.hooks import keep_page
    from webapp.page_cache.middleware import ServeCachedPages
    from webapp.page_cache.store import EXTENSION_KEY, open_store

    app.cli.add_command(page_cache_cli)
    store = open_store(app)
    if store is None:
        return
    app.extensions[EXTENSION_KEY] = store
    install_change_tracking(db.session)
    app.wsgi_app = ServeCachedPages(app, store, app.wsgi_app)
    app.after_request(keep_page)
