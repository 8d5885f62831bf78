"""/talks/<slug>/card-<key>.png: a public talk's share card (its og:image), for a year in caches.

The key in the address is the hash of what the card draws: a request for an older key (a page a
network read before the talk changed) is sent to the current card; a draft or unknown talk is a 404.
"""
import re

from flask import abort, redirect, send_file, url_for

from webapp.sharing import bp
from webapp.sharing.card_files import card_file
from webapp.sharing.queries import public_talk_by_slug, talk_card

CARD_KEY = re.compile(r"[0-9a-f]{20}")
A_YEAR = 365 * 24 * 3600


@bp.get("/talks/<slug>/card-<key>.png")
def card(slug: str, key: str):
    talk = public_talk_by_slug(slug) if CARD_KEY.fullmatch(key) else None
    found = talk_card(talk) if talk is not None else None
    if found is None:
        abort(404)
    if found.digest != key:
        return redirect(url_for("sharing.card", slug=found.slug, key=found.digest))
    response = send_file(card_file(found), mimetype="image/png", etag=found.digest, conditional=True,
                         max_age=A_YEAR)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response
