"""What the talk page's partials need (templates/embeds/_talk_discovery.html, _talk_embed.html)."""
from dataclasses import dataclass

from flask import url_for

from webapp.embeds import bp
from webapp.embeds.oembed import frame_size, iframe_html, talk_page_url
from webapp.embeds.queries import viewable


@dataclass(frozen=True)
class TalkEmbed:
    code: str  # the iframe to paste into another site's page
    oembed_url: str  # the discovery link's address (absolute, from SITE_URL)


@bp.app_template_global()
def talk_embed(talk, slides) -> TalkEmbed | None:
    """The embed code and oEmbed address of a public talk, if the viewer can show its slides
    (`slides`: the talk page's current slides); None otherwise."""
    slides = viewable(slides)
    if slides is None:
        return None
    width, height = frame_size(slides)
    oembed_url = url_for("oembed.oembed", url=talk_page_url(talk), format="json", _external=True)
    return TalkEmbed(iframe_html(talk, width, height), oembed_url)
