from webapp.models import Status


def test_talk_speakers_keep_their_order(db, make_talk, make_speaker):
    first, second = make_speaker("Sophie Perrusson"), make_speaker("Anne Martin")
    talk = make_talk(speakers=[second, first])
    db.session.commit()
    db.session.expire_all()
    assert [s.name for s in talk.speakers] == ["Anne Martin", "Sophie Perrusson"]


def test_report_sections_list_only_filled_ones_in_order(make_talk):
    talk = make_talk(results="<p>2 ans</p>", context="<p>Levallois</p>")
    assert [name for name, _ in talk.report_sections] == ["context", "results"]


def test_new_talk_is_a_draft_by_default(db, make_event):
    from webapp.models import Talk

    talk = Talk(slug="t", title="T", event=make_event())
    db.session.add(talk)
    db.session.flush()
    assert talk.status == Status.DRAFT and not talk.is_published


def test_drafts_and_talks_of_draft_events_are_not_public(db, make_event, make_talk, make_speaker):
    from webapp.core.visibility import public_speakers, public_talks

    shown, hidden = make_speaker("Shown"), make_speaker("Hidden")
    public = make_talk("Public", speakers=[shown])
    make_talk("Draft", status=Status.DRAFT, speakers=[hidden])
    make_talk("In a draft event", event=make_event(status=Status.DRAFT), speakers=[hidden])
    assert db.session.scalars(public_talks()).all() == [public]
    assert db.session.scalars(public_speakers()).all() == [shown]
