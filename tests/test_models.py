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
