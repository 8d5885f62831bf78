"""/manage/stats: aggregations over a period, granularity and filters; SVG charts; CSV exports."""
import csv
import io
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from webapp.models import DailyCount, DeckKind, Metric, SearchQueryDay, SlideDeck, Status
from webapp.stats.charts import Series, bar_chart, line_chart, nice_maximum
from webapp.stats.queries import StatsScope, bucket_label, bucket_starts, totals, trend

SVG = "{http://www.w3.org/2000/svg}"
Q1 = "period=custom&from=2024-01-01&to=2024-03-31"


@pytest.fixture
def count(db):
    """count(metric, object_id, "2024-01-15", n, page=0): n counted hits on that day."""
    def add(metric, object_id, day, n, page=0):
        db.session.add(DailyCount(day=date.fromisoformat(day), metric=metric, object_id=object_id,
                                  page=page, count=n))
        db.session.flush()

    return add


@pytest.fixture
def searched(db):
    def add(query, day, n, zero=0):
        db.session.add(SearchQueryDay(day=date.fromisoformat(day), query=query, count=n, zero_result_count=zero))
        db.session.flush()

    return add


def deck_for(db, talk, version=1):
    deck = SlideDeck(talk=talk, version=version, kind=DeckKind.PDF, original_name="bilan.pdf", sha256="0" * 64,
                     size=10, storage_key="0" * 64, page_count=12)
    db.session.add(deck)
    db.session.flush()
    return deck


@pytest.fixture
def archive(db, make_event, make_talk, make_speaker, count, searched):
    """Two events; the #mednumsavoirs talks have views, downloads and slide pages in early 2024."""
    study_day = make_event("Journée mednum", slug="journee-mednum", tags=["mednumsavoirs"])
    other = make_event("PyCon FR", slug="pycon")
    ada = make_speaker("Ada Lovelace")
    bilan = make_talk("Bilan chiffré, deux ans après", event=study_day, speakers=[ada], tags=["mednumsavoirs"])
    draft = make_talk("Fablab: premiers pas", event=study_day, status=Status.DRAFT, tags=["mednumsavoirs"])
    python = make_talk("Python, ça va", event=other, tags=["python"])
    deck = deck_for(db, bilan)
    count(Metric.TALK_VIEW, bilan.id, "2024-01-02", 5)
    count(Metric.TALK_VIEW, bilan.id, "2024-01-09", 3)
    count(Metric.TALK_VIEW, bilan.id, "2024-02-20", 4)
    count(Metric.TALK_VIEW, draft.id, "2024-01-02", 2)
    count(Metric.TALK_VIEW, python.id, "2024-01-03", 7)
    count(Metric.TALK_VIEW, python.id, "2023-12-31", 100)  # before the period
    count(Metric.EVENT_VIEW, study_day.id, "2024-01-02", 6)
    count(Metric.SPEAKER_VIEW, ada.id, "2024-03-01", 2)
    count(Metric.TAG_VIEW, bilan.tags[0].id, "2024-01-05", 9)
    count(Metric.DECK_DOWNLOAD, deck.id, "2024-01-02", 3)
    count(Metric.SLIDE_PAGE_VIEW, deck.id, "2024-01-02", 8, page=1)
    count(Metric.SLIDE_PAGE_VIEW, deck.id, "2024-01-03", 4, page=7)
    count(Metric.SLIDE_PAGE_VIEW, deck.id, "2024-01-04", 2, page=1)
    searched("mednum", "2024-01-02", 4, zero=4)
    searched("python", "2024-01-02", 6)
    searched('=hyperlink("http://evil.example","clic")', "2024-01-03", 1, zero=1)
    db.session.commit()
    return {"study_day": study_day, "other": other, "bilan": bilan, "draft": draft, "python": python,
            "deck": deck, "ada": ada}


# Buckets and aggregation -------------------------------------------------------------------------

def test_buckets_cover_the_period_in_each_granularity():
    start, end = date(2024, 1, 1), date(2024, 3, 31)
    assert len(bucket_starts(start, end, "day")) == 91
    weeks = bucket_starts(start, end, "week")
    assert weeks[0] == date(2024, 1, 1) and weeks[-1] == date(2024, 3, 25) and len(weeks) == 13
    assert bucket_starts(start, end, "month") == [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)]
    assert bucket_starts(date(2023, 12, 30), end, "year") == [date(2023, 1, 1), date(2024, 1, 1)]
    assert [bucket_label(date(2024, 1, 8), g) for g in ("day", "week", "month", "year")] == \
        ["2024-01-08", "2024-W02", "2024-01", "2024"]


def test_trend_sums_per_bucket_within_the_period(db, archive):
    points = trend(StatsScope(date(2024, 1, 1), date(2024, 3, 31), "month"))
    assert [p.label for p in points] == ["2024-01", "2024-02", "2024-03"]
    assert [p.values["talk_view"] for p in points] == [17, 4, 0]
    assert [p.values["speaker_view"] for p in points] == [0, 0, 2]
    summed = totals(points)
    assert (summed["slide_page_view"], summed["deck_download"], summed["searches"], summed["zero_results"]) == \
        (14, 3, 11, 5)


def test_weekly_trend_starts_on_mondays(db, archive):
    points = trend(StatsScope(date(2024, 1, 1), date(2024, 1, 14), "week"))
    assert [(p.label, p.values["talk_view"]) for p in points] == [("2024-W01", 14), ("2024-W02", 3)]


def test_filters_keep_the_event_or_the_tag_and_count_drafts(db, archive):
    tag = archive["bilan"].tags[0]
    by_tag = totals(trend(StatsScope(date(2024, 1, 1), date(2024, 3, 31), "year", tag=tag)))
    assert (by_tag["talk_view"], by_tag["tag_view"], by_tag["event_view"], by_tag["deck_download"]) == (14, 9, 6, 3)
    by_event = totals(trend(StatsScope(date(2024, 1, 1), date(2024, 3, 31), "year", event=archive["other"])))
    assert (by_event["talk_view"], by_event["event_view"], by_event["slide_page_view"]) == (7, 0, 0)


# The page -------------------------------------------------------------------------------------------

def test_the_dashboard_shows_tables_per_talk_event_tag_speaker_deck_page_and_search(db, archive, manage_client):
    organiser, _user = manage_client()
    page = organiser.get(f"/manage/stats?{Q1}").get_data(as_text=True)
    talks = re.search(r'<table[^>]*id="table-talks".*?</table>', page, re.S).group(0)
    rows = re.findall(r"<tr>\s*<th scope=\"row\"><a [^>]*>([^<]*)</a></th>(.*?)</tr>", talks, re.S)
    assert [title for title, _cells in rows] == ["Bilan chiffré, deux ans après", "Python, ça va",
                                                 "Fablab: premiers pas"]
    assert re.findall(r'class="number">(\d+)<', rows[0][1]) == ["12", "3", "14"]
    for key in ("events", "tags", "speakers", "decks", "slide_pages", "queries", "zero_queries", "trend", "totals"):
        assert f'id="table-{key}"' in page, key
    assert "#mednumsavoirs" in page and "Ada Lovelace" in page and "bilan.pdf (v1)" in page
    assert 'href="/manage/search-rules/new?query=mednum"' in page


def test_the_tag_filter_shows_only_its_talks(db, archive, manage_client):
    organiser, _user = manage_client()
    page = organiser.get(f"/manage/stats?{Q1}&tag=%23MedNumSavoirs&granularity=week").get_data(as_text=True)
    talks = re.search(r'id="table-talks".*?</table>', page, re.S).group(0)
    assert "Bilan chiffré" in talks and "Python" not in talks
    assert "tag: #mednumsavoirs" in page


@pytest.mark.parametrize("query", [
    "period=fortnight", "period=custom&from=2024-02-01&to=2024-01-01", "period=custom&from=2024-13-01&to=2024-12-31",
    "period=custom&from=1999-01-01&to=2024-01-01", "granularity=hour", "tag=nosuchtag", "event=nosuchevent",
    "period=custom&from=2005-01-01&to=2024-01-01&granularity=day", "period=7&period=30",
])
def test_bad_choices_are_a_400_with_a_message(db, archive, manage_client, query):
    organiser, _user = manage_client()
    for path in ("/manage/stats", "/manage/stats.csv"):
        response = organiser.get(f"{path}?{query}")
        assert response.status_code == 400, (path, query)
        assert "Traceback" not in response.get_data(as_text=True)


def test_the_last_calendar_month_is_a_period(db, manage_client):
    organiser, _user = manage_client()
    page = organiser.get("/manage/stats?period=last-month&granularity=week").get_data(as_text=True)
    first = date.today().replace(day=1) - timedelta(days=1)
    assert f'value="{first.replace(day=1).isoformat()}"' in page and f'value="{first.isoformat()}"' in page


# CSV ------------------------------------------------------------------------------------------------

def read_csv(response) -> list[list[str]]:
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_every_table_downloads_as_csv(db, archive, manage_client):
    organiser, _user = manage_client()
    for key in ("totals", "trend", "talks", "events", "tags", "speakers", "decks", "slide_pages", "queries",
                "zero_queries"):
        response = organiser.get(f"/manage/stats.csv?table={key}&{Q1}")
        assert response.status_code == 200 and response.mimetype == "text/csv", key
        assert response.headers["Content-Disposition"] == \
            f'attachment; filename="causeries-{key}-2024-01-01-2024-03-31.csv"'
        assert len(read_csv(response)) > 1, key


def test_csv_quotes_commas_and_neutralises_formulas(db, archive, manage_client):
    organiser, _user = manage_client()
    talks = read_csv(organiser.get(f"/manage/stats.csv?table=talks&{Q1}"))
    assert talks[0] == ["Talk", "Event", "Views", "Slide downloads", "Slide pages read"]
    assert talks[1] == ["Bilan chiffré, deux ans après", "Journée mednum", "12", "3", "14"]
    raw = organiser.get(f"/manage/stats.csv?table=talks&{Q1}").get_data().decode("utf-8")
    assert '"Bilan chiffré, deux ans après"' in raw
    zero = read_csv(organiser.get(f"/manage/stats.csv?table=zero_queries&{Q1}"))
    assert ["'=hyperlink(\"http://evil.example\",\"clic\")", "1", "1", ""] in zero
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in zero for cell in row)


def test_csv_follows_the_filters(db, archive, manage_client):
    organiser, _user = manage_client()
    rows = read_csv(organiser.get(f"/manage/stats.csv?table=trend&{Q1}&granularity=month&event=pycon"))
    assert [row[:2] for row in rows[1:]] == [["2024-01", "7"], ["2024-02", "0"], ["2024-03", "0"]]


def test_an_unknown_table_is_a_400(db, manage_client):
    organiser, _user = manage_client()
    assert organiser.get("/manage/stats.csv?table=users").status_code == 400


def test_the_csv_is_for_organisers_only(db, client, make_user, login_as):
    assert "/login" in client.get("/manage/stats.csv?table=talks").headers["Location"]
    user = make_user("speaker")
    db.session.commit()
    assert login_as(user).get("/manage/stats.csv?table=talks").status_code == 403


# SVG ------------------------------------------------------------------------------------------------

def parse_svg(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def test_a_line_chart_is_valid_accessible_svg_with_one_point_per_row():
    markup = line_chart("c1", "Views <over> time", "A & B", ["2024-01", "2024-02", "2024-03"],
                        [Series("Views", [3, 0, 12]), Series("Downloads", [1, 2, 0])])
    svg = parse_svg(markup)
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "c1-title"
    assert svg.get("aria-describedby") == "c1-desc"
    assert svg.find(f"{SVG}title").text == "Views <over> time" and svg.find(f"{SVG}desc").text == "A & B"
    assert svg.find(f"{SVG}title").get("id") == "c1-title"
    assert len(svg.findall(f"{SVG}polyline")) == 2
    tips = [c.find(f"{SVG}title").text for c in svg.findall(f"{SVG}circle")]
    assert tips[:3] == ["Views, 2024-01: 3", "Views, 2024-02: 0", "Views, 2024-03: 12"]
    assert "<script" not in str(markup)


def test_a_bar_chart_escapes_labels_and_scales_to_the_largest():
    svg = parse_svg(bar_chart("c2", "Top", "Bars", [("<b>Bilan</b> & co", 10), ("Python", 5)]))
    bars = svg.findall(f"{SVG}rect")
    assert [b.find(f"{SVG}title").text for b in bars] == ["<b>Bilan</b> & co: 10", "Python: 5"]
    assert float(bars[0].get("width")) == pytest.approx(2 * float(bars[1].get("width")))


@pytest.mark.parametrize(("value", "top"), [(0, 1), (1, 1), (7, 10), (11, 20), (230, 250), (4900, 5000)])
def test_axis_tops_are_round_numbers(value, top):
    assert nice_maximum(value) == top


def test_the_dashboard_charts_match_their_tables(db, archive, manage_client):
    organiser, _user = manage_client()
    page = organiser.get(f"/manage/stats?{Q1}&granularity=month").get_data(as_text=True)
    charts = {m.group(1): m.group(0) for m in re.finditer(r'<svg[^>]*id="(chart-[a-z]+)".*?</svg>', page, re.S)}
    assert set(charts) == {"chart-trend", "chart-talks", "chart-queries"}
    trend_svg = parse_svg(charts["chart-trend"])
    views = [c.find(f"{SVG}title").text for c in trend_svg.findall(f"{SVG}circle")][:3]
    assert views == ["Talk page views, Jan 2024: 17", "Talk page views, Feb 2024: 4", "Talk page views, Mar 2024: 0"]
    trend_rows = re.search(r'id="table-trend".*?</table>', page, re.S).group(0)
    assert re.findall(r'<th scope="row">(2024-0\d)</th>\s*<td class="number">(\d+)<', trend_rows) == \
        [("2024-01", "17"), ("2024-02", "4"), ("2024-03", "0")]
    bars = [r.find(f"{SVG}title").text for r in parse_svg(charts["chart-talks"]).findall(f"{SVG}rect")]
    assert bars == ["Bilan chiffré, deux ans après: 12", "Python, ça va: 7", "Fablab: premiers pas: 2"]


# A speaker's own figures (for /profile) --------------------------------------------------------------

def test_a_speaker_sees_the_figures_of_their_public_talks_only(app, db, archive, make_talk, count):
    from flask import render_template

    from webapp.stats.queries import talk_figures_for_speaker

    ada = archive["ada"]
    make_talk("Brouillon d'Ada", speakers=[ada], status=Status.DRAFT)
    other = make_talk("Deuxième causerie", speakers=[ada])
    count(Metric.TALK_VIEW, other.id, "2024-05-01", 40)  # after the period
    figures = talk_figures_for_speaker(ada, date(2024, 1, 1), date(2024, 3, 31))
    assert [(f.talk.title, f.views, f.downloads, f.slide_pages) for f in figures] == [
        ("Bilan chiffré, deux ans après", 12, 3, 14), ("Deuxième causerie", 0, 0, 0)]
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        html = render_template("stats/_talk_figures.html", talk_figures=figures,
                               figures_since=date(2024, 1, 1), figures_until=date(2024, 3, 31))
    assert 'href="/talks/' in html and "Bilan chiffré, deux ans après" in html and "Brouillon" not in html
    assert re.findall(r'class="number">(\d+)<', html) == ["12", "3", "14", "0", "0", "0"]


@pytest.mark.parametrize("top, labels", [
    (1, ["0", "1"]), (2, ["0", "1", "2"]), (5, ["0", "1", "2", "3", "4", "5"]), (10, ["0", "2", "4", "6", "8", "10"]),
    (20, ["0", "5", "10", "15", "20"]), (2500, ["0", "500", "1,000", "1,500", "2,000", "2,500"])])
def test_chart_axes_go_in_whole_steps(app, top, labels):
    from webapp.stats.charts import tick_count

    assert [f"{top * step // tick_count(top):,}" for step in range(tick_count(top) + 1)] == labels
