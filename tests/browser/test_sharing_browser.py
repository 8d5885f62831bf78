"""Share links in Chromium on a #mednumsavoirs talk: nothing is asked of another site before a
click; Mastodon goes through the server the visitor types (remembered on reload), Bluesky through
its plain link, both carrying the text, the hashtags and the canonical address; copying the link
confirms it. The third parties are answered by a fake page (context.route): nothing leaves the machine."""
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

FAKE_PAGE = "<!doctype html><title>composer</title><p>Fake composer</p>"


def answer_with_a_fake_page(context, host: str) -> list[str]:
    """Every request to https://host/ gets FAKE_PAGE; returns the addresses asked for."""
    asked: list[str] = []

    def fulfil(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=FAKE_PAGE)

    context.route(f"https://{host}/**", fulfil)
    return asked


def opened_by(page, click) -> str:
    """The address of the tab a click opens (then closed)."""
    with page.context.expect_page() as info:
        click()
    tab = info.value
    tab.wait_for_load_state()
    address = tab.url
    tab.close()
    return address


def shared_text(address: str) -> str:
    [text] = parse_qs(urlsplit(address).query)["text"]
    return text


@pytest.fixture
def mednum_talk(db, make_event, make_talk, make_speaker):
    event = make_event("Journée INET", tags=["mednumsavoirs"])
    make_talk("Fablab en médiathèque", slug="fablab", event=event, speakers=[make_speaker("Léa Dupont")],
              tags=["mednumsavoirs", "médiation numérique"])
    db.session.commit()


def test_mastodon_and_bluesky_share_text_hashtags_and_address(page, live_server, app, mednum_talk):
    context = page.context
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    mastodon = answer_with_a_fake_page(context, "mastodon.example")
    bluesky = answer_with_a_fake_page(context, "bsky.app")
    page.goto("/talks/fablab")
    page.locator("[data-share-mastodon-toggle]").wait_for()  # sharing.js showed the Mastodon button
    page.wait_for_load_state("networkidle")
    assert {urlsplit(url).netloc for url in requests} == {urlsplit(live_server).netloc}, requests
    share_url = page.locator("[data-share]").get_attribute("data-share-url")
    assert share_url == f"{app.config['SITE_URL']}/talks/fablab"  # the canonical address, from SITE_URL

    toggle = page.locator("[data-share-mastodon-toggle]")
    toggle.press("Enter")  # the keyboard opens the chooser, and its field takes the focus
    assert toggle.get_attribute("aria-expanded") == "true"
    field = page.locator("#share-mastodon-instance")
    assert page.evaluate("() => document.activeElement.id") == "share-mastodon-instance"
    field.fill("pas un serveur")
    field.press("Enter")
    assert field.get_attribute("aria-invalid") == "true"
    assert page.locator("#share-mastodon-error").inner_text().strip()
    assert mastodon == [] and len(context.pages) == 1

    field.fill("https://Mastodon.Example/@lea")
    address = opened_by(page, lambda: field.press("Enter"))
    parts = urlsplit(address)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "mastodon.example", "/share")
    text = shared_text(address)
    assert text.startswith("«\u202fFablab en médiathèque\u202f»") and "Léa Dupont" in text
    assert "#mednumsavoirs" in text and "#MédiationNumérique" in text and text.endswith(share_url)
    assert mastodon == [address]

    page.reload()
    page.locator("[data-share-mastodon-toggle]").click()
    assert page.locator("#share-mastodon-instance").input_value() == "mastodon.example"  # remembered
    assert shared_text(opened_by(page, lambda: page.locator("#share-mastodon-instance").press("Enter"))) == text

    address = opened_by(page, lambda: page.locator("[data-share-link='bluesky']").click())
    assert urlsplit(address)[:3] == ("https", "bsky.app", "/intent/compose")
    assert shared_text(address) == text
    assert bluesky == [address]


def test_copy_link_confirms_and_the_share_sheet_shows_only_where_it_exists(page, live_server, mednum_talk):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto("/talks/fablab")
    copy = page.locator("[data-share-copy]")
    copy.click()
    status = page.locator("[data-share-status]")
    status.get_by_text(status.get_attribute("data-copied-message")).wait_for()
    assert status.get_attribute("aria-live") == "polite" and status.is_visible()
    share_url = page.locator("[data-share]").get_attribute("data-share-url")
    assert page.evaluate("() => navigator.clipboard.readText()") == share_url
    has_share_sheet = page.evaluate("() => typeof navigator.share === 'function'")
    assert page.locator("[data-share-native-item]").is_visible() == has_share_sheet
