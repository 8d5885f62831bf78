"""In Chromium: the programme editor shows each talk's start time, speakers and status; a talk is
moved by dragging its handle with the mouse, with the keyboard, or with the "Up" and "Down"
buttons, and the new order is saved without a reload; a warning says (and stops saying, live)
where the order contradicts the start times; "Sort by start time" puts it right in one click; and
without JavaScript the buttons still work."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import other_page
from tests.browser.test_form_checkboxes import log_in
from tests.browser.test_narrow_screens import session_of
from webapp.models import Event, Status

pytestmark = pytest.mark.browser
PARIS = ZoneInfo("Europe/Paris")


def at(hour: int) -> datetime:
    return datetime(2024, 3, 14, hour, 0, tzinfo=PARIS)


@pytest.fixture
def programme(db, make_user, make_event, make_speaker, make_talk):
    """A one-day event whose programme puts the 14:00 talk before the 10:00 one; and an organiser."""
    event = make_event("Journée MedNum", start_date=date(2024, 3, 14))
    ada, grace = make_speaker("Ada Lovelace"), make_speaker("Grace Hopper")
    make_talk("Bilan des ateliers", event=event, position=0, starts_at=at(14), speakers=[ada])
    make_talk("Accueil et ouverture", event=event, position=1, starts_at=at(10), speakers=[ada, grace],
              status=Status.DRAFT)
    make_talk("Table ronde", event=event, position=2, starts_at=at(15))
    make_talk("Clôture", event=event, position=3, starts_at=at(17))
    organiser = make_user("organiser")
    db.session.commit()
    return {"path": f"/manage/events/{event.id}/programme", "organiser": organiser, "event_id": event.id}


def titles(page) -> list[str]:
    return [talk.get_attribute("data-title") for talk in page.locator("[data-talk-id]").all()]


def row(page, title: str):
    return page.locator(f"[data-talk-id][data-title='{title}']")


def handle(page, title: str):
    return page.get_by_role("button", name=f"Move “{title}”")


def open_editor(page, live_server, login_as, programme):
    log_in(page, live_server, login_as, programme["organiser"], programme["path"])
    page.evaluate("window.notReloaded = true")  # gone if the page reloads


def test_rows_show_the_start_time_speakers_and_status_and_the_contradiction(page, live_server, login_as,
                                                                            programme):
    open_editor(page, live_server, login_as, programme)
    first, second = row(page, "Bilan des ateliers"), row(page, "Accueil et ouverture")
    expect(first.locator("time")).to_have_text("2:00\u202fPM")
    expect(first).to_contain_text("Ada Lovelace")
    expect(first).to_contain_text("Published")
    expect(second.locator("time")).to_have_text("10:00\u202fAM")
    expect(second).to_contain_text("Ada Lovelace, Grace Hopper")
    expect(second).to_contain_text("Draft")
    warning = page.locator("[data-programme-warnings]")
    expect(warning).to_be_visible()
    expect(warning.locator("li")).to_have_text(
        ["“Bilan des ateliers” (2:00\u202fPM) comes before “Accueil et ouverture” (10:00\u202fAM)."])
    expect(page.locator("#programme-help")).to_be_visible()
    assert page.problems.messages == [], page.problems.messages


def test_a_talk_dragged_with_the_mouse_is_saved_without_a_reload_and_stays_after_one(page, live_server,
                                                                                     login_as, programme):
    open_editor(page, live_server, login_as, programme)
    grip = handle(page, "Accueil et ouverture").bounding_box()
    target = row(page, "Bilan des ateliers").bounding_box()
    page.mouse.move(grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2)
    page.mouse.down()
    page.mouse.move(grip["x"] + grip["width"] / 2, target["y"] + 3, steps=8)
    page.mouse.up()
    expect(page.locator("[data-programme-status]")).to_contain_text("Programme order saved.")
    assert titles(page) == ["Accueil et ouverture", "Bilan des ateliers", "Table ronde", "Clôture"]
    expect(page.locator("[data-programme-warnings]")).to_be_hidden()  # updated from the answer
    assert page.evaluate("window.notReloaded") is True

    handle(page, "Clôture").drag_to(row(page, "Accueil et ouverture"), target_position={"x": 40, "y": 2})
    expect(page.locator("[data-programme-warnings]")).to_be_visible()
    expect(page.locator("[data-programme-warning-list] li")).to_have_text(
        ["“Clôture” (5:00\u202fPM) comes before “Accueil et ouverture” (10:00\u202fAM)."])
    page.reload()
    assert titles(page) == ["Clôture", "Accueil et ouverture", "Bilan des ateliers", "Table ronde"]
    expect(page.locator("[data-programme-warning-list] li")).to_have_count(1)
    assert page.problems.messages == [], page.problems.messages


def test_a_talk_is_moved_with_the_keyboard_and_escape_puts_it_back(page, live_server, login_as, programme):
    open_editor(page, live_server, login_as, programme)
    status = page.locator("[data-programme-status]")
    grip = handle(page, "Table ronde")
    grip.focus()
    page.keyboard.press("Space")
    expect(status).to_contain_text("“Table ronde” picked up, at position 3 of 4.")
    expect(grip).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(status).to_have_text("“Table ronde”: position 1 of 4.")
    assert titles(page)[0] == "Table ronde"
    page.keyboard.press("Escape")
    expect(status).to_contain_text("Move cancelled: “Table ronde” is back at position 3 of 4.")
    assert titles(page) == ["Bilan des ateliers", "Accueil et ouverture", "Table ronde", "Clôture"]

    handle(page, "Accueil et ouverture").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowUp")
    expect(handle(page, "Accueil et ouverture")).to_be_focused()  # the focus stays on the moved talk
    page.keyboard.press("Enter")
    expect(status).to_have_text("“Accueil et ouverture” dropped at position 1 of 4. Programme order saved.")
    expect(page.locator("[data-programme-warnings]")).to_be_hidden()
    page.keyboard.press("Space")
    page.keyboard.press("End")
    page.keyboard.press("Space")
    expect(status).to_contain_text("dropped at position 4 of 4. Programme order saved.")
    assert page.evaluate("window.notReloaded") is True
    page.reload()
    assert titles(page) == ["Bilan des ateliers", "Table ronde", "Clôture", "Accueil et ouverture"]
    assert page.problems.messages == [], page.problems.messages


def test_the_up_and_down_buttons_save_without_a_reload(page, live_server, login_as, programme):
    open_editor(page, live_server, login_as, programme)
    first = row(page, "Bilan des ateliers")
    expect(first.get_by_role("button", name="↑ Up")).to_be_hidden()  # the first talk cannot go up
    first.get_by_role("button", name="↓ Down").click()
    expect(page.locator("[data-programme-status]")).to_contain_text("Programme order saved.")
    assert titles(page)[:2] == ["Accueil et ouverture", "Bilan des ateliers"]
    assert page.evaluate("window.notReloaded") is True
    page.reload()
    assert titles(page)[:2] == ["Accueil et ouverture", "Bilan des ateliers"]
    assert page.problems.messages == [], page.problems.messages


def test_sort_by_start_time_fixes_a_contradicting_order(page, live_server, login_as, programme):
    open_editor(page, live_server, login_as, programme)
    handle(page, "Clôture").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Home")
    page.keyboard.press("Space")
    expect(page.locator("[data-programme-warning-list] li")).to_have_count(2)  # shown live
    page.get_by_role("button", name="Sort by start time").click()
    expect(page.locator(".flash--success")).to_contain_text("The talks are now in order of their start times")
    assert titles(page) == ["Accueil et ouverture", "Bilan des ateliers", "Table ronde", "Clôture"]
    expect(page.locator("[data-programme-warnings]")).to_be_hidden()
    assert page.problems.messages == [], page.problems.messages


def test_an_order_the_server_refuses_is_undone_and_explained(page, live_server, login_as, db, make_talk,
                                                             programme):
    open_editor(page, live_server, login_as, programme)
    make_talk("Ajoutée entre-temps", event=db.session.get(Event, programme["event_id"]), position=9)
    db.session.commit()  # another organiser added a talk since the page was loaded
    page.problems.allow("/programme/order", "status of 400")  # the refusal, and Chromium's console line
    handle(page, "Clôture").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Home")
    page.keyboard.press("Space")
    status = page.locator("[data-programme-status]")
    expect(status).to_contain_text("leaves out talks of this programme")
    expect(status).to_have_class("programme-status is-error")
    assert titles(page) == ["Bilan des ateliers", "Accueil et ouverture", "Table ronde", "Clôture"]
    assert len(page.problems.messages) == 2 and page.problems.unexpected() == [], page.problems.messages
    page.reload()
    assert titles(page) == ["Bilan des ateliers", "Accueil et ouverture", "Table ronde", "Clôture",
                            "Ajoutée entre-temps"]
    assert len(page.problems.messages) == 2, page.problems.messages


def test_without_javascript_the_buttons_move_the_talks(page, live_server, login_as, programme):
    plain = other_page(page, java_script_enabled=False)
    cookies = {"lang": "en", "session": session_of(login_as, programme["organiser"])}
    plain.context.add_cookies([{"name": name, "value": value, "url": live_server} for name, value in cookies.items()])
    plain.goto(programme["path"])
    expect(plain.locator("[data-programme-handle]").first).to_be_hidden()
    row(plain, "Accueil et ouverture").get_by_role("button", name="↑ Up").click()
    plain.wait_for_load_state()
    expect(plain.locator(".flash--success")).to_have_text("Programme order saved.")
    assert titles(plain)[:2] == ["Accueil et ouverture", "Bilan des ateliers"]
    plain.get_by_role("button", name="Sort by start time").click()
    expect(plain.locator(".flash--success")).to_contain_text("in order of their start times")
    plain.context.close()
    assert page.problems.messages == [], page.problems.messages
