"""In Chromium on a phone's width (360 and 390 px): no page is wider than the screen, and the search
facets can be reached from the top of the results."""
import io
from datetime import timedelta

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import other_page
from webapp.catalogue.operations.invitations import create_invitation
from webapp.core.audit import record_audit
from webapp.models import DailyCount, Metric, SearchQueryDay, SearchRule, SearchRuleKind
from webapp.paths.operations import add_talk, create_path, publish_path
from webapp.profile.photos import prepare_photo, set_speaker_photo
from webapp.slides.operations import attach_slides, process_pending_decks
from webapp.stats.params import today

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("compiled_translations")]
LONG_WORD = "Intercompréhensibilitédesbibliothèquesnumériquesdépartementalesmutualisées"
LONG_URL = "https://www.example.org/ressources/mediation-numerique/" + "journee-d-etude-" * 8 + "bilan.pdf"
LONG_ORGANISATION = ("Direction régionale des affaires culturelles d'Auvergne-Rhône-Alpes, "
                     "service du livre et de la lecture publique, " + LONG_WORD)
SPEAKER_LINKS = [{"label": "", "url": LONG_URL},
                 {"label": "Blog " + LONG_WORD, "url": "https://blog.example.org/"}]

PUBLIC_PAGES = [
    "/", "/events/", "/events/mednum-2016", "/talks/politique-mednum", "/speakers/",
    "/speakers/sophie-perrusson", "/tags/", "/tags/mednumsavoirs", "/search?q=bilan", "/login",
    "/password/forgot", "/paths/", "/embed/talks/politique-mednum",
]
# The page's width and the screen's, with the innermost elements that stick out (those scrolled
# inside a box of their own do not), to say what to fix.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const scrolled = element => {
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") { return true; }
    }
    return false;
  };
  const wide = [...document.querySelectorAll("body *")]
    .filter(element => element.getBoundingClientRect().right > width + 0.5 && !scrolled(element));
  const innermost = wide.filter(element => !wide.some(other => other !== element && element.contains(other)));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width,
          wide: innermost.slice(0, 5).map(element => element.tagName.toLowerCase() + "." + element.className)};
}"""


@pytest.fixture
def results_day(db, make_event, make_speaker, make_talk):
    """An event whose twenty talks all match "bilan", all given by Sophie Perrusson."""
    event = make_event("Médiation numérique des savoirs : journée d'étude régionale", slug="mednum-2016",
                       tags=["mednumsavoirs"], place="Institut national des études territoriales, Montpellier",
                       host_organisation=LONG_ORGANISATION, website_url=LONG_URL)
    sophie = make_speaker("Sophie Perrusson", slug="sophie-perrusson", headline="Bibliothécaire " + LONG_WORD,
                          organisation=LONG_ORGANISATION, links=SPEAKER_LINKS)
    for number in range(1, 21):
        make_talk(f"Bilan de l'atelier numéro {number}", slug=f"bilan-{number}", event=event, language="fr",
                  speakers=[sophie], tags=["ateliers"], summary="<p>Un bilan des ateliers.</p>")
    return event, sophie


@pytest.fixture
def archive(db, results_day, make_user, make_talk, make_pdf, drain):
    """Every kind of page, with long words, addresses and names; an account of each role."""
    event, sophie = results_day
    summary = f"<p>Le {LONG_WORD} et le bilan chiffré : <a href=\"{LONG_URL}\">{LONG_URL}</a></p>"
    talk = make_talk("Politique de médiation numérique des savoirs " + LONG_WORD, slug="politique-mednum",
                     event=event, speakers=[sophie], tags=["mednumsavoirs", LONG_WORD.lower()],
                     language="fr", summary=summary, video_url=LONG_URL)
    users = {role: make_user(role, email=f"{role}-{LONG_WORD.lower()}@example.org")
             for role in ("speaker", "organiser", "admin")}
    sophie.owners.append(users["speaker"])
    create_invitation(users["organiser"], sophie, "sophie.perrusson-" + LONG_WORD.lower() + "@example.org")
    set_speaker_photo(users["speaker"], sophie, prepare_photo(jpeg(300, 200)))
    attach_slides(talk, io.BytesIO(make_pdf("Bienvenue", LONG_WORD, LONG_URL)), "journée " + LONG_WORD + ".pdf",
                  users["organiser"], licence="CC-BY-4.0")
    record_audit(users["organiser"], "update", talk, {"summary": [LONG_URL, LONG_WORD]})
    path = create_path(users["organiser"], "Parcours " + LONG_WORD, f"Une lecture : {LONG_URL}")
    add_talk(users["organiser"], path, talk, note=f"{LONG_WORD} {LONG_URL}")
    publish_path(users["organiser"], path)
    rule = SearchRule(kind=SearchRuleKind.SYNONYM, query=LONG_WORD.lower(), replacement="bilan " + LONG_WORD)
    db.session.add(rule)
    day = today() - timedelta(days=2)
    db.session.add_all([
        DailyCount(day=day, metric=Metric.TALK_VIEW, object_id=talk.id, page=0, count=12),
        DailyCount(day=day, metric=Metric.SPEAKER_VIEW, object_id=sophie.id, page=0, count=3),
        SearchQueryDay(day=day, query=LONG_WORD.lower(), count=3, zero_result_count=3),
    ])
    db.session.commit()
    process_pending_decks()
    db.session.commit()
    drain()
    return {"talk": talk.id, "event": event.id, "speaker": sophie.id, "tag": talk.tags[0].id, "rule": rule.id,
            "path": path.id, "path_slug": path.slug, "users": users}


def jpeg(width: int, height: int) -> io.BytesIO:
    photo = io.BytesIO()
    Image.new("RGB", (width, height), (30, 110, 160)).save(photo, "JPEG")
    photo.seek(0)
    return photo


def phone(page, live_server, width=360, lang="en", session=None):
    """A page of a new context as wide as a phone, in `lang`, with the `session` cookie when given;
    its problems (console errors, failed requests) are checked with `page`'s."""
    narrow = other_page(page, locale=None, viewport={"width": width, "height": 740})
    cookies = {"lang": lang, "session": session}
    narrow.context.add_cookies([{"name": name, "value": value, "url": live_server}
                                for name, value in cookies.items() if value])
    return narrow


def session_of(login_as, user) -> str:
    """The session cookie of a new login session of user (without the login form's password hashing)."""
    return login_as(user).get_cookie("session").value


def too_wide(page, paths) -> list:
    """The paths whose page is wider than the screen, with what sticks out."""
    found = []
    for path in paths:
        response = page.goto(path, wait_until="load")  # the styles and scripts have run by then
        assert response.ok, (path, response.status)
        sizes = page.evaluate(OVERFLOW)
        if sizes["scrollWidth"] > sizes["innerWidth"]:
            found.append((path, sizes))
    return found


def workspace_paths(app, archive, prefix: str) -> list[str]:
    """Every page under prefix (/manage or /profile), its ids taken from the archive: a new page of
    the workspace is visited without being listed here. Downloads are not pages, nor are the pages of
    a staged upload (a spreadsheet's or a ZIP of decks' <token>: they exist only after an upload, and
    their own browser tests open them)."""
    values = {"event_id": archive["event"], "talk_id": archive["talk"], "speaker_id": archive["speaker"],
              "tag_id": archive["tag"], "rule_id": archive["rule"], "path_id": archive["path"],
              "slug": "sophie-perrusson"}
    paths = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(prefix) and "GET" in rule.methods and not rule.rule.endswith(".csv") \
                and "token" not in rule.arguments:
            paths.add(rule.build({name: values[name] for name in rule.arguments})[1])
    return sorted(paths)


def test_no_page_is_wider_than_a_phone(app, page, live_server, archive, login_as):
    """Also: no console error, failed request or error status on any of them (the page fixture)."""
    users = archive["users"]
    roles = [
        (None, [*PUBLIC_PAGES, f"/paths/{archive['path_slug']}"]),
        ("speaker", workspace_paths(app, archive, "/profile")),
        ("admin", workspace_paths(app, archive, "/manage")),
    ]
    found = []
    for role, paths in roles:
        session = session_of(login_as, users[role]) if role else None
        narrow = phone(page, live_server, session=session)
        found += too_wide(narrow, paths)
        narrow.context.close()
    for width, lang, paths in [(390, "en", ["/", "/talks/politique-mednum", "/speakers/sophie-perrusson"]),
                               (360, "fr", ["/", "/search?q=bilan"])]:  # French words are longer
        other = phone(page, live_server, width=width, lang=lang)
        found += too_wide(other, paths)
        other.context.close()
    assert found == [], "\n".join(map(str, found))


@pytest.fixture
def indexed_results(db, results_day, drain):
    db.session.commit()
    drain()


def test_search_filters_are_reachable_from_the_top_of_the_results_on_a_phone(page, browser, live_server,
                                                                              indexed_results):
    narrow = phone(page, live_server)
    narrow.goto("/search?q=bilan")
    results = narrow.locator(".search-result")
    assert results.count() == 20
    jump = narrow.get_by_role("link", name="Refine the search")
    assert jump.is_visible()
    assert jump.bounding_box()["y"] < results.first.bounding_box()["y"]
    jump.click()
    narrow.wait_for_url("**#search-refine")
    expect(narrow.get_by_role("heading", name="Tags", exact=True)).to_be_in_viewport()
    narrow.context.close()

    page.goto("/search?q=bilan")  # on a wide screen the filters are beside the results: no link
    assert page.get_by_role("link", name="Affiner la recherche").is_hidden()
    assert page.get_by_role("heading", name="Mots-dièses", exact=True).is_visible()
