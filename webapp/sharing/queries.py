"""What share links and cards read: the text of a talk, event or tag page, a public talk's card.

Callers pass rows the public may see; talk_card() checks it again, since a card is served on its own.
"""
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from webapp.core.storage import get_file_store
from webapp.core.visibility import is_public_talk, public_talks
from webapp.extensions import db
from webapp.models import Event, Tag, Talk
from webapp.sharing.cards import HEIGHT, WIDTH, CardContent, content_digest
from webapp.sharing.links import ShareLinks, hashtags, share_links
from webapp.slides.queries import CurrentSlides, current_slides


@dataclass(frozen=True)
class TalkCard:
    slug: str
    digest: str
    content: CardContent
    slide_key: str | None  # the stored image of the first slide, which the card shows instead
    width: int = WIDTH
    height: int = HEIGHT


def public_talk_by_slug(slug: str) -> Talk | None:
    return db.session.scalar(public_talks().where(Talk.slug == slug))


def ordered_tags(talk: Talk) -> list[Tag]:
    """The talk's tags, its main one first: those its event carries too, then the most used."""
    event_tags = {tag.id for tag in talk.event.tags}
    return sorted(talk.tags, key=lambda tag: (tag.id not in event_tags, -tag.public_talk_count, tag.name))


def _event_line(event: Event) -> str:
    return f"{event.title} · {event.start_date.year}" if event.start_date else event.title


def card_content(talk: Talk) -> CardContent:
    tags = ordered_tags(talk)
    return CardContent(site_name=current_app.config["SITE_NAME"], title=talk.title,
                       speakers=tuple(speaker.name for speaker in talk.speakers),
                       event=_event_line(talk.event), tag=tags[0].label if tags else None)


UNREAD = object()  # the caller has not read the talk's slides (None: it read them, and there are none)


def first_slide_key(talk: Talk, slides: CurrentSlides | None | object = UNREAD) -> str | None:
    """The stored image of the first slide of the talk's processed deck, when there is one."""
    slides = current_slides(talk) if slides is UNREAD else slides
    if slides is None or not slides.deck.is_ready or not slides.pages:
        return None
    first = slides.pages[0]
    key = first.image_key or first.thumb_key
    return key if key and get_file_store().path_for(key).is_file() else None


def talk_card(talk: Talk, slides: CurrentSlides | None | object = UNREAD) -> TalkCard | None:
    """The card of a public talk (None for any other): its content and the key of what it draws."""
    if not is_public_talk(talk):
        return None
    content, slide_key = card_content(talk), first_slide_key(talk, slides)
    return TalkCard(talk.slug, content_digest(content, slide_key), content, slide_key)


def talk_share(talk: Talk, url: str) -> ShareLinks:
    speakers = ", ".join(speaker.name for speaker in talk.speakers)
    headline = _("“%(title)s”, by %(speakers)s", title=talk.title, speakers=speakers) if speakers \
        else _("“%(title)s”", title=talk.title)
    tags = hashtags(tag.name for tag in ordered_tags(talk))
    return share_links(talk.title, headline, tags, url)


def event_share(event: Event, url: str) -> ShareLinks:
    headline = _("%(event)s: the talks and slides", event=event.title)
    return share_links(event.title, headline, hashtags(tag.name for tag in event.tags), url)


def tag_share(tag: Tag, url: str) -> ShareLinks:
    site = current_app.config["SITE_NAME"]
    headline = _("Talks and slides on %(site)s", site=site)
    return share_links(tag.label, headline, hashtags([tag.name]), url)
