"""Uploading and deleting transcripts: organisers for any talk, speakers for their own talks only."""
import io

import pytest
from sqlalchemy import select

from tests.transcripts.samples import SRT_FR, VTT_EN, token_of
from webapp.models import AuditEntry, SearchQueueEntry, Transcript


@pytest.fixture
def organiser(manage_client):
    client, _user = manage_client("organiser")
    return client


def upload(client, talk, data: bytes, language="fr", filename="talk.srt", token=None, url=None):
    url = url or f"/manage/talks/{talk.id}/transcripts"
    if token is None:
        token = token_of(client.get(f"/manage/talks/{talk.id}/edit").get_data(as_text=True))
    form = {"csrf_token": token, "language": language, "file": (io.BytesIO(data), filename)}
    return client.post(url, data=form, content_type="multipart/form-data")


def transcripts_of(db, talk) -> list[Transcript]:
    db.session.expire_all()
    return list(db.session.scalars(select(Transcript).where(Transcript.talk_id == talk.id)))


def test_an_organiser_uploads_an_srt_file_and_it_is_kept_as_webvtt(db, organiser, make_talk):
    talk = make_talk("Le fablab de la médiathèque")
    db.session.commit()
    response = upload(organiser, talk, SRT_FR.encode())
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/manage/talks/{talk.id}/edit#transcripts")
    [transcript] = transcripts_of(db, talk)
    assert (transcript.language, transcript.cue_count, transcript.original_name) == ("fr", 4, "talk.srt")
    assert transcript.vtt.startswith("WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.500\nBonjour à tous")
    assert transcript.cues[2] == [754200, 759000, "Nous avons fabriqué un xylophone en carton."]
    page = organiser.get(f"/manage/talks/{talk.id}/edit").get_data(as_text=True)
    assert "The transcript was saved: 4 cues." in page and 'data-transcript-row="fr"' in page


def test_a_new_file_in_a_language_replaces_the_old_one_and_both_are_audited(db, organiser, make_talk,
                                                                             manage_client):
    talk = make_talk()
    db.session.commit()
    upload(organiser, talk, SRT_FR.encode(), filename="premier.srt")
    upload(organiser, talk, VTT_EN.encode(), language="fr", filename="second.vtt")
    assert [t.original_name for t in transcripts_of(db, talk)] == ["second.vtt"]
    entries = list(db.session.scalars(select(AuditEntry).where(AuditEntry.object_kind == "talk")
                                      .order_by(AuditEntry.id)))
    assert [entry.changes for entry in entries] == [
        {"transcript_fr": [None, "premier.srt (4)"]}, {"transcript_fr": ["premier.srt (4)", "second.vtt (3)"]}]
    assert all(entry.object_id == talk.id and entry.user_id is not None for entry in entries)
    admin, _user = manage_client("admin")
    journal = admin.get("/manage/audit").get_data(as_text=True)
    assert "Transcript (fr)" in journal and "second.vtt (3)" in journal


def test_an_organiser_deletes_a_transcript_with_the_forms_token(db, organiser, make_talk, add_transcript):
    talk = make_talk()
    add_transcript(talk, SRT_FR)
    token = token_of(organiser.get(f"/manage/talks/{talk.id}/edit").get_data(as_text=True))
    assert organiser.post(f"/manage/talks/{talk.id}/transcripts/fr/delete").status_code == 400  # no token
    assert len(transcripts_of(db, talk)) == 1
    response = organiser.post(f"/manage/talks/{talk.id}/transcripts/fr/delete", data={"csrf_token": token})
    assert response.status_code == 303 and transcripts_of(db, talk) == []
    assert organiser.post(f"/manage/talks/{talk.id}/transcripts/fr/delete",
                          data={"csrf_token": token}).status_code == 404
    entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
    assert entry.changes == {"transcript_fr": ["talk.srt (4)", None]}


def test_an_upload_without_the_csrf_token_is_refused(db, organiser, make_talk):
    talk = make_talk()
    db.session.commit()
    response = upload(organiser, talk, SRT_FR.encode(), token="forged")
    assert response.status_code == 400 and transcripts_of(db, talk) == []


@pytest.mark.parametrize("data, reason", [
    (b"\x00\x01\x02 binary", "not text"),
    ("Pas de minutage ici.".encode(), "not a WebVTT or SRT file"),
    (b"WEBVTT\n\nNOTE only\n", "no cue"),
    (b"WEBVTT\n\n00:05.000 --> 00:06.000\nb\n\n00:01.000 --> 00:02.000\na\n", "time order"),
])
def test_a_bad_file_gets_a_422_with_the_reason_and_nothing_is_kept(db, organiser, make_talk, data, reason):
    talk = make_talk()
    db.session.commit()
    response = upload(organiser, talk, data)
    assert response.status_code == 422
    assert reason in response.get_data(as_text=True)
    assert transcripts_of(db, talk) == [] and db.session.scalar(select(AuditEntry)) is None


def test_a_language_outside_the_archives_list_is_refused(db, organiser, make_talk):
    talk = make_talk()
    db.session.commit()
    response = upload(organiser, talk, SRT_FR.encode(), language="xx")
    assert response.status_code == 400 and transcripts_of(db, talk) == []


@pytest.fixture
def app_config():
    return {"TRANSCRIPT_MAX_BYTES": 100_000}


def test_a_file_over_the_limit_is_a_413_with_the_limit(db, organiser, make_talk):
    talk = make_talk()
    db.session.commit()
    big = ("1\n00:00:01,000 --> 00:00:02,000\n" + "é" * 200_000 + "\n").encode()
    response = upload(organiser, talk, big)
    assert response.status_code == 413
    assert "larger than the limit of 100" in response.get_data(as_text=True)
    assert transcripts_of(db, talk) == []


def test_a_speaker_uploads_and_deletes_the_transcript_of_their_own_talk(db, speaker_owning):
    client, talk = speaker_owning(title="Mon atelier")
    url = f"/profile/talks/{talk.id}/transcripts"
    page = client.get(url)
    assert page.status_code == 200 and "Upload the transcript" in page.get_data(as_text=True)
    token = token_of(page.get_data(as_text=True))
    response = upload(client, talk, VTT_EN.encode(), language="en", filename="en.vtt", token=token, url=url)
    assert response.status_code == 303 and response.headers["Location"].endswith(url)
    assert [t.language for t in transcripts_of(db, talk)] == ["en"]
    assert url in client.get("/profile", follow_redirects=True).get_data(as_text=True)
    response = client.post(f"{url}/en/delete", data={"csrf_token": token})
    assert response.status_code == 303 and transcripts_of(db, talk) == []


def test_a_speaker_may_not_touch_the_transcripts_of_another_talk(db, speaker_owning, make_talk, add_transcript):
    client, own = speaker_owning()
    other = make_talk("Pas le sien")
    add_transcript(other, SRT_FR)
    token = token_of(client.get(f"/profile/talks/{own.id}/transcripts").get_data(as_text=True))
    url = f"/profile/talks/{other.id}/transcripts"
    assert client.get(url).status_code == 403
    assert upload(client, other, SRT_FR.encode(), token=token, url=url).status_code == 403
    assert client.post(f"{url}/fr/delete", data={"csrf_token": token}).status_code == 403
    assert upload(client, other, SRT_FR.encode(), token=token).status_code == 403  # the workspace route
    assert len(transcripts_of(db, other)) == 1


def test_a_refusal_comes_before_the_body_is_read(db, speaker_owning, make_talk):
    """A stranger's upload over the limit is a 403, not a 413: its body never decides the answer."""
    client, _own = speaker_owning()
    other = make_talk()
    db.session.commit()
    big = b"x" * 300_000
    response = client.post(f"/profile/talks/{other.id}/transcripts", data=big, content_type="multipart/form-data")
    assert response.status_code == 403


def test_visitors_are_sent_to_log_in(db, client, make_talk):
    talk = make_talk()
    db.session.commit()
    for url in (f"/manage/talks/{talk.id}/transcripts", f"/profile/talks/{talk.id}/transcripts"):
        response = client.post(url, data={"language": "fr"})
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_upload_queues_the_talk_and_a_rollback_queues_nothing(db, make_talk):
    from webapp.transcripts.operations import save_transcript

    talk = make_talk()
    db.session.commit()
    db.session.execute(SearchQueueEntry.__table__.delete())
    db.session.commit()
    save_transcript(talk, "fr", io.BytesIO(SRT_FR.encode()), "a.srt", None)
    db.session.rollback()
    assert db.session.scalar(select(SearchQueueEntry)) is None
    save_transcript(talk, "fr", io.BytesIO(SRT_FR.encode()), "a.srt", None)
    db.session.commit()
    assert f"talk:{talk.id}" in set(db.session.scalars(select(SearchQueueEntry.doc_id)))


def test_deleting_a_talk_deletes_its_transcripts(db, make_talk, make_user, add_transcript):
    from webapp.catalogue.operations.talks import delete_talk

    talk = make_talk()
    add_transcript(talk, SRT_FR)
    delete_talk(make_user("organiser"), talk)
    db.session.commit()
    assert db.session.scalar(select(Transcript)) is None
