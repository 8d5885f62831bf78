"""Records follow every change to what they show, bulk statements included; /oai is never served
from the page cache."""
import pytest
from sqlalchemy import insert, text, update

from tests.oai.oai_xml import NS
from webapp.models import DeckKind, DeckStatus, OaiRecord, SlideDeck, Status, Talk, talk_tags


def _record(oai, talk):
    return oai(verb="GetRecord", identifier=f"oai:127.0.0.1:talk/{talk.id}", metadataPrefix="oai_dc")


def test_a_ready_slide_deck_adds_its_download_and_media_type(oai, db, make_talk):
    talk = make_talk()
    db.session.commit()
    deck = SlideDeck(talk_id=talk.id, version=1, kind=DeckKind.PDF, original_name="slides.pdf", sha256="0" * 64,
                     size=10, storage_key="k", status=DeckStatus.PROCESSING)
    db.session.add(deck)
    db.session.commit()
    assert len(_record(oai, talk).findall(".//dc:identifier", NS)) == 1  # not ready yet
    deck.status = DeckStatus.READY
    db.session.commit()
    document = _record(oai, talk)
    assert [e.text for e in document.iterfind(".//dc:identifier", NS)][1] == (
        f"http://127.0.0.1:8000/slides/{deck.id}/slides.pdf")
    assert "application/pdf" in [e.text for e in document.iterfind(".//dc:format", NS)]


def test_bulk_statements_move_the_records_too(oai, db, make_talk, make_tags):
    first, second = make_talk(), make_talk()
    db.session.commit()
    tag = make_tags("ajouté")[0]
    db.session.execute(insert(talk_tags).values(talk_id=first.id, tag_id=tag.id))
    db.session.execute(update(Talk).where(Talk.id == second.id).values(status=Status.DRAFT))
    db.session.commit()
    assert [e.text for e in _record(oai, first).iterfind(".//dc:subject", NS)] == ["ajouté"]
    assert _record(oai, second).find(".//oai:header", NS).get("status") == "deleted"


def test_talks_inserted_in_bulk_get_their_records(oai, db, make_event):
    event = make_event()
    db.session.commit()
    db.session.execute(insert(Talk), [{"slug": f"en-masse-{n}", "title": f"En masse {n}", "event_id": event.id,
                                       "position": n, "status": Status.PUBLISHED} for n in range(3)])
    db.session.commit()
    titles = [e.text for e in oai(verb="ListRecords", metadataPrefix="oai_dc").iterfind(".//dc:title", NS)]
    assert titles == ["En masse 0", "En masse 1", "En masse 2"]


def test_unpublishing_an_event_withdraws_its_talks(oai, db, make_talk, make_event):
    event = make_event()
    talk = make_talk(event=event)
    db.session.commit()
    event.status = Status.DRAFT
    db.session.commit()
    assert _record(oai, talk).find(".//oai:header", NS).get("status") == "deleted"


def test_a_change_not_shown_keeps_the_datestamp(db, make_talk):
    talk = make_talk()
    db.session.commit()
    before = db.session.get(OaiRecord, talk.id).datestamp
    db.session.execute(text("UPDATE oai_records SET datestamp = :old"), {"old": "2001-01-01 00:00:00"})
    db.session.commit()
    talk.duration_minutes, talk.import_key = 30, "file.json"
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(OaiRecord, talk.id).datestamp.year == 2001 != before.year


@pytest.mark.parametrize("app_config", [{"PAGE_CACHE": "filesystem", "PAGE_CACHE_SECONDS": 300}])
def test_the_page_cache_never_keeps_an_oai_answer(oai, db, make_talk, app_config):
    talk = make_talk("Avant")
    db.session.commit()
    assert _record(oai, talk).findtext(".//dc:title", namespaces=NS) == "Avant"
    source = dict(db.session.get(OaiRecord, talk.id).source, title="Après")
    with db.engine.begin() as connection:  # raw SQL: no session event, the cache's generation stays
        connection.execute(update(OaiRecord).where(OaiRecord.talk_id == talk.id).values(source=source))
    assert _record(oai, talk).findtext(".//dc:title", namespaces=NS) == "Après"
