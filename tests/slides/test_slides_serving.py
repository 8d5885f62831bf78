"""Serving stored slides: downloads are attachments no browser renders, images have their real
type and are cacheable, and only public talks' current decks are public."""
import io

import pytest

from webapp.models import Status
from webapp.slides.operations import attach_slides, process_pending_decks


@pytest.fixture
def ready_deck(db, make_talk, make_pdf):
    """ready_deck(filename="deck.pdf", **talk_fields) -> a processed deck, committed."""
    def make(filename="deck.pdf", **talk_fields):
        talk = make_talk(**talk_fields)
        deck = attach_slides(talk, io.BytesIO(make_pdf("Un", "Deux")), filename, None, "CC-BY-4.0")
        db.session.commit()
        process_pending_decks()
        return deck

    return make


def get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    response.close()
    return response


def test_download_is_an_attachment_with_a_sanitised_name_and_no_sniffing(client, ready_deck):
    deck = ready_deck('../../Retour d\'expérience "final"\r\n.pdf')
    assert deck.original_name == "Retour d'expérience final.pdf"
    response = get(client, f"/slides/{deck.id}/{deck.original_name}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Retour%20d%27exp%C3%A9rience%20final.pdf" in disposition
    assert "\r" not in disposition and "\n" not in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_a_wrong_file_name_redirects_to_the_canonical_one(client, ready_deck):
    deck = ready_deck("deck.pdf")
    response = get(client, f"/slides/{deck.id}/other-name.exe")
    assert response.status_code == 308
    assert response.headers["Location"].endswith(f"/slides/{deck.id}/deck.pdf")


def test_page_images_have_their_real_type_and_are_cacheable(client, ready_deck):
    deck = ready_deck()
    for size in ("thumb", "large"):
        response = get(client, f"/slides/{deck.id}/pages/2/{size}.webp")
        assert response.status_code == 200 and response.mimetype == "image/webp"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.cache_control.public and response.cache_control.max_age >= 86400
        assert not response.cache_control.no_cache
        assert response.headers["ETag"]
        again = get(client, f"/slides/{deck.id}/pages/2/{size}.webp",
                    headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304


@pytest.mark.parametrize("url", ["/slides/{id}/pages/3/thumb.webp", "/slides/{id}/pages/1/huge.webp",
                                 "/slides/{id}/pages/0/large.webp", "/slides/999/deck.pdf",
                                 "/slides/999/pages/1/thumb.webp"])
def test_missing_pages_sizes_and_decks_are_404(client, ready_deck, url):
    deck = ready_deck()
    assert get(client, url.format(id=deck.id)).status_code == 404


def test_a_draft_talks_slides_are_hidden_from_the_public_but_not_from_organisers(
        db, client, ready_deck, make_user, login_as):
    deck = ready_deck(status=Status.DRAFT)
    urls = [f"/slides/{deck.id}/deck.pdf", f"/slides/{deck.id}/pages/1/thumb.webp"]
    assert [get(client, url).status_code for url in urls] == [404, 404]
    speaker = make_user("speaker")
    db.session.commit()
    login_as(speaker)
    assert [get(client, url).status_code for url in urls] == [404, 404]
    organiser = make_user("organiser")
    db.session.commit()
    login_as(organiser)
    responses = [get(client, url) for url in urls]
    assert [r.status_code for r in responses] == [200, 200]
    assert all(r.cache_control.private and r.cache_control.no_store for r in responses)


def test_older_versions_are_for_organisers_only(db, client, ready_deck, make_pdf, make_user,
                                                login_as):
    old = ready_deck("v1.pdf")
    attach_slides(old.talk, io.BytesIO(make_pdf("v2")), "v2.pdf")
    db.session.commit()
    assert get(client, f"/slides/{old.id}/v1.pdf").status_code == 404
    organiser = make_user("organiser")
    db.session.commit()
    login_as(organiser)
    assert get(client, f"/slides/{old.id}/v1.pdf").status_code == 200
