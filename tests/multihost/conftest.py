"""Several application hosts on one PostgreSQL: a scratch database for the module (made by
`flask db upgrade`), one organiser, one UPLOAD_DIR that every host shares, and hosts A and B
(several_hosts.py), started once for the module.

A multi-host archive needs PostgreSQL (SQLite is one file on one host): without a PostgreSQL
TEST_DATABASE_URL these tests are skipped, and the PostgreSQL pass of CI runs them (`database`)."""
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from several_hosts import ORGANISER, PASSWORD, Archive, Host, is_postgresql
from sqlalchemy.engine import make_url
from stats_server import create_account, fresh_database, migrate_and_seed

SEEDED_TALKS = 330  # expose-0 ... expose-329, published (test_several_hosts.py says who uses which)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The database (seeded through host A's environment) and hosts A and B, started once, each
    having built its index with `flask search rebuild` first, as a new host does."""
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not is_postgresql(server_url):
        pytest.skip("several hosts share one archive through PostgreSQL only (SQLite is one file on one "
                    "host): set TEST_DATABASE_URL to a PostgreSQL server")
    folder = tmp_path_factory.mktemp("multihost")
    prefix = f"{make_url(server_url).database}_multihost"
    with fresh_database(folder, prefix) as database_url:
        shared = Archive(folder, database_url)
        host_a, host_b = shared.host("host-a"), shared.host("host-b")
        shared.ids = migrate_and_seed(host_a.env, talks=SEEDED_TALKS)
        create_account(host_a.env, folder, ORGANISER, PASSWORD)
        try:
            with ThreadPoolExecutor(max_workers=2) as pool:  # the two hosts come up side by side
                list(pool.map(Host.start_new, (host_a, host_b)))
            yield shared
        finally:
            shared.stop_all()


@pytest.fixture(scope="module")
def hosts(archive) -> tuple[Host, Host]:
    return archive.hosts["host-a"], archive.hosts["host-b"]
