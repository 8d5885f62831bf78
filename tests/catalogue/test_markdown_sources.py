"""Workspace forms: every rich text field opens again exactly as its Markdown was written; text
stored as HTML (imports) opens as Markdown giving the same page, or as HTML with a note."""
import html
import re

import pytest
from sqlalchemy import select

from webapp.models import Event, Speaker, Talk
from webapp.sanitize import markdown_to_html, plain_text_to_html

# Markdown with what a careless round trip loses: spacing, a hard line break, HTML, entities.
SOURCE = ("  Un **bilan** chiffré & <abbr title=\"HyperText\">HTML</abbr>, 3 < 4, &amp; &copy;\n\n"
          "- point *un*\n- point deux  \n  suite\n\n    du code\n\n> une citation\n\n1. premier\n")
TALK_RICH_FIELDS = ("summary", "context", "objectives", "actions", "results", "lessons")


def textarea(page: str, name: str) -> str:
    """The text a browser shows in the textarea `name` (it drops the newline after the tag)."""
    found = re.search(rf'<textarea[^>]*\bname="{name}"[^>]*>\r?\n(.*?)</textarea>', page, re.S)
    return html.unescape(found.group(1))


def source_of(field: str) -> str:
    return f"{SOURCE}\n*{field}*"


def talk_form(event) -> dict:
    """What a browser sends for the talk form's selects, beside the fields a test fills."""
    return {"event_id": str(event.id), "language": "", "licence": ""}


@pytest.fixture
def organiser(manage_client):
    client, _user = manage_client()
    return client


@pytest.fixture
def event(db, make_event):
    event = make_event("Journée des fablabs")
    db.session.commit()
    return event


def test_every_rich_field_of_a_talk_opens_again_as_written(db, organiser, submit_form, event):
    data = {**talk_form(event), "title": "Le fablab", **{field: source_of(field) for field in TALK_RICH_FIELDS}}
    assert submit_form(organiser, "/manage/talks/new", data).status_code == 302
    talk = db.session.scalar(select(Talk))
    page = organiser.get(f"/manage/talks/{talk.id}/edit").get_data(as_text=True)
    for field in TALK_RICH_FIELDS:
        assert textarea(page, field) == source_of(field)
        assert getattr(talk, field) == markdown_to_html(source_of(field))
    assert "data-text-origin" not in page  # Markdown needs no note


def test_an_event_description_opens_again_as_written(db, organiser, submit_form):
    assert submit_form(organiser, "/manage/events/new", {"title": "Journée", "description": SOURCE}).status_code == 302
    event = db.session.scalar(select(Event))
    page = organiser.get(f"/manage/events/{event.id}/edit").get_data(as_text=True)
    assert textarea(page, "description") == SOURCE
    assert (event.description, event.description_source) == (markdown_to_html(SOURCE), SOURCE)


def test_a_speaker_bio_opens_again_as_written_and_stays_so_after_other_edits(db, organiser, submit_form):
    assert submit_form(organiser, "/manage/speakers/new", {"name": "Léa Dupont", "bio": SOURCE}).status_code == 302
    speaker = db.session.scalar(select(Speaker))
    edit_url = f"/manage/speakers/{speaker.id}/edit"
    assert textarea(organiser.get(edit_url).get_data(as_text=True), "bio") == SOURCE
    submit_form(organiser, edit_url, {"name": "Léa Dupont", "headline": "Médiatrice", "bio": SOURCE})
    db.session.expire_all()
    assert (speaker.bio_source, speaker.headline) == (SOURCE, "Médiatrice")
    assert textarea(organiser.get(edit_url).get_data(as_text=True), "bio") == SOURCE


def test_an_imported_summary_opens_as_markdown_that_gives_the_same_page(db, organiser, submit_form, event,
                                                                         make_talk):
    imported = plain_text_to_html("Deux lignes\net une *étoile*, sur https://example.org/a_b")
    talk = make_talk(event=event, summary=imported)
    db.session.commit()
    edit_url = f"/manage/talks/{talk.id}/edit"
    page = organiser.get(edit_url).get_data(as_text=True)
    shown = textarea(page, "summary")
    assert shown == "Deux lignes<br>\net une \\*étoile\\*, sur https://example.org/a_b"
    assert 'data-text-origin="converted"' in page and "gives exactly the same page" in page
    submit_form(organiser, edit_url, {**talk_form(event), "title": talk.title, "summary": shown})
    db.session.expire_all()
    assert (talk.summary, talk.summary_source) == (imported, shown)  # the page is left as it was


def test_html_markdown_cannot_write_is_shown_with_a_note_and_kept_as_it_is(db, organiser, submit_form, event,
                                                                         make_talk):
    stored = "<blockquote>\n<p>Une <em>citation</em></p>\n</blockquote>"
    talk = make_talk(event=event, summary=stored)
    db.session.commit()
    edit_url = f"/manage/talks/{talk.id}/edit"
    page = organiser.get(edit_url).get_data(as_text=True)
    assert textarea(page, "summary") == stored and "&amp;lt;" not in page
    assert 'data-text-origin="html"' in page and "Saved unchanged, it stays exactly as it is" in page
    data = {**talk_form(event), "title": "Nouveau titre", "summary": stored.replace("\n", "\r\n")}
    submit_form(organiser, edit_url, data)
    db.session.expire_all()
    assert (talk.title, talk.summary, talk.summary_source) == ("Nouveau titre", stored, None)
    submit_form(organiser, edit_url, {**data, "summary": "> Une *citation* revue"})
    db.session.expire_all()
    assert (talk.summary_source, "<em>citation</em> revue" in talk.summary) == ("> Une *citation* revue", True)


def test_the_speaker_form_shown_again_after_a_refused_invitation_keeps_links_and_bio(
        db, organiser, submit_form, make_speaker):
    speaker = make_speaker("Léa Dupont", bio="<p>Bio</p>", bio_source="*Bio*",
                           links=[{"label": "Blog", "url": "https://blog.example.org"}])
    db.session.commit()
    response = submit_form(organiser, f"/manage/speakers/{speaker.id}/edit", {"email": "not an address"},
                           action=f"/manage/speakers/{speaker.id}/invite")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "is not an email address mail can reach" in page
    assert textarea(page, "links") == "Blog | https://blog.example.org" and textarea(page, "bio") == "*Bio*"
