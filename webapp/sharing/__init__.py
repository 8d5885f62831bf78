"""Sharing and discovery: share links on the talk, event and tag pages, and each talk's share card.

- links.py: the shared text (headline, the page's tags as hashtags, its canonical address from
  SITE_URL) and the Bluesky, LinkedIn and email links, built on the server as plain links;
  static/js/sharing.js adds what needs a script: Mastodon through the visitor's own instance
  (remembered in localStorage), copying the link, and the Web Share API where the browser has it.
  Nothing is asked of another site until the visitor clicks;
- cards.py: the card's layout and drawing (1200×630 PNG, Pillow, the fonts of static/fonts), or the
  talk's first slide fitted on a card; card_files.py: cards drawn once per key, on disk;
- queries.py: what links and cards read; views.py: /talks/<slug>/card-<key>.png, public talks only;
- template_helpers.py: talk_share, event_share, tag_share and share_card for the templates.
"""
from flask import Blueprint, Flask

bp = Blueprint("sharing", __name__)


def init_app(app: Flask) -> None:
    from webapp.sharing import template_helpers, views  # noqa: F401  (routes, template globals)

    app.register_blueprint(bp)
