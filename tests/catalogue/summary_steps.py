"""Changes an organiser, an import or a merge makes to the archive, for test_summary_data.py: each
step picks its rows with `rng`, changes them as the application does, and commits."""
import random
from datetime import date, timedelta

from sqlalchemy import delete, select, update

from webapp.catalogue.operations.events import delete_event, publish_event, unpublish_event
from webapp.catalogue.operations.speaker_merge import merge_speakers
from webapp.catalogue.operations.tags import get_or_create_tags
from webapp.catalogue.operations.tags_admin import TagNameTaken, delete_tag, merge_tag, rename_tag
from webapp.catalogue.operations.talks import delete_talk, publish_talk, set_talk_speakers, unpublish_talk
from webapp.core.naming import person_name_key, person_sort_key
from webapp.extensions import db
from webapp.models import (
    DeckKind,
    DeckStatus,
    Event,
    Series,
    SlideDeck,
    SlugRedirect,
    Speaker,
    Status,
    Tag,
    Talk,
    TalkSpeaker,
    talk_tags,
)

TAG_NAMES = ("fablab", "mednum", "archives", "jeunesse", "patrimoine", "éducation", "3d")
PLACES = ("Lyon", "Lille", "", None)
NAMES = ("Ada Lovelace", "Émile Zola", "Zoé Bernard", "Camille Petit", "42 Collectif", "Jean Dupont")


def _pick(rng: random.Random, model):
    rows = list(db.session.scalars(select(model).order_by(model.id)))
    return rng.choice(rows) if rows else None


def _day(rng: random.Random) -> date | None:
    return None if rng.random() < 0.2 else date(2010, 1, 1) + timedelta(days=rng.randrange(3000))


def _speakers(rng: random.Random) -> list[Speaker]:
    found = list(db.session.scalars(select(Speaker).order_by(Speaker.id)))
    return rng.sample(found, min(len(found), rng.randint(0, 2)))


def add_event(rng, user):
    n = rng.randrange(10**6)
    db.session.add(Event(slug=f"e-{n}", title=f"Journée {n}", start_date=_day(rng), place=rng.choice(PLACES),
                         host_organisation=rng.choice(("Enssib", "BnF", None)),
                         status=rng.choice((Status.DRAFT, Status.PUBLISHED))))


def add_talk(rng, user):
    event = _pick(rng, Event)
    if event is None:
        return add_event(rng, user)
    tags, speakers = get_or_create_tags(rng.sample(TAG_NAMES, rng.randint(0, 3))), _speakers(rng)
    n = rng.randrange(10**6)
    talk = Talk(slug=f"t-{n}", title=f"Retour {n}", event_id=event.id, position=rng.randrange(5), given_on=_day(rng),
                status=rng.choice((Status.DRAFT, Status.PUBLISHED)),
                context="<p>Contexte</p>" if rng.random() < 0.5 else None, tags=tags)
    db.session.add(talk)
    talk.speaker_links = [TalkSpeaker(speaker_id=s.id, position=i) for i, s in enumerate(speakers)]


def add_speaker(rng, user):
    name = f"{rng.choice(NAMES)} {rng.randrange(10**4)}"
    db.session.add(Speaker(slug=f"s-{rng.randrange(10**6)}", name=name, name_key=person_name_key(name),
                           sort_key=person_sort_key(name), links=[]))


def toggle_talk(rng, user):
    talk = _pick(rng, Talk)
    if talk is not None:
        (unpublish_talk if talk.is_published else publish_talk)(user, talk)


def toggle_event(rng, user):
    event = _pick(rng, Event)
    if event is not None:
        (unpublish_event if event.is_published else publish_event)(user, event)


def retag_talk(rng, user):
    talk = _pick(rng, Talk)
    if talk is not None:
        talk.tags = get_or_create_tags(rng.sample(TAG_NAMES, rng.randint(0, 3)))


def change_speakers(rng, user):
    """As the talk form does: names, found again (or new speakers)."""
    talk = _pick(rng, Talk)
    if talk is not None:
        names = [s.name for s in _speakers(rng)] + ([f"{rng.choice(NAMES)} {rng.randrange(10**4)}"]
                                                    if rng.random() < 0.3 else [])
        set_talk_speakers(talk, names)


def edit_talk(rng, user):
    talk, event, series = _pick(rng, Talk), _pick(rng, Event), _pick(rng, Series)
    if talk is not None:
        talk.event_id, talk.given_on, talk.position = event.id, _day(rng), rng.randrange(5)
        talk.lessons = rng.choice((None, "", "<p>Leçons</p>"))
        talk.series = rng.choice((None, series or Series(slug=f"serie-{rng.randrange(10**6)}", title="Série")))


def edit_event(rng, user):
    event = _pick(rng, Event)
    if event is not None:
        event.start_date, event.place = _day(rng), rng.choice(PLACES)
        event.host_organisation = rng.choice(("Enssib", "BnF", None))


def rename_speaker(rng, user):
    speaker = _pick(rng, Speaker)
    if speaker is not None:
        speaker.name = f"{rng.choice(NAMES)} {speaker.id}"
        speaker.name_key, speaker.sort_key = person_name_key(speaker.name), person_sort_key(speaker.name)


def merge_two_speakers(rng, user):
    speakers = list(db.session.scalars(select(Speaker).order_by(Speaker.id)))
    if len(speakers) >= 2:
        survivor, duplicate = rng.sample(speakers, 2)
        merge_speakers(user, survivor, duplicate)


def change_a_tag(rng, user):
    tags = list(db.session.scalars(select(Tag).order_by(Tag.id)))
    if len(tags) >= 2:
        source, target = rng.sample(tags, 2)
        changes = [lambda: delete_tag(user, source),
                   lambda: rename_tag(user, source, f"{source.name}-{rng.randrange(100)}")]
        # merge_tag fails (unique key of slug_redirects) when the tag's name was an old name already:
        # a tag made again after a merge. Not what these tests are about.
        if db.session.scalar(select(SlugRedirect.id).where(SlugRedirect.kind == "tag",
                                                           SlugRedirect.old_slug == source.name)) is None:
            changes.append(lambda: merge_tag(user, source, target))
        change = rng.choice(changes)
        try:
            change()
        except TagNameTaken:  # the organiser is told; nothing changes
            db.session.rollback()


def delete_a_talk(rng, user):
    talk = _pick(rng, Talk)
    if talk is not None:
        delete_talk(user, talk)


def delete_an_event(rng, user):
    """As the workspace does (talk by talk), or straight (the database's cascade takes the talks)."""
    event = _pick(rng, Event)
    if event is not None:
        delete_event(user, event) if rng.random() < 0.5 else db.session.delete(event)


def slides_of_a_talk(rng, user):
    """A deck added to a talk, or a deck's status changed by a bulk UPDATE (as the slides worker does)."""
    talk, deck = _pick(rng, Talk), _pick(rng, SlideDeck)
    if talk is not None and (deck is None or rng.random() < 0.5):
        db.session.execute(update(SlideDeck).where(SlideDeck.talk_id == talk.id).values(is_current=False))
        version = 1 + len(list(db.session.scalars(select(SlideDeck.id).where(SlideDeck.talk_id == talk.id))))
        db.session.add(SlideDeck(talk_id=talk.id, version=version, kind=DeckKind.PDF, original_name="s.pdf",
                                 sha256="0" * 64, size=1, storage_key=f"k{rng.randrange(10**6)}",
                                 status=rng.choice((DeckStatus.READY, DeckStatus.PROCESSING))))
    elif deck is not None:
        db.session.execute(update(SlideDeck).where(SlideDeck.id == deck.id)
                           .values(status=rng.choice((DeckStatus.READY, DeckStatus.FAILED))))


def bulk_statements(rng, user):
    """Statements that skip the ORM's unit of work."""
    event, tag = _pick(rng, Event), _pick(rng, Tag)
    if event is not None:
        db.session.execute(update(Talk).where(Talk.event_id == event.id)
                           .values(status=rng.choice((Status.DRAFT, Status.PUBLISHED))))
    if tag is not None and rng.random() < 0.5:
        db.session.execute(delete(talk_tags).where(talk_tags.c.tag_id == tag.id))


def change_in_a_savepoint(rng, user):
    """A change kept in a savepoint, then one rolled back to the next savepoint."""
    with db.session.begin_nested():
        add_talk(rng, user)
    savepoint = db.session.begin_nested()
    toggle_event(rng, user)
    savepoint.rollback()


STEPS = (add_event, add_talk, add_talk, add_speaker, toggle_talk, toggle_event, retag_talk, change_speakers,
         edit_talk, edit_event, rename_speaker, merge_two_speakers, change_a_tag, delete_a_talk,
         delete_an_event, slides_of_a_talk, bulk_statements, change_in_a_savepoint)


def seed(rng: random.Random, user) -> None:
    for _ in range(3):
        add_event(rng, user)
    for _ in range(4):
        add_speaker(rng, user)
    db.session.flush()
    for _ in range(8):
        add_talk(rng, user)
    db.session.commit()
