"""Counting rules, in one process (STATS_COLLECTOR is inline under TESTING): what counts, what
does not (bots, organisers, repeats, HEAD, previews, errors), the daily salt, batched upserts, the
slide page beacon and the per-event public view counts."""
import io
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from webapp.core.counting import count_search, normalise_query
from webapp.core.privacy import RepeatFilter, is_bot, visitor_digest
from webapp.models import Role, Status, User
from webapp.models.stats import DailyCount, Metric, SearchQueryDay
from webapp.slides.operations import attach_slides, process_pending_decks
from webapp.stats.collector import flush_counts

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
          "Version/17.5 Mobile/15E148 Safari/604.1")
EDGE = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0")
ANDROID = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/126.0 Mobile Safari/537.36")


def visit(client, url, address="198.51.100.1", user_agent=FIREFOX, method="GET", **kwargs):
    response = client.open(url, method=method, headers={"User-Agent": user_agent, **kwargs.pop("headers", {})},
                           environ_base={"REMOTE_ADDR": address}, **kwargs)
    response.close()
    return response


def counts(app, db) -> dict:
    flush_counts(app)
    db.session.expire_all()
    return {(row.metric, row.object_id, row.page): row.count
            for row in db.session.scalars(select(DailyCount))}


@pytest.fixture
def talk(db, make_talk, make_speaker):
    talk = make_talk(speakers=[make_speaker()], tags=["mednumsavoirs"])
    db.session.commit()
    return talk


# --- the rules ---------------------------------------------------------------------------------

@pytest.mark.parametrize("user_agent", [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0 Safari/537.36",
    "curl/8.5.0", "Wget/1.21.4", "python-requests/2.32.3", "UptimeRobot/2.0", "Pingdom.com_bot_version_1.4",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0)", "GPTBot/1.2", "Sogou web spider/4.0", "", "   ",
])
def test_bots_and_scripts_are_recognised(user_agent):
    assert is_bot(user_agent)


@pytest.mark.parametrize("user_agent", [FIREFOX, SAFARI, EDGE, ANDROID])
def test_browsers_are_people(user_agent):
    assert not is_bot(user_agent)


def test_a_repeat_within_the_window_counts_once_then_again_after_it():
    repeats, visitor, today = RepeatFilter(1800), visitor_digest("198.51.100.1", FIREFOX), date.today()
    assert repeats.is_first(visitor, "talk_view\x001", today, now=0)
    assert not repeats.is_first(visitor, "talk_view\x001", today, now=1799)
    assert repeats.is_first(visitor, "talk_view\x002", today, now=1799)  # another object
    assert repeats.is_first(visitor_digest("198.51.100.2", FIREFOX), "talk_view\x001", today, now=5)
    assert repeats.is_first(visitor, "talk_view\x001", today, now=1801)


def test_the_daily_salt_rotates_and_forgets_every_visitor():
    repeats, visitor, today = RepeatFilter(1800), visitor_digest("198.51.100.1", FIREFOX), date.today()
    assert repeats.is_first(visitor, "talk_view\x001", today, now=0)
    first_salt = repeats._salt
    assert len(repeats) == 1
    assert repeats.is_first(visitor, "talk_view\x001", today + timedelta(days=1), now=10)
    assert repeats._salt != first_salt and len(repeats) == 1
    repeats.forget_expired(now=10_000)
    assert len(repeats) == 0


def test_normalise_query_lowercases_collapses_and_keeps_accents_and_hashes():
    assert normalise_query("  Médiation \t NUMÉRIQUE\n#MedNum ") == "médiation numérique #mednum"
    assert len(normalise_query("a " * 300)) <= 200
    assert normalise_query("   ") == ""


# --- public pages ------------------------------------------------------------------------------

def test_public_pages_count_once_per_visitor_and_object(app, db, client, talk):
    speaker, tag, event = talk.speakers[0], talk.tags[0], talk.event
    for address in ("198.51.100.1", "198.51.100.1", "198.51.100.2"):
        for url in (f"/talks/{talk.slug}", f"/events/{event.slug}", f"/speakers/{speaker.slug}",
                    f"/tags/{tag.name}"):
            assert visit(client, url, address).status_code == 200
    visit(client, f"/talks/{talk.slug}", "198.51.100.1", SAFARI)  # same address, another browser
    assert counts(app, db) == {(Metric.TALK_VIEW, talk.id, 0): 3, (Metric.EVENT_VIEW, event.id, 0): 2,
                               (Metric.SPEAKER_VIEW, speaker.id, 0): 2, (Metric.TAG_VIEW, tag.id, 0): 2}


def test_bots_head_requests_errors_and_drafts_do_not_count(app, db, client, talk, make_talk):
    draft = make_talk(status=Status.DRAFT)
    db.session.commit()
    visit(client, f"/talks/{talk.slug}", user_agent="Googlebot/2.1 (+http://www.google.com/bot.html)")
    visit(client, f"/talks/{talk.slug}", method="HEAD")
    assert visit(client, f"/talks/{draft.slug}").status_code == 404
    assert visit(client, "/talks/no-such-talk").status_code == 404
    assert counts(app, db) == {}


def test_organisers_own_visits_and_previews_do_not_count(app, db, talk, manage_client):
    organiser, _user = manage_client("organiser")
    assert visit(organiser, f"/talks/{talk.slug}").status_code == 200
    assert visit(organiser, f"/manage/talks/{talk.id}/preview").status_code == 200
    assert counts(app, db) == {}


def test_a_speaker_account_is_counted_like_any_visitor(app, db, client, talk, make_user, login_as):
    make_user(Role.SPEAKER)
    db.session.commit()
    login_as(db.session.scalar(select(User).where(User.role == Role.SPEAKER)))
    visit(client, f"/talks/{talk.slug}")
    assert counts(app, db) == {(Metric.TALK_VIEW, talk.id, 0): 1}


@pytest.mark.parametrize("app_config", [{"STATS_ENABLED": False}])
def test_nothing_is_counted_when_statistics_are_off(app, db, client, talk):
    visit(client, f"/talks/{talk.slug}")
    assert counts(app, db) == {}


def test_successive_batches_add_up_in_the_same_rows(app, db, client, talk):
    visit(client, f"/talks/{talk.slug}", "198.51.100.1")
    assert counts(app, db) == {(Metric.TALK_VIEW, talk.id, 0): 1}
    visit(client, f"/talks/{talk.slug}", "198.51.100.2")
    visit(client, f"/talks/{talk.slug}", "198.51.100.1")  # still a repeat after the flush
    assert counts(app, db) == {(Metric.TALK_VIEW, talk.id, 0): 2}
    assert db.session.scalar(select(DailyCount.day)) == datetime.now(timezone.utc).date()


def test_searches_count_per_normalised_query_with_their_zero_results(app, db):
    for address, query, total in (("198.51.100.1", "MedNum", 0), ("198.51.100.2", " mednum ", 0),
                                  ("198.51.100.1", "mednum", 0), ("198.51.100.3", "Fablab", 4)):
        with app.test_request_context("/search", headers={"User-Agent": FIREFOX},
                                      environ_base={"REMOTE_ADDR": address}):
            count_search(query, total)
    assert counts(app, db) == {(Metric.SEARCH, 0, 0): 3}
    rows = {row.query: (row.count, row.zero_result_count)
            for row in db.session.scalars(select(SearchQueryDay))}
    assert rows == {"mednum": (2, 2), "fablab": (1, 0)}


# --- decks -------------------------------------------------------------------------------------

@pytest.fixture
def deck(db, talk, make_pdf):
    deck = attach_slides(talk, io.BytesIO(make_pdf("Un", "Deux", "Trois")), "deck.pdf", None,
                         "CC-BY-4.0")
    db.session.commit()
    process_pending_decks()
    return deck


def test_downloads_count_but_not_revalidations(app, db, client, deck):
    first = visit(client, f"/slides/{deck.id}/deck.pdf", "198.51.100.1")
    assert first.status_code == 200
    again = visit(client, f"/slides/{deck.id}/deck.pdf", "198.51.100.2",
                  headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert counts(app, db) == {(Metric.DECK_DOWNLOAD, deck.id, 0): 1}


def beacon(client, deck, page, address="198.51.100.1", origin="http://localhost"):
    return visit(client, f"/slides/{deck.id}/views", address, method="POST", data={"page": page},
                 headers={"Origin": origin})


def test_slide_pages_viewed_are_counted_per_page(app, db, client, deck):
    assert beacon(client, deck, "2").status_code == 204
    assert beacon(client, deck, "2").status_code == 204  # a repeat
    assert beacon(client, deck, "3", "198.51.100.2").status_code == 204
    assert visit(client, f"/slides/{deck.id}/views", method="POST", data={"page": "1"},
                 headers={"Sec-Fetch-Site": "same-origin"}).status_code == 204
    assert counts(app, db) == {(Metric.SLIDE_PAGE_VIEW, deck.id, 2): 1,
                               (Metric.SLIDE_PAGE_VIEW, deck.id, 3): 1,
                               (Metric.SLIDE_PAGE_VIEW, deck.id, 1): 1}


@pytest.mark.parametrize("page", ["0", "4", "-1", "2.5", "deux", "", "9" * 40, "²"])
def test_a_page_outside_the_deck_is_a_400(app, db, client, deck, page):
    assert beacon(client, deck, page).status_code == 400
    assert counts(app, db) == {}


def test_other_sites_cannot_post_slide_views(app, db, client, deck):
    assert beacon(client, deck, "1", origin="https://evil.example").status_code == 403
    assert visit(client, f"/slides/{deck.id}/views", method="POST", data={"page": "1"},
                 headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert visit(client, f"/slides/{deck.id}/views", method="POST", data={"page": "1"}).status_code == 403
    assert beacon(client, type(deck)(id=987654), "1").status_code == 404
    assert counts(app, db) == {}


def test_the_talk_page_loads_the_beacon_script_for_a_ready_deck(client, deck, talk):
    page = visit(client, f"/talks/{talk.slug}").get_data(as_text=True)
    assert "js/slide_views.js" in page and f'data-views-url="/slides/{deck.id}/views"' in page


# --- public view counts --------------------------------------------------------------------------

def test_view_counts_show_on_talk_pages_only_when_the_event_opted_in(app, db, client, talk, english_ui):
    visit(client, f"/talks/{talk.slug}", "198.51.100.1")
    visit(client, f"/talks/{talk.slug}", "198.51.100.2")
    counts(app, db)
    assert "facts__views" not in visit(client, f"/talks/{talk.slug}").get_data(as_text=True)
    talk.event.show_view_counts = True
    db.session.commit()
    page = visit(client, f"/talks/{talk.slug}", "198.51.100.3").get_data(as_text=True)
    assert "facts__views" in page and "2 views" in page


def test_the_event_form_sets_show_view_counts(db, make_event, manage_client, submit_form):
    event = make_event(title="Journée mednum")
    db.session.commit()
    organiser, _user = manage_client("organiser")
    url = f"/manage/events/{event.id}/edit"
    assert 'name="show_view_counts"' in organiser.get(url).get_data(as_text=True)
    response = submit_form(organiser, url, {"title": event.title, "show_view_counts": "y"})
    assert response.status_code in (302, 303)
    db.session.expire_all()
    assert event.show_view_counts is True
    submit_form(organiser, url, {"title": event.title})
    db.session.expire_all()
    assert event.show_view_counts is False
