"""PAGE_CACHE=redis://... (or unix://), against a throw-away redis-server of the test's own: pages
are shared through it and a commit makes them out of date; a server gone means pages rendered, not
errors. `make test` installs Debian's redis-server (cache-deps); the redis client is a test dependency."""
import subprocess
import time

import pytest
import redis


@pytest.fixture
def redis_server(tmp_path):
    socket = tmp_path / "redis.sock"
    process = subprocess.Popen(["redis-server", "--port", "0", "--unixsocket", str(socket), "--save", "",
                                "--appendonly", "no", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"unix://{socket}"
    deadline = time.monotonic() + 10
    while not _answers(url):
        assert time.monotonic() < deadline and process.poll() is None, "redis-server did not start"
        time.sleep(0.05)
    try:
        yield process, url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _answers(url: str) -> bool:
    try:
        return redis.Redis.from_url(url).ping()
    except (redis.ConnectionError, FileNotFoundError):
        return False


@pytest.fixture
def app_config(redis_server):
    return {"PAGE_CACHE": redis_server[1]}


def test_pages_are_shared_through_redis_and_a_commit_makes_them_out_of_date(db, client, fetch, talk, redis_server):
    assert not fetch(client, "/talks/fablab").is_hit
    assert fetch(client, "/talks/fablab").is_hit
    keys = redis.Redis.from_url(redis_server[1]).keys("causeries:*")
    assert any(key.endswith(b":generation") for key in keys) and any(b":page:" in key for key in keys)
    talk.title = "Le fablab, deux ans après"
    db.session.commit()
    served = fetch(client, "/talks/fablab")
    assert not served.is_hit and "deux ans après" in served.text


def test_a_redis_server_gone_means_pages_rendered_not_errors(client, fetch, talk, redis_server):
    fetch(client, "/talks/fablab")
    process, _url = redis_server
    process.terminate()
    process.wait(timeout=10)
    for _ in range(2):
        served = fetch(client, "/talks/fablab")
        assert served.response.status_code == 200 and not served.is_hit
        assert "Le fablab de la médiathèque" in served.text
