"""Share links and cards for the talk, event and tag pages (templates sharing/_share_*.html and the
og:image of public/talk.html)."""
from flask import url_for
from flask_babel import gettext as _

from webapp.sharing import bp
from webapp.sharing import queries as sharing
from webapp.sharing.links import ShareLinks


@bp.app_template_global()
def talk_share(talk) -> ShareLinks:
    return sharing.talk_share(talk, url_for("public.talk", slug=talk.slug, _external=True))


@bp.app_template_global()
def event_share(event) -> ShareLinks:
    return sharing.event_share(event, url_for("public.event", slug=event.slug, _external=True))


@bp.app_template_global()
def tag_share(tag) -> ShareLinks:
    return sharing.tag_share(tag, url_for("public.tag", tag=tag.name, _external=True))


def _card_alt(card: sharing.TalkCard) -> str:
    if card.slide_key:
        return _("First slide of the talk “%(title)s”", title=card.content.title)
    people = ", ".join(card.content.speakers)
    if people:
        return _("“%(title)s”, by %(speakers)s (%(event)s)", title=card.content.title, speakers=people,
                 event=card.content.event)
    return _("“%(title)s” (%(event)s)", title=card.content.title, event=card.content.event)


@bp.app_template_global()
def share_card(talk, slides) -> dict | None:
    """The og:image of a public talk: {"url", "width", "height", "alt", "type"}; None for a draft.
    `slides`: the talk's current slides as the page read them (None: it has none)."""
    card = sharing.talk_card(talk, slides)
    if card is None:
        return None
    return {"url": url_for("sharing.card", slug=card.slug, key=card.digest, _external=True),
            "width": card.width, "height": card.height, "alt": _card_alt(card), "type": "image/png"}
