"""Nothing personal is stored: after real traffic through gunicorn (its access log on, as with
`make serve`), no client address and no user agent appears in any table, any log or any file the
collector keeps, and counting sets no cookie."""

import pytest
from sqlalchemy import create_engine
from stats_server import (
    GENEROUS_SECONDS,
    answers,
    counted_total,
    known_plans,
    migrate_and_seed,
    run_clients,
    server_environment,
    start_gunicorn,
    stop_gunicorn,
    wait_for,
)

from webapp.core.counting import count_hit, count_search
from webapp.models.stats import Metric
from webapp.stats.collector import flush_counts


def every_table_dump(engine) -> str:
    """Every column of every row of every table, as text, on SQLite and PostgreSQL alike (it
    read an SQLite file by the URL's database name, which on PostgreSQL was an empty new file)."""
    from sqlalchemy import MetaData

    tables = MetaData()
    tables.reflect(bind=engine)
    assert "daily_counts" in tables.tables
    with engine.connect() as connection:
        return "\n".join(repr(tuple(row)) for table in tables.sorted_tables
                         for row in connection.execute(table.select()))


def sent_identities(plans: list[list]) -> tuple[set[str], set[str]]:
    addresses = {address for plan in plans for _path, address, _ua, _method in plan}
    user_agents = {user_agent for plan in plans for _path, _address, user_agent, _method in plan}
    return addresses, user_agents


def assert_nothing_personal(text: str, addresses: set[str], user_agents: set[str]) -> None:
    for address in addresses:
        assert address not in text
    for user_agent in user_agents:
        assert user_agent not in text


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One run of known traffic for the module's tests: (plans, results, its directory)."""
    tmp_path = tmp_path_factory.mktemp("privacy")
    env = server_environment(tmp_path, STATS_SOCKET_DIR=tmp_path / "stats")
    (tmp_path / "stats").mkdir(mode=0o700)
    plans, expected = known_plans(migrate_and_seed(env))
    process, base = start_gunicorn(env, tmp_path / "gunicorn.log")
    try:
        assert wait_for(lambda: answers(base), GENEROUS_SECONDS), "gunicorn did not start"
        results = run_clients(base, plans)
        wait_for(lambda: counted_total(tmp_path / "site.db") >= sum(expected.values()),
                 GENEROUS_SECONDS)
    finally:
        stop_gunicorn(process)
    return plans, results, tmp_path


def test_no_address_or_user_agent_in_the_database_logs_or_collector_files(served):
    plans, _results, tmp_path = served
    addresses, user_agents = sent_identities(plans)
    assert counted_total(tmp_path / "site.db") > 0
    site = create_engine(f"sqlite:///{tmp_path / 'site.db'}")
    try:
        assert_nothing_personal(every_table_dump(site), addresses, user_agents)
    finally:
        site.dispose()
    log = (tmp_path / "gunicorn.log").read_text()
    assert "/talks/expose-0" in log  # the access log was written...
    assert_nothing_personal(log, addresses, user_agents)  # ...without who asked
    for path in (tmp_path / "stats").iterdir():
        assert path.is_socket() or path.stat().st_size == 0  # the socket and an empty lock file


def test_counted_pages_set_no_cookie(served):
    _plans, results, _tmp_path = served
    assert [cookie for _status, cookie in results if cookie] == []


def test_nothing_personal_in_the_logs_of_in_process_counting(app, db, client, make_talk, caplog):
    talk = make_talk()
    db.session.commit()
    address, user_agent = "203.0.113.77", "Mozilla/5.0 (Macintosh) Safari/605.1.15 privacy-probe"
    with caplog.at_level("DEBUG"):
        for _ in range(3):
            client.get(f"/talks/{talk.slug}", headers={"User-Agent": user_agent},
                       environ_base={"REMOTE_ADDR": address})
        with app.test_request_context(headers={"User-Agent": user_agent},
                                      environ_base={"REMOTE_ADDR": address}):
            count_hit(Metric.TALK_VIEW, talk.id)
            count_search("médiation", 0)
        flush_counts(app)
    assert_nothing_personal(caplog.text, {address}, {user_agent})
    assert_nothing_personal(every_table_dump(db.engine), {address}, {user_agent})
