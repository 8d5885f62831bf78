"""In Chromium: an organiser opens the statistics, filters on #mednumsavoirs for last month, sees the
chart, downloads a CSV, then fixes a search that found nothing with a synonym and finds the talk."""
from datetime import timedelta

import pytest

from tests.browser.test_slides_browser import log_in_through
from webapp.models import DailyCount, Metric, SearchQueryDay
from webapp.stats.params import previous_month, today

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


@pytest.fixture
def last_month_figures(db, make_user, make_event, make_talk, drain):
    make_user("organiser", email="organisatrice@example.org", password=PASSWORD)
    study_day = make_event("Journée mednum", slug="journee-mednum", tags=["mednumsavoirs"])
    talk = make_talk("La médiation numérique en bibliothèque", slug="mediation-en-bib", event=study_day,
                     tags=["mednumsavoirs"])
    python = make_talk("Python partout", slug="python-partout", tags=["python"])
    first, last = previous_month(today())
    db.session.add_all([
        DailyCount(day=first, metric=Metric.TALK_VIEW, object_id=talk.id, page=0, count=7),
        DailyCount(day=last, metric=Metric.TALK_VIEW, object_id=talk.id, page=0, count=5),
        DailyCount(day=last, metric=Metric.TALK_VIEW, object_id=python.id, page=0, count=30),
        DailyCount(day=first - timedelta(days=1), metric=Metric.TALK_VIEW, object_id=talk.id, page=0, count=99),
        SearchQueryDay(day=first, query="mednum", count=3, zero_result_count=3),
    ])
    db.session.commit()
    drain()


def test_organiser_reads_last_month_for_a_tag_and_fixes_a_search(page, live_server, last_month_figures, tmp_path):
    page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    log_in_through(page, "/manage/stats")
    page.get_by_label("Period", exact=True).select_option("last-month")
    page.get_by_label("Tag", exact=True).fill("#mednumsavoirs")
    page.get_by_label("One point per", exact=True).select_option("week")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert "tag: #mednumsavoirs" in page.inner_text(".stats-scope")

    chart = page.get_by_role("img", name="Over time", exact=True)
    assert chart.is_visible()
    assert chart.locator("circle").count() >= 4 * 4  # four series, one point per week
    talks = page.locator("#table-talks")
    assert talks.get_by_role("row").nth(1).inner_text().split("\t") == [
        "La médiation numérique en bibliothèque", "Journée mednum", "12", "0", "0"]
    assert "Python partout" not in talks.inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download “Talks” as CSV").click()
    saved = tmp_path / "talks.csv"
    download_info.value.save_as(saved)
    rows = saved.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "Talk,Event,Views,Slide downloads,Slide pages read"
    assert rows[1:] == ["La médiation numérique en bibliothèque,Journée mednum,12,0,0"]

    page.locator("#table-zero_queries").get_by_role("link", name="mednum").click()
    assert page.get_by_label("Search", exact=True).input_value() == "mednum"
    page.get_by_label("Synonym: the search also looks for these words").check()
    page.get_by_label("Synonym, or address of the page").fill("médiation numérique")
    page.get_by_role("button", name="Save the rule").click()
    page.wait_for_load_state()
    assert "the search uses it now" in page.inner_text(".flashes")

    page.get_by_role("link", name="Try it").click()
    page.wait_for_load_state()
    assert page.locator('main a[href="/talks/mediation-en-bib"]').count() >= 1
    assert page.problems.messages == [], page.problems.messages
