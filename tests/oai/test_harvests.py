"""Resumption tokens, tombstones and incremental harvests, through the endpoint."""
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete

from tests.catalogue.query_plans import PLANNER_SETTINGS
from tests.oai.oai_xml import NS, error_code, identifiers, token_of
from webapp.models import Status, Talk

PAGE_SIZE = 5


@pytest.fixture
def app_config():
    return {"OAI_PAGE_SIZE": PAGE_SIZE, "OAI_TOKEN_SECONDS": 60}


def _id(identifier: str) -> int:
    return int(identifier.rsplit("/", 1)[1])


def harvest(oai, between_pages=lambda page: None, verb="ListIdentifiers", **arguments):
    """Every identifier of a list, page by page through its tokens; between_pages(n) after page n."""
    document, found, page = oai(verb=verb, metadataPrefix="oai_dc", **arguments), [], 0
    while True:
        found += identifiers(document)
        token = token_of(document)
        if token is None or not token.text:
            return found, document
        assert int(token.get("cursor")) == len(found) - len(identifiers(document))
        page += 1
        between_pages(page)
        document = oai(verb=verb, resumptionToken=token.text)


def test_a_harvest_pages_through_tokens_and_ends_with_an_empty_one(oai, db, make_talk, make_event):
    event = make_event()
    talks = [make_talk(event=event) for _ in range(12)]
    db.session.commit()
    found, last = harvest(oai, verb="ListRecords")
    assert [_id(i) for i in found] == [t.id for t in talks]
    token = token_of(last)
    assert token.text is None and token.get("completeListSize") == "12" and token.get("cursor") == "10"


def test_each_record_once_while_organisers_publish_and_unpublish(oai, db, make_talk, make_event):
    event = make_event()
    talks = [make_talk(event=event) for _ in range(20)]
    drafts = [make_talk(event=event, status=Status.DRAFT) for _ in range(4)]
    db.session.commit()
    changes = [(talks[1], Status.DRAFT), (drafts[0], Status.PUBLISHED), (talks[15], Status.DRAFT),
               (drafts[3], Status.PUBLISHED)]

    def publish_or_withdraw(page):
        """A change, and an edit of a talk the harvest has already passed (its datestamp moves)."""
        if page <= len(changes):
            talk, status = changes[page - 1]
            db.session.get(Talk, talk.id).status = status
            db.session.get(Talk, talks[0].id).title = f"Retitled during page {page}"
            db.session.commit()

    found, _ = harvest(oai, publish_or_withdraw)
    assert len(found) == len(set(found))  # nobody twice
    ids = {_id(i) for i in found}
    assert ids >= {t.id for t in talks} and {drafts[0].id, drafts[3].id} <= ids
    assert drafts[1].id not in ids

def test_unpublished_and_deleted_talks_answer_as_deleted_records(oai, db, make_talk):
    withdrawn, gone, kept = make_talk(), make_talk(), make_talk()
    db.session.commit()
    withdrawn.status = Status.DRAFT
    db.session.delete(gone)
    db.session.commit()
    db.session.execute(delete(Talk).where(Talk.id == kept.id))  # a bulk delete skips the flush events
    db.session.commit()
    document = oai(verb="ListRecords", metadataPrefix="oai_dc")
    headers = document.findall(".//oai:header", NS)
    assert [(_id(h.findtext("oai:identifier", namespaces=NS)), h.get("status")) for h in headers] == [
        (withdrawn.id, "deleted"), (gone.id, "deleted"), (kept.id, "deleted")]
    assert document.find(".//oai:metadata", NS) is None
    record = oai(verb="GetRecord", identifier=f"oai:127.0.0.1:talk/{gone.id}", metadataPrefix="oai_dc")
    assert record.find(".//oai:header", NS).get("status") == "deleted"


def test_deleting_an_event_leaves_the_tombstones_of_its_talks(oai, db, make_talk, make_event):
    event = make_event()
    talk_ids, slug = [make_talk(event=event).id for _ in range(2)], event.slug
    db.session.commit()
    db.session.delete(event)  # the database's cascade deletes the talks
    db.session.commit()
    document = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set=f"event:{slug}")
    headers = document.findall(".//oai:header", NS)
    assert [(_id(h.findtext("oai:identifier", namespaces=NS)), h.get("status")) for h in headers] == [
        (talk_ids[0], "deleted"), (talk_ids[1], "deleted")]


def test_list_sets_pages_through_tokens(oai, db, make_talk, make_event):
    for n in range(7):
        make_talk(event=make_event(slug=f"journee-{n}"), tags=[f"sujet-{n}"])
    db.session.commit()
    document, specs = oai(verb="ListSets"), []
    while True:
        specs += [element.text for element in document.iterfind(".//oai:setSpec", NS)]
        token = token_of(document)
        if token is None or not token.text:
            break
        document = oai(verb="ListSets", resumptionToken=token.text)
    assert specs == ["event", "tag", *(f"event:journee-{n}" for n in range(7)), *(f"tag:sujet-{n}" for n in range(7))]
    assert token.get("completeListSize") == "16"


def test_republishing_makes_the_record_live_again(oai, db, make_talk):
    talk = make_talk()
    db.session.commit()
    talk.status = Status.DRAFT
    db.session.commit()
    talk.status = Status.PUBLISHED
    db.session.commit()
    document = oai(verb="GetRecord", identifier=f"oai:127.0.0.1:talk/{talk.id}", metadataPrefix="oai_dc")
    assert document.find(".//oai:header", NS).get("status") is None
    assert document.find(".//oai_dc:dc", NS) is not None


def test_a_draft_never_public_has_no_record(oai, db, make_talk):
    draft = make_talk(status=Status.DRAFT)
    db.session.commit()
    document = oai(verb="GetRecord", identifier=f"oai:127.0.0.1:talk/{draft.id}", metadataPrefix="oai_dc")
    assert error_code(document) == "idDoesNotExist"


def _next_second() -> datetime:
    time.sleep(1 - datetime.now(timezone.utc).microsecond / 1e6 + 0.01)
    return datetime.now(timezone.utc).replace(microsecond=0)


def test_an_incremental_harvest_returns_exactly_the_records_changed_since(oai, db, make_talk, make_speaker):
    speaker = make_speaker("Ada Lovelace")
    talks = [make_talk(speakers=[speaker] if n == 3 else [], tags=["outil"] if n == 4 else []) for n in range(8)]
    db.session.commit()
    since = _next_second()
    talks[0].title = "Nouveau titre"
    talks[1].status = Status.DRAFT
    talks[2].duration_minutes = 45  # not shown in the record: its datestamp stays
    db.session.commit()
    speaker.name = "Ada King"  # shows in talk 3's record
    db.session.commit()
    from webapp.models import Tag

    db.session.scalar(db.select(Tag).where(Tag.name == "outil")).name = "outils"
    db.session.commit()
    stamp = since.strftime("%Y-%m-%dT%H:%M:%SZ")
    found, _ = harvest(oai, **{"from": stamp})
    assert sorted(_id(i) for i in found) == sorted(t.id for t in talks[:2] + talks[3:5])
    before, _ = harvest(oai, until=(since - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert {_id(i) for i in before} == {t.id for t in talks[2:3] + talks[5:]}


def test_tampered_and_expired_tokens_are_bad_resumption_tokens(oai, app, db, make_talk, make_event):
    event = make_event()
    for _ in range(PAGE_SIZE + 1):
        make_talk(event=event)
    db.session.commit()
    token = token_of(oai(verb="ListIdentifiers", metadataPrefix="oai_dc")).text
    assert error_code(oai(verb="ListIdentifiers", resumptionToken=token[:-2] + "xx")) == "badResumptionToken"
    assert error_code(oai(verb="ListRecords", resumptionToken=token)) == "badResumptionToken"  # another verb
    assert error_code(oai(verb="ListIdentifiers", resumptionToken=token)) is None
    app.config["OAI_TOKEN_SECONDS"] = 0
    time.sleep(1.1)
    assert error_code(oai(verb="ListIdentifiers", resumptionToken=token)) == "badResumptionToken"


def _plan(db, query) -> list[str]:
    """The plan's steps: SQLite's EXPLAIN QUERY PLAN lines, or PostgreSQL's nodes written in the
    same words ("SEARCH ... USING INDEX <name>", "SCAN <table>", "USE TEMP B-TREE" for a sort),
    planned as for large tables (tests/catalogue/query_plans.py: PLANNER_SETTINGS)."""
    from sqlalchemy import text

    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    sql = str(compiled)
    if db.engine.dialect.name == "sqlite":  # SQLite's LIMIT -1 (for an OFFSET alone) stays a bind
        binds = tuple(compiled.params[name] for name in compiled.positiontup or ())
        return [row[-1] for row in db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql, binds)]
    for setting in PLANNER_SETTINGS:
        db.session.execute(text(f"SET LOCAL {setting} = off"))
    plan = db.session.execute(text("EXPLAIN (FORMAT JSON) " + sql)).scalar()[0]["Plan"]
    return list(_postgresql_steps(plan))


def _postgresql_steps(node: dict):
    kind = node["Node Type"]
    if kind in ("Index Scan", "Index Only Scan", "Bitmap Index Scan"):
        yield f"SEARCH {node.get('Relation Name', '')} USING INDEX {node['Index Name']}"
    elif kind == "Seq Scan":
        yield f"SCAN {node['Relation Name']}"
    elif kind in ("Sort", "Incremental Sort"):
        yield f"USE TEMP B-TREE FOR ORDER BY ({node.get('Sort Key')})"
    for child in node.get("Plans", []):
        yield from _postgresql_steps(child)


@pytest.mark.parametrize("arguments", [{}, {"from_at": 0, "until_at": 2 ** 35}, {"set_spec": "tag:outil"},
                                       {"set_spec": "event:journee", "from_at": 0, "until_at": 2 ** 35}])
def test_a_long_list_walks_its_key_from_where_the_last_page_ended(db, arguments):
    """No page of a long harvest reads the records before its position, nor sorts: a SEARCH of a
    key in order, on SQLite and on PostgreSQL."""
    from webapp.oai.tokens import ListState

    state = ListState("ListRecords", "oai_dc", arguments.get("from_at"), arguments.get("until_at"),
                      arguments.get("set_spec"), after=1000, size=100_000)
    from webapp.oai.queries import record_page_query

    plan = _plan(db, record_page_query(state, 501))
    assert plan and all(step.startswith("SEARCH") for step in plan), plan
    assert not any("TEMP B-TREE" in step or "datestamp" in step for step in plan), plan


@pytest.mark.parametrize("arguments", [{"from_at": 2 ** 30}, {"until_at": 2 ** 30}, {"from_at": 0, "until_at": 2 ** 30},
                                       {"from_at": 2 ** 30, "set_spec": "tag"}])
def test_a_short_list_is_read_through_the_datestamp_index(db, arguments):
    """Within a set too: the set table never leads a short list (it would read every set link)."""
    from webapp.oai.queries import short_list_query
    from webapp.oai.tokens import ListState

    state = ListState("ListRecords", "oai_dc", arguments.get("from_at"), arguments.get("until_at"),
                      arguments.get("set_spec"), after=0, size=12)
    plan = _plan(db, short_list_query(state))
    assert any("ix_oai_records_datestamp" in step for step in plan), plan
    assert not any("oai_record_sets" in step for step in plan[:1]), plan
