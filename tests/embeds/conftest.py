"""Fixtures of the embedding tests: a public talk whose real PDF deck was processed (slide images
and text), a public talk without slides, a draft with slides."""
import io

import pytest

from webapp.models import Status
from webapp.slides.operations import attach_slides, process_pending_decks

SLIDE_TEXTS = ("Bienvenue à la grainothèque", "Les graines voyagent", "Merci de votre attention")


@pytest.fixture
def with_deck(db, make_pdf):
    """with_deck(talk) -> the talk, once its PDF deck of three slides has been processed."""
    def attach(talk):
        attach_slides(talk, io.BytesIO(make_pdf(*SLIDE_TEXTS)), "graines.pdf", None, "CC-BY-4.0")
        db.session.commit()
        process_pending_decks()
        db.session.commit()
        return talk

    return attach


@pytest.fixture
def talk(db, make_talk, make_speaker, with_deck):
    """The public talk "grainotheques" by Léa Dupont, with its processed deck."""
    found = make_talk("Grainothèques en bibliothèque", slug="grainotheques",
                      speakers=[make_speaker("Léa Dupont", slug="lea-dupont")])
    return with_deck(found)


@pytest.fixture
def talk_without_slides(db, make_talk):
    found = make_talk("Sans diapositives", slug="sans-diapositives")
    db.session.commit()
    return found


@pytest.fixture
def draft(db, make_talk, with_deck):
    return with_deck(make_talk("Brouillon", slug="brouillon", status=Status.DRAFT))


@pytest.fixture
def live_site(app):
    """The test app served on a free loopback port (same database as the test): its address."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
