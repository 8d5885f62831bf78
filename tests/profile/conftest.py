"""Fixtures of the profile tests."""
import pytest


@pytest.fixture
def owner(db, make_user, make_speaker, make_talk, login_as):
    """A speaker account that owns the profile "lea-dupont" (with one public talk), logged in."""
    speaker = make_speaker("Léa Dupont", slug="lea-dupont")
    make_talk("Fablab en médiathèque", slug="fablab", speakers=[speaker])
    user = make_user("speaker", email="lea@example.org")
    speaker.owners.append(user)
    db.session.commit()
    client = login_as(user)
    client.set_cookie("lang", "en")
    return client
