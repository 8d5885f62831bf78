"""Talk cards read as plain rows (webapp/core/talk_cards.py): what the lists show, in the caller's order."""
from datetime import date

from webapp.core.talk_cards import talk_cards
from webapp.models import Status


def test_cards_keep_the_order_asked_and_leave_out_what_is_not_public(db, make_event, make_talk, make_speaker):
    event = make_event("Rencontres", start_date=date(2019, 3, 14))
    anne, paul = make_speaker("Anne Martin"), make_speaker("Paul Durand")
    first = make_talk("Premier", event=event, speakers=[paul, anne], tags=["zines", "archives"])
    second = make_talk("Second", event=event, given_on=date(2019, 3, 15))
    draft = make_talk("Brouillon", event=event, status=Status.DRAFT)
    hidden = make_talk("Caché", event=make_event("Brouillon d'événement", status=Status.DRAFT))
    db.session.commit()
    cards = talk_cards([second.id, draft.id, first.id, hidden.id])
    assert [card.title for card in cards] == ["Second", "Premier"]
    card = cards[1]
    assert [speaker.name for speaker in card.speakers] == ["Paul Durand", "Anne Martin"]
    assert [tag.label for tag in card.tags] == ["#archives", "#zines"]
    assert (card.event.title, card.event.start_date, card.given_on) == ("Rencontres", date(2019, 3, 14), None)
    assert cards[0].given_on == date(2019, 3, 15) and cards[0].speakers == [] and cards[0].tags == []
    assert talk_cards([]) == []
