"""In Chromium, in French: an organiser imports a pretalx schedule from the workspace, reads the
report, imports it again (nothing changes), is refused a private address with a clear message;
once the event is published, a visitor downloads its schedule.xml from the event page."""
from pathlib import Path

import pytest
from lxml import etree
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import ACCOUNT_PASSWORD
from webapp.models import Event, Status

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("compiled_translations")]
DATA = Path(__file__).parents[1] / "importing" / "data" / "frab"
XSD = Path(__file__).parents[2] / "webapp" / "importing" / "frab_schema" / "schedule.xml.xsd"


@pytest.fixture
def organiser(db, make_user):
    user = make_user("organiser", email="organisatrice@example.org", password=ACCOUNT_PASSWORD)
    db.session.commit()
    return user


def upload(page, name: str) -> None:
    page.set_input_files("#schedule-file", str(DATA / name))
    page.locator("main form button[type=submit]").click()


def test_organiser_imports_a_pretalx_schedule_and_visitors_download_it(page, organiser, db):
    page.goto("/login?next=/manage/events/")
    page.fill("#email", organiser.email)
    page.fill("#password", ACCOUNT_PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url("**/manage/events/")
    # By address, not by text: the lead translates the new strings after this round.
    page.locator('ul.actions a[href="/manage/import/schedule"]').click()
    expect(page.locator("#schedule-file")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    upload(page, "pretalx-democon.json")
    report = page.locator("#schedule-report")
    expect(report).to_be_visible()
    expect(page.locator("#talks-created")).to_have_text("36")
    expect(report).to_contain_text("DemoCon")

    upload(page, "pretalx-democon.json")
    expect(page.locator("#talks-created")).to_have_text("0")
    expect(page.locator("#talks-updated")).to_have_text("0")
    expect(page.locator("#talks-unchanged")).to_have_text("36")

    page.problems.allow("HTTP 400", "status of 400")
    page.fill("#schedule-url", "http://127.0.0.1/schedule.xml")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#schedule-error")).to_contain_text("127.0.0.1")

    event = db.session.scalar(select(Event).where(Event.import_key == "frab:democon"))
    event.status = Status.PUBLISHED
    db.session.commit()
    page.goto(f"/events/{event.slug}")
    link = page.locator(f'a[href="/events/{event.slug}/schedule.xml"]')
    with page.expect_download() as download_info:
        link.click()
    document = etree.parse(download_info.value.path())
    assert etree.XMLSchema(etree.parse(str(XSD))).validate(document)
    assert len(document.findall("day/room/event")) == 36
