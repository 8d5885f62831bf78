"""Share links: the text (headline, hashtags, canonical address from SITE_URL) and the Bluesky,
LinkedIn and email addresses built on the server; the talk, event and tag pages that carry them."""
import re
from html import unescape
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from webapp.models import Status
from webapp.sharing.links import TEXT_LIMIT, hashtag, hashtags, share_links, share_text, shorten

SITE = "https://causeries.example"


@pytest.fixture
def app_config():
    return {"SITE_URL": SITE}


@pytest.mark.parametrize("name, expected", [
    ("mednumsavoirs", "#mednumsavoirs"),
    ("#mednumsavoirs", "#mednumsavoirs"),
    ("médiation numérique", "#MédiationNumérique"),
    ("fab-lab", "#FabLab"),
    ("open data !", "#OpenData"),
    ("R&D", "#RD"),
    ("python_3", "#python_3"),
    ("2016", None),
    ("…", None),
    ("", None),
])
def test_a_tag_becomes_a_valid_hashtag(name, expected):
    assert hashtag(name) == expected


def test_hashtags_keep_their_order_without_repeats_up_to_the_limit():
    names = ["mednumsavoirs", "MedNumSavoirs", "2016", "médiation numérique", "a", "b", "c", "d"]
    assert hashtags(names) == ["#mednumsavoirs", "#MédiationNumérique", "#a", "#b", "#c"]
    assert hashtags(names, limit=2) == ["#mednumsavoirs", "#MédiationNumérique"]


def test_shorten_cuts_at_a_word_with_an_ellipsis():
    assert shorten("Fablab  en\nmédiathèque", 40) == "Fablab en médiathèque"
    assert shorten("Fablab en médiathèque", 12) == "Fablab en…"
    assert len(shorten("x" * 50, 10)) == 10


def test_the_text_holds_headline_hashtags_and_address():
    text = share_text("“Fablab”, by Léa Dupont", ["#mednumsavoirs", "#FabLab"], f"{SITE}/talks/fablab")
    assert text == f"“Fablab”, by Léa Dupont\n#mednumsavoirs #FabLab\n{SITE}/talks/fablab"


def test_a_long_title_is_shortened_and_the_address_stays_whole():
    url = f"{SITE}/talks/" + "t" * 120
    text = share_text("Retour d'expérience " * 30, ["#mednumsavoirs", "#MédiationNumérique"], url)
    headline, tags, address = text.split("\n")
    assert len(text) <= TEXT_LIMIT
    assert headline.endswith("…") and headline.startswith("Retour d'expérience")
    assert tags == "#mednumsavoirs #MédiationNumérique" and address == url


def test_hashtags_give_way_before_the_headline_becomes_too_short():
    url = f"{SITE}/talks/" + "t" * 200
    text = share_text("Fablab en médiathèque", ["#mednumsavoirs", "#" + "x" * 60], url)
    assert text == f"Fablab en médiathèque\n#mednumsavoirs\n{url}"


def test_share_addresses_carry_the_text_and_the_address():
    url = f"{SITE}/talks/fablab"
    links = share_links("Fablab & co", "“Fablab & co”, by Léa", ["#mednumsavoirs"], url)
    bluesky = urlsplit(links.bluesky)
    assert (bluesky.scheme, bluesky.netloc, bluesky.path) == ("https", "bsky.app", "/intent/compose")
    assert parse_qs(bluesky.query) == {"text": [links.text]}
    assert "#mednumsavoirs" in links.text and url in links.text
    assert parse_qs(urlsplit(links.linkedin).query) == {"url": [url]}
    assert links.linkedin.startswith("https://www.linkedin.com/sharing/share-offsite/?")
    assert links.email.startswith("mailto:?subject=")
    assert "+" not in links.email and " " not in links.email  # RFC 6068: %20, never +
    fields = dict(part.split("=", 1) for part in links.email.removeprefix("mailto:?").split("&"))
    assert unquote(fields["subject"]) == "Fablab & co" and unquote(fields["body"]) == links.text


def share_section(html: str) -> dict:
    """The share section's data and links, read back from a page."""
    section = re.search(r'<section class="share".*?</section>', html, re.S).group(0)
    attributes = dict(re.findall(r'data-share-(title|text|url)="([^"]*)"', section))
    links = dict(re.findall(r'href="([^"]*)"[^>]*data-share-link="(\w+)"', section))
    return {**{name: unescape(value) for name, value in attributes.items()},
            **{name: unescape(href) for href, name in links.items()}}


def test_the_talk_page_shares_its_tags_and_its_canonical_address(client, db, make_talk, make_speaker, make_event):
    event = make_event("Journée INET", tags=["mednumsavoirs"])
    make_talk("Fablab en médiathèque", slug="fablab", event=event, speakers=[make_speaker("Léa Dupont")],
              tags=["mednumsavoirs", "médiation numérique"])
    db.session.commit()
    html = client.get("/talks/fablab", headers={"Host": "localhost"}).get_data(as_text=True)
    share = share_section(html)
    assert share["url"] == f"{SITE}/talks/fablab"  # from SITE_URL, never from the Host header
    assert share["text"].splitlines() == ["«\u202fFablab en médiathèque\u202f», par Léa Dupont",
                                          "#mednumsavoirs #MédiationNumérique", f"{SITE}/talks/fablab"]
    assert parse_qs(urlsplit(share["bluesky"]).query)["text"] == [share["text"]]
    assert parse_qs(urlsplit(share["linkedin"]).query)["url"] == [share["url"]]
    assert "localhost" not in html.split('<section class="share"')[1].split("</section>")[0]
    assert 'src="/static/js/sharing.js"' in html


def test_the_event_page_shares_the_event_tags(client, db, make_talk, make_event):
    event = make_event("Journée INET", slug="inet", tags=["mednumsavoirs", "bibliothèques"])
    make_talk(event=event)
    db.session.commit()
    share = share_section(client.get("/events/inet").get_data(as_text=True))
    assert share["url"] == f"{SITE}/events/inet"
    assert share["text"].splitlines()[1:] == ["#bibliothèques #mednumsavoirs", f"{SITE}/events/inet"]


def test_the_tag_page_shares_that_tag(client, db, make_talk):
    make_talk(tags=["mednumsavoirs", "fablab"])
    db.session.commit()
    share = share_section(client.get("/tags/mednumsavoirs").get_data(as_text=True))
    assert share["url"] == f"{SITE}/tags/mednumsavoirs"
    assert share["text"].splitlines()[1:] == ["#mednumsavoirs", f"{SITE}/tags/mednumsavoirs"]


def test_a_draft_preview_offers_no_share_link_nor_card(db, client, make_talk, make_user, login_as):
    talk = make_talk("Brouillon", status=Status.DRAFT, tags=["mednumsavoirs"])
    organiser = make_user("organiser")
    db.session.commit()
    html = login_as(organiser).get(f"/manage/talks/{talk.id}/preview").get_data(as_text=True)
    assert "Brouillon" in html
    assert "data-share" not in html and "og:image" not in html
