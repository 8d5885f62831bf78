"""The profile editor opens what was written: the bio's Markdown (the speaker's or an organiser's)
and the labels of links, which the public page then shows."""
import html
import re

from tests.profile.test_profile import save, stored
from webapp.sanitize import markdown_to_html

BIO = "  Médiatrice **numérique**  \nà Lyon & <abbr title=\"x\">ailleurs</abbr>\n\n- ateliers\n- blogs\n"


def field_values(page: str) -> dict[str, str]:
    """name -> value of the form's inputs and textareas, as a browser shows them."""
    values = {name: html.unescape(value) for name, value in
              re.findall(r'<input[^>]*\bname="([^"]+)"[^>]*\bvalue="([^"]*)"', page)}
    for name, text in re.findall(r'<textarea[^>]*\bname="([^"]+)"[^>]*>\r?\n(.*?)</textarea>', page, re.S):
        values[name] = html.unescape(text)
    return values


def selected_kind(page: str, row: int) -> str:
    select = re.search(rf'<select[^>]*name="links-{row}-kind".*?</select>', page, re.S).group(0)
    return re.search(r'<option selected value="([^"]+)"', select).group(1)


def editor(owner) -> str:
    return owner.get("/profile/lea-dupont").get_data(as_text=True)


def test_the_bio_opens_again_exactly_as_written(db, owner):
    assert save(owner, bio_source=BIO).status_code == 303
    assert field_values(editor(owner))["bio_source"] == BIO
    assert (stored(db).bio_source, stored(db).bio) == (BIO, markdown_to_html(BIO))


def test_a_bio_an_organiser_wrote_opens_as_its_markdown(db, owner, manage_client, submit_form):
    organiser, _user = manage_client()
    speaker_id = stored(db).id
    submit_form(organiser, f"/manage/speakers/{speaker_id}/edit", {"name": "Léa Dupont", "bio": BIO})
    assert field_values(editor(owner))["bio_source"] == BIO
    save(owner, bio_source=BIO, headline="Médiatrice")
    assert (stored(db).bio_source, stored(db).headline) == (BIO, "Médiatrice")


def test_a_bio_stored_as_html_opens_as_markdown_giving_the_same_page(db, owner):
    speaker = stored(db)
    speaker.bio = "<p>Une <strong>médiatrice</strong></p>"
    db.session.commit()
    page = editor(owner)
    assert field_values(page)["bio_source"] == "Une **médiatrice**"
    assert 'data-text-origin="converted"' in page


def test_a_link_label_an_organiser_typed_survives_the_speakers_editor(db, owner, manage_client, submit_form):
    organiser, _user = manage_client()
    submit_form(organiser, f"/manage/speakers/{stored(db).id}/edit", {
        "name": "Léa Dupont", "links": "Blog | https://blog.example.org\nMastodon | https://mastodon.social/@lea"})
    page = editor(owner)
    values = field_values(page)
    assert (selected_kind(page, 0), values["links-0-label_text"]) == ("other", "Blog")
    assert (selected_kind(page, 1), values.get("links-1-label_text", "")) == ("mastodon", "")
    save(owner, **{"links-0-kind": "other", "links-0-label_text": "Blog", "links-0-url": "https://blog.example.org",
                   "links-1-kind": "mastodon", "links-1-url": "https://mastodon.social/@lea"})
    assert stored(db).links == [{"label": "Blog", "url": "https://blog.example.org"},
                                {"label": "Mastodon", "url": "https://mastodon.social/@lea"}]
    public = owner.get("/speakers/lea-dupont").get_data(as_text=True)
    assert re.search(r'<a href="https://blog.example.org"[^>]*>Blog</a>', public)


def test_a_label_typed_in_the_editor_names_the_link(db, owner):
    save(owner, **{"links-0-kind": "other", "links-0-label_text": "  Mes ateliers ",
                   "links-0-url": "https://lea.example.org/ateliers",
                   "links-1-kind": "other", "links-1-url": "https://lea.example.org/blog",
                   "links-2-kind": "website", "links-2-url": "https://lea.example.org"})
    assert [link["label"] for link in stored(db).links] == ["Mes ateliers", "lea.example.org", "Website"]
    too_long = save(owner, **{"links-0-label_text": "x" * 101, "links-0-url": "https://a.example.org"})
    assert too_long.status_code == 422 and "more than the 100 allowed" in too_long.get_data(as_text=True)
