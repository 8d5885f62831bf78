"""A speaker's uploads have a quota: bytes in all (413) and versions of one talk's slides (422).
Refused uploads keep nothing; organisers have no quota."""
import io
import re

import pytest
from sqlalchemy import func, select

from webapp.models import SlideDeck

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def app_config():
    return {"SLIDES_SPEAKER_QUOTA_BYTES": 6000, "SLIDES_SPEAKER_MAX_VERSIONS": 3}


@pytest.fixture
def speaker_world(alice_speaking):
    """A speaker account owning "alice", who gave two talks; logged in, reading English."""
    client, talks = alice_speaking(*({"title": f"Talk {n} of Alice"} for n in (1, 2)))
    return client, [talk.id for talk in talks]


def upload(client, talk_id: int, pdf: bytes, path_prefix="/profile"):
    path = f"{path_prefix}/talks/{talk_id}/slides"
    token = TOKEN.search(client.get(path, follow_redirects=True).get_data(as_text=True)).group(1)
    data = {"file": (io.BytesIO(pdf), "deck.pdf"), "licence": "CC-BY-4.0", "csrf_token": token}
    return client.post(path, data=data, content_type="multipart/form-data")


def deck_count(db) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(SlideDeck.id)))


def small_pdf(make_pdf, n: int) -> bytes:
    pdf = make_pdf(f"Version {n}")
    assert len(pdf) < 2000  # three of them fit the 6000-byte quota
    return pdf


def test_a_speaker_may_upload_so_many_versions_of_one_talk(db, speaker_world, make_pdf):
    client, (talk, _other) = speaker_world
    for n in range(3):
        assert upload(client, talk, small_pdf(make_pdf, n)).status_code == 303
    refused = upload(client, talk, small_pdf(make_pdf, 4))
    assert refused.status_code == 422
    assert "already uploaded 3 versions" in refused.get_data(as_text=True)
    assert deck_count(db) == 3


def test_a_speaker_over_the_byte_quota_gets_413_and_nothing_is_kept(db, speaker_world, make_pdf):
    client, (talk, other) = speaker_world
    assert upload(client, talk, small_pdf(make_pdf, 1)).status_code == 303
    big = make_pdf(*(f"Page {n} " * 40 for n in range(12)))
    assert len(big) > 6000
    refused = upload(client, other, big)
    assert refused.status_code == 413
    assert "past your quota of 6 kB" in refused.get_data(as_text=True)
    assert deck_count(db) == 1


def test_organisers_have_no_quota(db, speaker_world, make_pdf, manage_client):
    _client, (talk, _other) = speaker_world
    organiser, _ = manage_client("organiser")
    big = make_pdf(*(f"Page {n} " * 40 for n in range(12)))
    for _n in range(4):
        assert upload(organiser, talk, big, path_prefix="/manage").status_code == 303
    assert deck_count(db) == 4
