"""Which talks other sites may embed: public talks whose current deck is processed and has slide
images (what the slide viewer shows). A draft is never found here."""
from webapp.catalogue.queries import find_public_talk
from webapp.core.slugs import resolve_redirect
from webapp.models import DeckStatus, Talk
from webapp.slides.queries import CurrentSlides, current_slides


def viewable(slides: CurrentSlides | None) -> CurrentSlides | None:
    """The slides if the viewer can show them (a ready deck with images), else None."""
    if slides is None or slides.deck.status != DeckStatus.READY or not slides.has_images:
        return None
    return slides


def embeddable_slides(talk: Talk) -> CurrentSlides | None:
    """The slides of a public talk that the embedded viewer shows, or None."""
    return viewable(current_slides(talk))


def public_talk_named(slug: str) -> Talk | None:
    """The public talk with that slug, or the one an old slug of it now names."""
    talk = find_public_talk(slug)
    if talk is None and (target := resolve_redirect("talk", slug)) not in (None, slug):
        talk = find_public_talk(target)
    return talk
