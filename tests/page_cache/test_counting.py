"""Statistics count a page served from the cache exactly as a rendered one: people count, bots,
HEAD requests and repeats do not, whoever the page was rendered for."""
from sqlalchemy import select

from webapp.models.stats import DailyCount
from webapp.stats.collector import flush_counts

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def visit(app, fetch, path, address, user_agent=FIREFOX, method="GET"):
    served = fetch(app.test_client(), path, method=method, headers={"User-Agent": user_agent},
                   environ_base={"REMOTE_ADDR": address})
    assert served.response.status_code == 200
    return served


def counts(app, db) -> dict:
    flush_counts(app)
    db.session.expire_all()
    return {(row.metric.value, row.object_id): row.count for row in db.session.scalars(select(DailyCount))}


def test_every_person_served_from_the_cache_counts_once(app, db, fetch, talk):
    served = [visit(app, fetch, "/talks/fablab", f"198.51.100.{n}") for n in range(1, 6)]
    assert [s.is_hit for s in served] == [False, True, True, True, True]
    visit(app, fetch, "/talks/fablab", "198.51.100.1")  # a repeat within the window
    assert counts(app, db) == {("talk_view", talk.id): 5}


def test_a_page_rendered_for_a_bot_counts_the_people_it_is_served_to(app, db, fetch, talk):
    assert not visit(app, fetch, "/talks/fablab", "203.0.113.9", GOOGLEBOT).is_hit
    assert visit(app, fetch, "/talks/fablab", "203.0.113.9", GOOGLEBOT).is_hit
    assert counts(app, db) == {}
    assert visit(app, fetch, "/talks/fablab", "198.51.100.1").is_hit
    assert counts(app, db) == {("talk_view", talk.id): 1}


def test_head_requests_count_nothing_hit_or_miss(app, db, fetch, talk):
    for _ in range(2):
        visit(app, fetch, "/talks/fablab", "198.51.100.1", method="HEAD")
    assert counts(app, db) == {}


def test_event_speaker_and_tag_pages_count_on_hits_too(app, db, fetch, talk):
    speaker, tag = talk.speakers[0], talk.tags[0]
    paths = {"/events/journee": ("event_view", talk.event_id),
             f"/speakers/{speaker.slug}": ("speaker_view", speaker.id),
             "/tags/mednumsavoirs": ("tag_view", tag.id)}
    for path in paths:
        assert not visit(app, fetch, path, "198.51.100.1").is_hit
        assert visit(app, fetch, path, "198.51.100.2").is_hit
    assert counts(app, db) == {key: 2 for key in paths.values()}
