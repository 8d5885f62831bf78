"""/embed/talks/<slug>: the embeddable slide viewer; /oembed: the oEmbed provider.

The viewer is the one page any site may frame. It sets no cookie (the blueprints' before_request
calls core/cookieless.py), and the page cache never keeps it (the `embeds` blueprint is not one of
page_cache/rules.py's CACHED_BLUEPRINTS), so no visitor is ever served a kept page that carries a
cookie. It counts a talk view exactly as the talk page does (count_hit(Metric.TALK_VIEW), repeats
filtered by the statistics collector): a visitor who opens both within the repeat window counts once.

An unknown talk or a draft is the site's usual 404 (which no site may frame). A public talk whose
slides the viewer cannot show (none, not processed yet, failed, or without slide images) is a 404
too, but a small frameable page, in the frame's language, that says so and links to the talk page.
"""
from flask import abort, jsonify, render_template
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from webapp.catalogue.queries import public_or_moved
from webapp.core.counting import count_hit
from webapp.core.json_api import conditional_json
from webapp.core.security_headers import allow_framing_by_any_site
from webapp.embeds import bp, oembed_bp
from webapp.embeds import oembed as oembed_answers
from webapp.embeds.queries import embeddable_slides, public_talk_named
from webapp.models.stats import Metric


@bp.get("/embed/talks/<slug>")
def talk(slug: str):
    found = public_or_moved("talk", slug, "embeds.talk")
    allow_framing_by_any_site()
    slides = embeddable_slides(found)
    page = render_template("embeds/viewer.html", talk=found, slides=slides,
                           talk_url=oembed_answers.talk_page_url(found),
                           speakers=oembed_answers.speaker_names(found))
    if slides is None:
        return page, 404
    count_hit(Metric.TALK_VIEW, found.id)
    return page


@oembed_bp.get("/oembed")
def oembed():
    request = oembed_answers.read_request()
    slug = oembed_answers.talk_slug_of(request.url)
    found = public_talk_named(slug) if slug else None
    slides = embeddable_slides(found) if found is not None else None
    if slides is None:
        abort(404, description=_("There is no talk with slides to embed at this address."))
    return conditional_json(oembed_answers.answer(found, slides, request))


@oembed_bp.errorhandler(HTTPException)
def _refused(error: HTTPException):
    """oEmbed consumers read the status; people trying the address read the message."""
    return jsonify(error=error.name, message=error.description), error.code
