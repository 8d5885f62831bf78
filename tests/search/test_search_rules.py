"""Search rules: synonyms and redirects added by organisers, applied by /search and the API at once."""
import re

import pytest
from sqlalchemy import select

from webapp.models import AuditEntry, SearchQueryDay, SearchRule, SearchRuleKind
from webapp.search import operations as search_rules
from webapp.search.operations import InvalidRule, clean_redirect_path, expand_synonyms
from webapp.stats.collector import flush_counts

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"}
NEW_RULE = "/manage/search-rules/new"


@pytest.fixture
def rule(db, make_user):
    def make(query, replacement, kind=SearchRuleKind.SYNONYM):
        created = search_rules.create_rule(make_user(), query, kind.value, replacement)
        db.session.commit()
        return created

    return make


@pytest.fixture
def mednum_talk(db, make_talk, drain):
    talk = make_talk("La médiation numérique en bibliothèque", slug="mediation-en-bib")
    make_talk("Un wiki pour la documentation", slug="wiki-doc")
    db.session.commit()
    drain()
    return talk


# Validation -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/tags/mednumsavoirs", "/talks/la-mediation?from=search",
                                  "/events/journee-2016#programme"])
def test_local_paths_are_accepted(app, path):
    assert clean_redirect_path(f"  {path} ") == path


@pytest.mark.parametrize("path", [
    "https://evil.example/", "//evil.example/x", "///evil.example", "/\\evil.example", "\\\\evil.example",
    "javascript:alert(1)", "tags/mednum", "/tags/med num", "/tags/\x00x", "/tags/\nx", "/tags/\u0085x",
    "data:text/html,x", "http:/evil.example", "", "/" + "a" * 300,
])
def test_paths_to_other_sites_or_odd_paths_are_refused(app, path):
    with pytest.raises(InvalidRule) as refused:
        clean_redirect_path(path)
    assert refused.value.field == "replacement"


@pytest.mark.parametrize(("kind", "query", "replacement", "field"), [
    ("synonym", "mednum", 'médiation "numérique"', "replacement"),
    ("synonym", "mednum", "  MedNum ", "replacement"),
    ("synonym", "mednum", "---", "replacement"),
    ("synonym", "   ", "médiation", "query"),
    ("synonym", "?!", "médiation", "query"),
    ("teleport", "mednum", "médiation", "kind"),
    ("redirect", "mednum", "https://evil.example", "replacement"),
])
def test_bad_rules_are_refused_with_the_field_at_fault(db, make_user, kind, query, replacement, field):
    with pytest.raises(InvalidRule) as refused:
        search_rules.create_rule(make_user(), query, kind, replacement)
    assert refused.value.field == field
    assert db.session.scalars(select(SearchRule)).all() == []


def test_a_query_has_one_rule_at_most(db, rule, make_user):
    rule("Mednum", "médiation numérique")
    with pytest.raises(InvalidRule) as refused:
        search_rules.create_rule(make_user(), "  MEDNUM ", "redirect", "/tags/mednum")
    assert refused.value.field == "query"


# Expansion --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "expanded"), [
    ("mednum", 'mednum OR "médiation numérique"'),
    ("MedNum lyon", 'MedNum OR "médiation numérique" lyon'),
    ("blog OR mednum", 'blog OR mednum OR "médiation numérique"'),
    ('"mednum"', '"mednum"'),
    ("-mednum", "-mednum"),
    ("NOT mednum", "NOT mednum"),
    ("title:mednum", "title:mednum"),
    ("mednumsavoirs", "mednumsavoirs"),
    ("fab lab à lyon", '"fab lab" OR #fablab à lyon'),
])
def test_synonyms_expand_words_and_runs_of_words(db, rule, query, expanded):
    rule("mednum", "médiation numérique")
    rule("fab lab", "#fablab")
    assert expand_synonyms(query) == expanded


def test_redirects_do_not_expand_and_queries_without_rules_are_unchanged(db, rule):
    rule("programme", "/events/journee", SearchRuleKind.REDIRECT)
    assert expand_synonyms("programme") == "programme"
    assert expand_synonyms("wiki") == "wiki"


# Applied by the search ------------------------------------------------------------------------

def test_a_synonym_added_from_a_zero_result_query_is_found_by_the_next_search(
        app, db, client, manage_client, submit_form, mednum_talk, found):
    assert client.get("/search?q=mednum", headers=BROWSER).status_code == 200
    flush_counts(app)
    assert db.session.scalar(select(SearchQueryDay.zero_result_count).where(SearchQueryDay.query == "mednum")) == 1
    assert found("mednum") == []

    organiser, _user = manage_client()
    dashboard = organiser.get("/manage/stats").get_data(as_text=True)
    assert 'href="/manage/search-rules/new?query=mednum"' in dashboard
    response = submit_form(organiser, f"{NEW_RULE}?query=mednum",
                           {"query": "mednum", "kind": "synonym", "replacement": "médiation numérique"},
                           action=NEW_RULE)
    assert response.status_code == 302

    page = client.get("/search?q=mednum").get_data(as_text=True)
    assert 'href="/talks/mediation-en-bib"' in page
    assert 'href="/talks/wiki-doc"' not in page
    api = client.get("/api/v1/search?q=Mednum").get_json()
    assert [item["slug"] for item in api["results"]] == ["mediation-en-bib"]
    assert api["query"] == "Mednum" and api["redirect"] is None


def test_a_synonym_also_applies_inside_a_longer_query(db, client, rule, mednum_talk):
    rule("mednum", "médiation numérique")
    api = client.get("/api/v1/search?q=bibliothèque mednum").get_json()
    assert [item["slug"] for item in api["results"]] == ["mediation-en-bib"]
    assert client.get("/api/v1/search?q=wiki -mednum").get_json()["total"] == 1


def test_deleting_a_synonym_stops_it_at_once(db, client, rule, manage_client, submit_form, mednum_talk):
    created = rule("mednum", "médiation numérique")
    assert client.get("/api/v1/search?q=mednum").get_json()["total"] == 1
    organiser, _user = manage_client()
    url = f"/manage/search-rules/{created.id}/delete"
    assert submit_form(organiser, url, {}).status_code == 302
    assert client.get("/api/v1/search?q=mednum").get_json()["total"] == 0


def test_a_redirect_opens_the_page_only_for_the_whole_query(db, client, rule, mednum_talk):
    rule("Programme 2016", "/talks/mediation-en-bib", SearchRuleKind.REDIRECT)
    response = client.get("/search?q=programme   2016")
    assert response.status_code == 302 and response.headers["Location"] == "/talks/mediation-en-bib"
    assert client.get("/search?q=programme 2016 lyon").status_code == 200
    assert client.get("/search?q=programme 2016&year=2016").status_code == 200
    api = client.get("/api/v1/search?q=PROGRAMME 2016").get_json()
    assert api["redirect"] == "http://127.0.0.1:8000/talks/mediation-en-bib"


# The workspace pages --------------------------------------------------------------------------

def test_rules_are_listed_edited_and_audited(db, manage_client, submit_form):
    organiser, user = manage_client()
    submit_form(organiser, NEW_RULE, {"query": "MedNum", "kind": "synonym", "replacement": "médiation"})
    created = db.session.scalar(select(SearchRule))
    assert (created.query, created.kind, created.created_by_id) == ("mednum", SearchRuleKind.SYNONYM, user.id)
    edit = f"/manage/search-rules/{created.id}/edit"
    assert 'value="médiation"' in organiser.get(edit).get_data(as_text=True)
    response = submit_form(organiser, edit, {"query": "mednum", "kind": "redirect", "replacement": "/tags/mednum"})
    assert response.status_code == 302
    listing = organiser.get("/manage/search-rules/").get_data(as_text=True)
    assert "mednum" in listing and "/tags/mednum" in listing and "Redirect" in listing
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.object_kind == "search_rule")
                                 .order_by(AuditEntry.id)).all()
    assert [(e.action, e.object_label, e.user_id) for e in entries] == [("create", "mednum", user.id),
                                                                          ("update", "mednum", user.id)]
    assert entries[1].changes == {"kind": ["synonym", "redirect"], "replacement": ["médiation", "/tags/mednum"]}


@pytest.mark.parametrize("data", [
    {"query": "mednum", "kind": "redirect", "replacement": "//evil.example/phish"},
    {"query": "mednum", "kind": "redirect", "replacement": "javascript:alert(document.cookie)"},
    {"query": "mednum", "kind": "synonym", "replacement": '"><script>alert(1)</script>'},
    {"query": "x" * 201, "kind": "synonym", "replacement": "médiation"},
    {"query": "mednum", "kind": "synonym", "replacement": "m" * 301},
    {"query": "mednum", "kind": "<script>", "replacement": "médiation"},
    {"query": "mednum", "kind": "synonym"},
])
def test_hostile_rules_are_refused_with_a_422(db, manage_client, submit_form, data):
    organiser, _user = manage_client()
    response = submit_form(organiser, NEW_RULE, data)
    assert response.status_code == 422
    assert "<script>alert" not in response.get_data(as_text=True)
    assert db.session.scalars(select(SearchRule)).all() == []


def test_a_rule_without_its_csrf_token_is_refused(db, manage_client):
    organiser, _user = manage_client()
    response = organiser.post(NEW_RULE, data={"query": "mednum", "kind": "synonym", "replacement": "médiation"})
    assert response.status_code == 400
    assert db.session.scalars(select(SearchRule)).all() == []


def test_the_new_rule_form_is_prefilled_from_the_zero_result_query(manage_client):
    organiser, _user = manage_client()
    page = organiser.get(f"{NEW_RULE}?query=méd%20num").get_data(as_text=True)
    assert re.search(r'name="query"[^>]*value="méd num"', page)


@pytest.mark.parametrize("url", [NEW_RULE, "/manage/search-rules/", "/manage/stats"])
def test_rules_and_statistics_are_for_organisers_only(db, client, make_user, login_as, url):
    assert "/login" in client.get(url).headers["Location"]
    user = make_user("speaker")
    db.session.commit()
    speaker = login_as(user)
    assert speaker.get(url).status_code == 403
    refused = speaker.post(NEW_RULE, data={"query": "x", "kind": "synonym", "replacement": "y"})
    assert refused.status_code in (400, 403)  # CSRF is checked first
    assert db.session.scalars(select(SearchRule)).all() == []
