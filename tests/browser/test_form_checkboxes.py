"""In Chromium: every checkbox and radio button of the forms sits beside its label, on its line, and a
click on the label's text ticks it."""
import pytest

from tests.browser.test_narrow_screens import jpeg, session_of
from webapp.profile.photos import prepare_photo, set_speaker_photo

pytestmark = pytest.mark.browser
# The control and its label: the control just before the label, its middle within the label's first line.
SIDE_BY_SIDE = """([control, label]) => {
  const box = control.getBoundingClientRect(), text = label.getBoundingClientRect();
  const line = parseFloat(getComputedStyle(label).lineHeight);
  const middle = box.top + box.height / 2;
  return {before: box.right <= text.left, gap: text.left - box.right,
          sameLine: middle >= text.top && middle <= text.top + line};
}"""


@pytest.fixture
def accounts(db, make_user, make_event, make_speaker, make_talk):
    """An organiser, an event, and a speaker whose account keeps her profile, with a photo."""
    organiser = make_user("organiser")
    event = make_event("Journée mednum", slug="journee-mednum")
    speaker = make_speaker("Sophie Perrusson", slug="sophie-perrusson")
    make_talk("Des blogs thématiques", slug="blogs", event=event, speakers=[speaker])
    owner = make_user("speaker")
    speaker.owners.append(owner)
    set_speaker_photo(owner, speaker, prepare_photo(jpeg(300, 300)))
    db.session.commit()
    return {"event": event.id, "organiser": organiser, "speaker": owner}


def log_in(page, live_server, login_as, user, path: str) -> None:
    cookies = {"lang": "en", "session": session_of(login_as, user)}
    page.context.add_cookies([{"name": name, "value": value, "url": live_server} for name, value in cookies.items()])
    page.goto(path)


def assert_beside_its_label_and_ticked_by_it(page, label_text: str, kind: str = "checkbox") -> None:
    control = page.get_by_role(kind, name=label_text, exact=True)
    label = page.locator("label", has_text=label_text)
    placement = page.evaluate(SIDE_BY_SIDE, [control.element_handle(), label.element_handle()])
    assert placement["before"] and placement["gap"] < 16 and placement["sameLine"], placement
    assert not control.is_checked()
    label.get_by_text(label_text, exact=True).click()
    assert control.is_checked()


def test_the_event_forms_checkbox_and_the_search_rules_radios_are_beside_their_labels(page, live_server, accounts,
                                                                                       login_as):
    log_in(page, live_server, login_as, accounts["organiser"], f"/manage/events/{accounts['event']}/edit")
    assert_beside_its_label_and_ticked_by_it(page, "Show view counts on the pages of its talks")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_role("checkbox", name="Show view counts on the pages of its talks").is_checked()
    page.goto("/manage/search-rules/new")
    assert_beside_its_label_and_ticked_by_it(page, "Redirect: the search opens this page of the archive", "radio")
    assert page.problems.messages == [], page.problems.messages


def test_the_profiles_remove_photo_box_is_beside_its_label(page, live_server, accounts, login_as):
    log_in(page, live_server, login_as, accounts["speaker"], "/profile/sophie-perrusson")
    assert_beside_its_label_and_ticked_by_it(page, "Remove the current photo")
    page.set_viewport_size({"width": 360, "height": 740})
    page.get_by_role("checkbox", name="Remove the current photo").uncheck()
    assert_beside_its_label_and_ticked_by_it(page, "Remove the current photo")
    assert page.problems.messages == [], page.problems.messages
