"""Workspace: the programme editor of an event, with CSRF on: times, speakers and status on each
row; the whole new order posted as JSON (validated, one commit, audited); "Sort by start time";
the warnings where the order contradicts the start times; the up and down forms without JavaScript."""
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from webapp.catalogue.operations.programme import sort_programme_by_start, time_contradictions
from webapp.models import AuditEntry, Status, Talk

PARIS = ZoneInfo("Europe/Paris")
# The CSRF token given to programme.js, or the one of the log out form (on every page).
TOKEN = re.compile(r'data-csrf-token="([^"]+)"|name="csrf_token" value="([^"]+)"')


def at(hour: int, minute: int = 0, day: int = 14) -> datetime:
    return datetime(2024, 3, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def day(db, make_event, make_talk, make_speaker):
    """A one-day event whose programme puts the 14:00 talk before the 10:00 one, then an untimed one."""
    event = make_event("Journée MedNum", slug="journee-mednum", start_date=date(2024, 3, 14))
    ada, grace = make_speaker("Ada Lovelace"), make_speaker("Grace Hopper")
    talks = [make_talk("Beta", event=event, position=0, starts_at=at(14), speakers=[ada, grace]),
             make_talk("Alpha", event=event, position=1, starts_at=at(10), status=Status.DRAFT),
             make_talk("Pause", event=event, position=2),
             make_talk("Gamma", event=event, position=3, starts_at=at(16, 30))]
    db.session.commit()
    return event, {talk.title: talk.id for talk in talks}


def order_of(db, event) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(Talk.title).where(Talk.event_id == event.id)
                                   .order_by(Talk.position, Talk.id)))


def token_in(page: str) -> str:
    return next(value for value in TOKEN.search(page).groups() if value)


def post_order(client, event, body=None, token=True, **kwargs):
    page = client.get(f"/manage/events/{event.id}/programme").get_data(as_text=True)
    headers = {"X-CSRFToken": token_in(page)} if token else {}
    return client.post(f"/manage/events/{event.id}/programme/order", headers=headers,
                       **({"json": body} if body is not None else kwargs))


def test_each_row_shows_the_start_time_speakers_and_status(manage_client, day):
    event, _ = day
    client, _ = manage_client()
    page = client.get(f"/manage/events/{event.id}/programme").get_data(as_text=True)
    rows = re.findall(r'<li class="programme-editor__row".*?</li>', page, re.S)
    assert [re.search(r'data-title="([^"]+)"', row).group(1) for row in rows] == ["Beta", "Alpha", "Pause", "Gamma"]
    assert re.search(r'datetime="2024-03-14T13:00:00\+00:00">2:00\sPM</time>', rows[0])
    assert "Ada Lovelace, Grace Hopper" in rows[0] and "Published" in rows[0]
    assert "10:00\u202fAM" in rows[1] or "10:00 AM" in rows[1]
    assert "Draft" in rows[1] and "No speaker yet" in rows[1]
    assert "No start time" in rows[2] and "4:30" in rows[3]


def test_an_order_that_contradicts_the_start_times_is_warned(manage_client, day):
    event, _ = day
    client, _ = manage_client()
    page = client.get(f"/manage/events/{event.id}/programme").get_data(as_text=True)
    warnings = re.search(r"<div [^>]*data-programme-warnings[^>]*>(.*?)</div>", page, re.S)
    assert "hidden" not in warnings.group(0).split(">")[0]
    items = re.findall(r"<li>(.*?)</li>", warnings.group(1), re.S)
    assert len(items) == 1
    assert re.fullmatch(r"“Beta” \(2:00\sPM\) comes before “Alpha” \(10:00\sAM\)\.", items[0])


def test_a_programme_over_several_days_shows_the_day_of_each_talk(db, manage_client, make_event, make_talk):
    event = make_event("Deux jours", start_date=date(2024, 3, 14), end_date=date(2024, 3, 15))
    make_talk("Second day", event=event, position=0, starts_at=at(9, day=15))
    make_talk("First day", event=event, position=1, starts_at=at(17, day=14))
    db.session.commit()
    client, _ = manage_client()
    page = client.get(f"/manage/events/{event.id}/programme").get_data(as_text=True)
    assert re.search(r"“Second day” \(3/15/24, 9:00\sAM\) comes before “First day” \(3/14/24, 5:00\sPM\)", page)


def test_the_page_keeps_forms_that_work_without_javascript(manage_client, day):
    event, ids = day
    client, _ = manage_client()
    page = client.get(f"/manage/events/{event.id}/programme").get_data(as_text=True)
    for talk_id in ids.values():
        move = f'action="/manage/events/{event.id}/programme/{talk_id}/move"'
        assert page.count(move) == 2  # up and down (the stylesheet hides those that cannot be used)
    assert f'action="/manage/events/{event.id}/programme/sort"' in page
    assert 'data-programme-handle aria-describedby="programme-help" hidden' in page  # shown by the script
    assert '<script src="/static/js/programme.js" defer></script>' in page


def test_a_whole_new_order_is_saved_in_one_step_and_audited(db, client, manage_client, day):
    event, ids = day
    organiser, user = manage_client()
    new_order = [ids["Alpha"], ids["Pause"], ids["Beta"], ids["Gamma"]]
    response = post_order(organiser, event, {"talk_ids": new_order})
    assert response.status_code == 200
    assert response.json == {"message": "Programme order saved.", "warnings": []}
    assert order_of(db, event) == ["Alpha", "Pause", "Beta", "Gamma"]
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.user_id, entry.action, entry.object_kind, entry.object_id) == (user.id, "reorder", "event", event.id)
    assert entry.changes == {"Alpha": ["2", "1"], "Pause": ["3", "2"], "Beta": ["1", "3"]}
    public = client.get("/events/journee-mednum").get_data(as_text=True)
    assert public.index("Pause") < public.index("Beta") < public.index("Gamma")


def test_the_answer_carries_the_warnings_of_the_new_order(db, manage_client, day):
    event, ids = day
    organiser, _ = manage_client()
    new_order = [ids["Alpha"], ids["Gamma"], ids["Pause"], ids["Beta"]]
    response = post_order(organiser, event, {"talk_ids": new_order})
    assert response.status_code == 200
    [warning] = response.json["warnings"]
    assert re.fullmatch(r"“Gamma” \(4:30\sPM\) comes before “Beta” \(2:00\sPM\)\.", warning)


@pytest.mark.parametrize("body, message", [
    (lambda ids, other: [ids["Alpha"], ids["Beta"], ids["Pause"], ids["Gamma"], other], "not in this programme"),
    (lambda ids, other: [ids["Alpha"], ids["Beta"], ids["Pause"]], "leaves out talks"),
    (lambda ids, other: [ids["Alpha"], ids["Beta"], ids["Pause"], ids["Gamma"], ids["Alpha"]], "more than once"),
    (lambda ids, other: [str(ids["Alpha"]), ids["Beta"], ids["Pause"], ids["Gamma"]], "whole numbers"),
    (lambda ids, other: [ids["Alpha"], 2.5, ids["Pause"], ids["Gamma"]], "whole numbers"),
    (lambda ids, other: [ids["Alpha"], True, ids["Pause"], ids["Gamma"]], "whole numbers"),
    (lambda ids, other: [ids["Alpha"], ids["Beta"], ids["Pause"], 10**40], "not in this programme"),
    (lambda ids, other: ",".join(str(i) for i in ids.values()), "whole numbers"),
    (lambda ids, other: None, "whole numbers"),
])
def test_an_order_that_is_not_exactly_the_programme_is_refused_and_changes_nothing(
        db, manage_client, make_talk, day, body, message):
    event, ids = day
    other = make_talk("Ailleurs").id
    db.session.commit()
    organiser, _ = manage_client()
    response = post_order(organiser, event, {"talk_ids": body(ids, other)})
    assert response.status_code == 400
    assert response.json["error"] == "invalid_order" and message in response.json["message"]
    assert "Nothing was changed" in response.json["message"]
    assert order_of(db, event) == ["Beta", "Alpha", "Pause", "Gamma"]
    assert db.session.scalar(select(AuditEntry)) is None


def test_the_talks_of_another_event_are_refused(db, manage_client, make_event, day):
    event, ids = day
    other = make_event("Autre journée")
    db.session.commit()
    organiser, _ = manage_client()
    response = post_order(organiser, other, {"talk_ids": list(ids.values())})
    assert response.status_code == 400 and "not in this programme" in response.json["message"]
    assert order_of(db, event) == ["Beta", "Alpha", "Pause", "Gamma"]
    page = organiser.get(f"/manage/events/{event.id}/programme").get_data(as_text=True)
    unknown = organiser.post("/manage/events/999999/programme/order", json={"talk_ids": []},
                             headers={"X-CSRFToken": token_in(page)})
    assert unknown.status_code == 404


def test_an_order_sent_as_a_form_or_without_the_token_is_refused(db, manage_client, day):
    event, ids = day
    organiser, _ = manage_client()
    form = post_order(organiser, event, data={"talk_ids": list(ids.values())[::-1]})
    assert form.status_code == 400 and "whole numbers" in form.json["message"]
    unsigned = post_order(organiser, event, {"talk_ids": list(ids.values())[::-1]}, token=False)
    assert unsigned.status_code == 400
    assert order_of(db, event) == ["Beta", "Alpha", "Pause", "Gamma"]
    assert db.session.scalar(select(AuditEntry)) is None


def test_sort_by_start_time_orders_the_timed_talks_and_the_warning_goes(db, manage_client, submit_form, day):
    event, _ = day
    organiser, _ = manage_client()
    programme = f"/manage/events/{event.id}/programme"
    response = submit_form(organiser, programme, {}, f"{programme}/sort")
    assert response.status_code == 302 and response.headers["Location"].endswith(programme)
    assert order_of(db, event) == ["Alpha", "Beta", "Pause", "Gamma"]  # "Pause" keeps its place
    page = organiser.get(programme).get_data(as_text=True)
    assert "The talks are now in order of their start times" in page
    assert re.search(r"<div [^>]*data-programme-warnings hidden>", page)
    assert "comes before" not in page
    assert db.session.scalars(select(AuditEntry.action)).all() == ["reorder"]


def test_sort_by_start_time_needs_the_token(db, manage_client, day):
    event, _ = day
    organiser, _ = manage_client()
    assert organiser.post(f"/manage/events/{event.id}/programme/sort").status_code == 400
    assert order_of(db, event) == ["Beta", "Alpha", "Pause", "Gamma"]


def test_sorting_keeps_the_order_of_talks_at_the_same_time_and_audits_nothing_when_sorted(
        db, make_event, make_talk, make_user):
    event = make_event(start_date=date(2024, 3, 14))
    second = make_talk("Second", event=event, position=0, starts_at=at(11))
    parallel_b = make_talk("Parallel B", event=event, position=1, starts_at=at(9))
    parallel_a = make_talk("Parallel A", event=event, position=2, starts_at=at(9))
    user = make_user("organiser")
    contradictions = time_contradictions([second, parallel_b, parallel_a])
    assert [(first.title, then.title) for first, then in contradictions] == [("Second", "Parallel B")]
    sorted_talks = sort_programme_by_start(user, event)
    assert [talk.title for talk in sorted_talks] == ["Parallel B", "Parallel A", "Second"]
    assert time_contradictions(sorted_talks) == []
    sort_programme_by_start(user, event)
    assert db.session.scalars(select(AuditEntry.action)).all() == ["reorder"]


def test_talks_without_a_start_time_contradict_nothing(make_event, make_talk):
    event = make_event(start_date=date(2024, 3, 14))
    late = make_talk("Late", event=event, starts_at=at(15))
    untimed = make_talk("Untimed", event=event)
    early = make_talk("Early", event=event, starts_at=at(9))
    assert time_contradictions([late, untimed, early]) == [(late, early)]
    assert time_contradictions([untimed, early, late]) == []
