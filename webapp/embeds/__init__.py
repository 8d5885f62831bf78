"""Embedding a talk's slides on other sites: the embeddable viewer and the oEmbed provider.

- views.py: /embed/talks/<slug> (blueprint `embeds`), the slide viewer of a public talk alone, the
  one page any site may frame (`frame-ancestors *`, core/security_headers.py); it sets no cookie at
  all (core/cookieless.py), the page cache never keeps it, and it counts a talk view exactly as the
  talk page does (core/counting.py). /oembed (blueprint `oembed`): oEmbed 1.0, JSON only (XML is a
  501), for the addresses of talk pages under SITE_URL; its refusals are JSON too;
- queries.py: which talks can be embedded (public, with a processed deck that has slide images);
- oembed.py: reading the oEmbed request, the frame's size within maxwidth/maxheight, the answer;
- template_helpers.py: `talk_embed(talk, slides)` for the talk page's partials
  (templates/embeds/_talk_discovery.html: the discovery link; _talk_embed.html: "Copy the embed
  code", static/js/embed_code.js).
"""
from flask import Blueprint, Flask

from webapp.core.cookieless import send_no_cookie
from webapp.core.json_api import allow_cross_origin_reads

bp = Blueprint("embeds", __name__)
oembed_bp = Blueprint("oembed", __name__)
allow_cross_origin_reads(oembed_bp)  # any site's script may read the oEmbed answer, without credentials


@bp.before_request
@oembed_bp.before_request
def _no_cookie():
    send_no_cookie()


def init_app(app: Flask) -> None:
    from webapp.embeds import template_helpers, views  # noqa: F401  (routes, template globals)

    app.register_blueprint(bp)
    app.register_blueprint(oembed_bp)
