"""Importing spreadsheets: dry run, idempotency, speakers matched as the pyvideo import does,
nothing half-imported, the workspace pages and what hostile uploads get."""
import json
import os
import re
import threading
import time
from io import BytesIO

import pytest
from sqlalchemy import func, select

from webapp.importing.spreadsheet_fields import guess_mapping
from webapp.importing.spreadsheet_import import import_spreadsheet
from webapp.importing.spreadsheet_reading import read_sheet
from webapp.importing.spreadsheet_staging import batch_folder, confirm_plan, remove_old_batches
from webapp.importing.spreadsheet_worker import import_waiting_sheets
from webapp.models import Event, SpeakerAlias, Talk

SHEET = ("Événement;Titre;Intervenant(e)s;Date;Heure;Mots-clés\n"
         "Journée mednum 2016;Café numérique;Léa Dupont et Paul Durand;05/10/2016;14h30;#mednum #café\n"
         "Journée mednum 2016;Des blogs thématiques;Sophie Perrusson;05/10/2016;09h30;blogs\n"
         "Journée mednum 2016;;Personne;05/10/2016;;\n"
         "Journée mednum 2016;Une grainothèque;Anne Martin;31/02/2016;;\n")


def imported(db, text=SHEET, event=None, mapping=None):
    sheet = read_sheet(text.encode("cp1252"))
    report = import_spreadsheet(sheet, mapping or guess_mapping(sheet.headers), event)
    db.session.commit()
    return report


def talk_count(db) -> int:
    return db.session.scalar(select(func.count(Talk.id)))


def test_report_lists_created_and_refused_rows_with_reasons(db, english_messages):
    report = imported(db)
    assert [(o.row_number, o.action) for o in report.outcomes] == [
        (2, "create"), (3, "create"), (4, "refuse"), (5, "refuse")]
    assert "title is empty" in report.outcomes[2].reason
    assert "31/02/2016" in report.outcomes[3].reason
    assert report.events_created == ["Journée mednum 2016"] and report.speakers_created == 3
    talk = db.session.scalar(select(Talk).where(Talk.title == "Café numérique"))
    assert [s.name for s in talk.speakers] == ["Léa Dupont", "Paul Durand"]
    assert {t.name for t in talk.tags} == {"mednum", "café"}
    assert talk.event.title == "Journée mednum 2016" and talk.is_published


def test_importing_the_same_sheet_again_changes_nothing(db):
    imported(db)
    again = imported(db)
    assert [o.action for o in again.outcomes] == ["unchanged", "unchanged", "refuse", "refuse"]
    assert again.events_created == [] and again.speakers_created == 0
    assert talk_count(db) == 2 and db.session.scalar(select(func.count(Event.id))) == 1


def test_changed_cells_update_the_talk_found_by_its_key(db, make_event):
    event = make_event("Rencontres 2017")
    db.session.commit()
    imported(db, "id;Titre;Durée\nr1;Premier titre;30\n", event=event)
    report = imported(db, "id;Titre;Durée\nr1;Titre corrigé;45\n", event=event)
    assert [o.action for o in report.outcomes] == ["update"]
    talk = db.session.scalar(select(Talk).where(Talk.event_id == event.id))
    assert (talk.title, talk.duration_minutes) == ("Titre corrigé", 45)


def test_columns_not_mapped_leave_the_talk_alone(db, make_event):
    event = make_event("Rencontres 2018")
    db.session.commit()
    imported(db, "Titre;Vidéo;Mots-clés\nUn titre;https://v.example.org/1;fablab\n", event=event)
    report = imported(db, "Titre\nUn titre\n", event=event)
    talk = db.session.scalar(select(Talk).where(Talk.event_id == event.id))
    assert report.outcomes[0].action == "unchanged"
    assert talk.video_url == "https://v.example.org/1" and [t.name for t in talk.tags] == ["fablab"]


def test_speakers_are_matched_as_the_pyvideo_import_matches_them(db, make_speaker):
    speaker = make_speaker("Léa Dupont")
    db.session.add(SpeakerAlias(speaker=speaker, name="L. Dupont", name_key="l dupont", is_confirmed=True))
    db.session.commit()
    imported(db, "Événement;Titre;Intervenants\nJ;A;LEA DUPONT\nJ;B;L. Dupont\n")
    talks = db.session.scalars(select(Talk).where(Talk.import_key.like("sheet:%"))).all()
    assert {t.speakers[0].id for t in talks} == {speaker.id}


def test_named_events_are_found_again_by_title(db, make_event):
    existing = make_event("Journée Mednum 2016")
    db.session.commit()
    report = imported(db)
    assert report.events_created == []
    assert db.session.scalar(select(func.count(Talk.id)).where(Talk.event_id == existing.id)) == 2


# The workspace ------------------------------------------------------------------------------

def upload(client, data: bytes, name="programme.csv"):
    page = client.get("/manage/import/spreadsheet").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post("/manage/import/spreadsheet", content_type="multipart/form-data",
                       data={"csrf_token": token, "file": (BytesIO(data), name)})


def mapping_form(client, url: str) -> dict:
    page = client.get(url).get_data(as_text=True)
    form = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)}
    for name, value in re.findall(r'<select name="(column-\w+)"[^>]*>(?:(?!</select>).)*?'
                                  r'<option value="(\d+)" selected', page, re.S):
        form[name] = value
    return form


def test_upload_guess_dry_run_confirm_and_progress(app, db, manage_client):
    client, _user = manage_client()
    response = upload(client, SHEET.encode("cp1252"))
    assert response.status_code == 303
    url = response.headers["Location"]
    form = mapping_form(client, url)
    assert form["column-title"] == "1" and form["column-event"] == "0"
    preview = client.post(url, data={**form, "action": "preview"}).get_data(as_text=True)
    assert "2 talks created" in preview and "2 rows refused" in preview and "title is empty" in preview
    assert talk_count(db) == 0  # the dry run kept nothing
    confirmed = client.post(url, data={**form, "action": "confirm"})
    assert confirmed.status_code == 303 and confirmed.headers["Location"].endswith("/progress")
    status_url = url + "/status.json"
    assert client.get(status_url).get_json() == {"state": "queued", "done": 0, "total": 2}
    assert import_waiting_sheets(app) == 1
    assert client.get(status_url).get_json()["state"] == "done"
    assert talk_count(db) == 2
    page = client.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert "2 created" in page and "/events/" in page
    assert client.post(url, data={**form, "action": "confirm"}).status_code == 303  # to progress
    assert import_waiting_sheets(app) == 0


def test_a_row_failing_at_confirm_lands_nothing(app, db, manage_client):
    client, _user = manage_client()
    url = upload(client, SHEET.encode("cp1252")).headers["Location"]
    client.post(url, data={**mapping_form(client, url), "action": "confirm"})
    folder = batch_folder(url.rsplit("/", 1)[1])
    staged = json.loads((folder / "sheet.json").read_text())
    staged["rows"][1][1][3] = "32/10/2016"  # row 3 no longer reads as a date
    (folder / "sheet.json").write_text(json.dumps(staged))
    import_waiting_sheets(app)
    status = client.get(url + "/status.json").get_json()
    assert status["state"] == "failed" and talk_count(db) == 0
    assert db.session.scalar(select(func.count(Event.id))) == 0
    page = client.get(url + "/progress").get_data(as_text=True)
    assert "Nothing was imported" in page and "Row 3:" in page and "32/10/2016" in page


def test_two_organisers_confirming_at_once_queue_one_import(app, db, manage_client):
    client, _user = manage_client()
    url = upload(client, SHEET.encode("cp1252")).headers["Location"]
    folder = batch_folder(url.rsplit("/", 1)[1])
    mapping = guess_mapping(["Événement", "Titre"])
    outcomes = []
    threads = [threading.Thread(target=lambda: outcomes.append(confirm_plan(folder, mapping, None, [2], "fr")))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False] * 7 + [True]
    assert import_waiting_sheets(app) == 1 and talk_count(db) == 1


@pytest.mark.parametrize("data, status, message", [
    (b"\x00\x01\x02 not text", 400, "neither a CSV"),
    (b"PK\x03\x04 broken zip", 400, "neither a CSV"),
    (b"Titre;Date\n", 400, "The sheet is empty"),
    (b"", 400, "Choose a CSV"),
    ((";".join(["c"] * 5000) + "\nx\n").encode(), 400, "more than 200 columns"),
])
def test_hostile_uploads_get_a_message_never_a_500(manage_client, data, status, message):
    client, _user = manage_client()
    response = upload(client, data)
    assert response.status_code == status and message in response.get_data(as_text=True)


@pytest.fixture
def app_config():
    return {"SPREADSHEET_MAX_BYTES": 20_000}


def test_a_file_over_the_limit_is_refused_with_413(manage_client):
    client, _user = manage_client()
    response = upload(client, ("Titre\n" + "x" * 30_000 + "\n").encode())
    assert response.status_code == 413 and "larger than the limit" in response.get_data(as_text=True)
    response = upload(client, b"Titre\n" + b"y" * 200_000)  # past the form's own limit too
    assert response.status_code == 413


def test_speakers_and_visitors_cannot_import(app, manage_client):
    anonymous = app.test_client()
    assert anonymous.get("/manage/import/spreadsheet").status_code == 302
    assert anonymous.post("/manage/import/spreadsheet", data=b"x" * 100_000).status_code == 302  # before the body
    speaker_client, _user = manage_client("speaker")
    assert speaker_client.get("/manage/import/spreadsheet").status_code == 403
    assert speaker_client.get("/manage/import/spreadsheet/" + "a" * 24).status_code == 403


def test_unknown_tokens_and_forged_columns(manage_client):
    client, _user = manage_client()
    assert client.get("/manage/import/spreadsheet/not-a-token").status_code == 404
    assert client.get("/manage/import/spreadsheet/" + "a" * 24 + "/status.json").status_code == 404
    url = upload(client, SHEET.encode()).headers["Location"]
    form = mapping_form(client, url)
    assert client.post(url, data={**form, "column-title": "99"}).status_code == 400
    assert client.post(url, data={**form, "event_id": "12345"}).status_code == 404
    missing = client.post(url, data={**form, "column-title": "", "action": "preview"})
    assert missing.status_code == 400 and "titles" in missing.get_data(as_text=True)


def test_old_staged_sheets_are_removed_but_not_waiting_ones(app, manage_client):
    client, _user = manage_client()
    old = batch_folder(upload(client, SHEET.encode()).headers["Location"].rsplit("/", 1)[1])
    waiting = batch_folder(upload(client, SHEET.encode()).headers["Location"].rsplit("/", 1)[1])
    confirm_plan(waiting, {"title": 1, "event": 0}, None, [2], "fr")
    week_ago = time.time() - 8 * 24 * 3600
    for folder in (old, waiting):
        os.utime(folder, (week_ago, week_ago))
    assert remove_old_batches() == 1 and not old.exists() and waiting.exists()
