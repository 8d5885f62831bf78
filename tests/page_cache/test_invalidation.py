"""The content generation: every commit that changes public rows makes the cached pages out of
date (workspace edits, publication, withdrawal, bulk statements, collections); rolled-back changes
and private rows (sessions, statistics) leave them current."""
from sqlalchemy import update

from webapp.models import Status, Talk


def _talk_form(talk, **overrides) -> dict:
    return {"event_id": str(talk.event_id), "title": talk.title, "language": "fr",
            "speakers": "Sophie Martin", "tags": "mednumsavoirs", "licence": "CC-BY-4.0",
            **overrides}


def _cached(visitor, fetch, path: str):
    """Render the page, then check the next request is a hit; returns that hit."""
    fetch(visitor, path)
    hit = fetch(visitor, path)
    assert hit.is_hit
    return hit


def test_an_edit_in_the_workspace_shows_on_the_cached_talk_page_at_once(
        visitor, fetch, talk, manage_client, submit_form):
    _cached(visitor, fetch, "/talks/fablab")
    _cached(visitor, fetch, "/events/journee")
    organiser, _ = manage_client()
    saved = submit_form(organiser, f"/manage/talks/{talk.id}/edit", _talk_form(talk, title="Le fablab, deux ans après"))
    assert saved.status_code == 302
    for path in ("/talks/fablab", "/events/journee"):
        served = fetch(visitor, path)
        assert not served.is_hit and "Le fablab, deux ans après" in served.text


def test_publishing_shows_the_talk_on_the_cached_event_page(db, visitor, fetch, talk, make_talk, manage_client,
                                                            submit_form):
    draft = make_talk("Une grainothèque", slug="grainotheque", event=talk.event, status=Status.DRAFT)
    db.session.commit()
    assert "Une grainothèque" not in _cached(visitor, fetch, "/events/journee").text
    assert fetch(visitor, "/talks/grainotheque").response.status_code == 404
    organiser, _ = manage_client()
    edit = f"/manage/talks/{draft.id}/edit"
    assert submit_form(organiser, edit, {}, f"/manage/talks/{draft.id}/publish").status_code == 302
    assert "Une grainothèque" in fetch(visitor, "/events/journee").text
    assert fetch(visitor, "/talks/grainotheque").response.status_code == 200


def test_unpublishing_takes_the_talk_off_every_cached_page(visitor, fetch, talk, manage_client, submit_form):
    for path in ("/talks/fablab", "/events/journee", "/tags/mednumsavoirs", "/feeds/talks.atom"):
        assert "Le fablab de la médiathèque" in _cached(visitor, fetch, path).text
    organiser, _ = manage_client()
    edit = f"/manage/talks/{talk.id}/edit"
    assert submit_form(organiser, edit, {}, f"/manage/talks/{talk.id}/unpublish").status_code == 302
    assert fetch(visitor, "/talks/fablab").response.status_code == 404
    for path in ("/events/journee", "/feeds/talks.atom"):
        assert "Le fablab de la médiathèque" not in fetch(visitor, path).text
    assert fetch(visitor, "/tags/mednumsavoirs").response.status_code == 404  # no public talk left


def test_a_refused_form_changes_nothing_and_keeps_the_cache(visitor, fetch, talk, manage_client, submit_form):
    _cached(visitor, fetch, "/talks/fablab")
    organiser, _ = manage_client()
    refused = submit_form(organiser, f"/manage/talks/{talk.id}/edit", _talk_form(talk, title=""))
    assert refused.status_code == 422
    assert fetch(visitor, "/talks/fablab").is_hit


def test_a_rolled_back_change_keeps_the_cache(db, visitor, fetch, talk):
    _cached(visitor, fetch, "/talks/fablab")
    talk.title = "Jamais enregistré"
    db.session.flush()
    db.session.rollback()
    db.session.commit()  # a later commit of nothing public
    served = fetch(visitor, "/talks/fablab")
    assert served.is_hit and "Jamais enregistré" not in served.text


def test_private_rows_do_not_touch_the_cache(app, db, visitor, fetch, talk, make_user, login_as):
    from webapp.stats.collector import flush_counts

    _cached(visitor, fetch, "/talks/fablab")
    fetch(app.test_client(), "/talks/fablab", headers={"User-Agent": "Mozilla/5.0 Firefox/128.0"},
          environ_base={"REMOTE_ADDR": "198.51.100.7"})
    flush_counts(app)  # daily_counts
    login_as(make_user("speaker"))  # users, user_sessions
    assert fetch(app.test_client(), "/talks/fablab").is_hit


def test_bulk_statements_and_collections_bump_the_generation(db, visitor, fetch, talk, make_tags):
    _cached(visitor, fetch, "/talks/fablab")
    db.session.execute(update(Talk).where(Talk.id == talk.id).values(title="Titre changé en masse"))
    db.session.commit()
    assert "Titre changé en masse" in fetch(visitor, "/talks/fablab").text
    _cached(visitor, fetch, "/talks/fablab")
    talk = db.session.get(Talk, talk.id)
    talk.tags.extend(make_tags("fablabs-en-bibliotheque"))
    db.session.commit()
    assert "fablabs-en-bibliotheque" in fetch(visitor, "/talks/fablab").text


def test_the_clear_command_starts_a_new_generation(visitor, fetch, talk, runner):
    _cached(visitor, fetch, "/talks/fablab")
    result = runner.invoke(args=["page-cache", "clear"])
    assert result.exit_code == 0 and "Page cache cleared" in result.output
    assert not fetch(visitor, "/talks/fablab").is_hit
