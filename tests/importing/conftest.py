"""Fixtures of the import tests."""
import pytest
from flask_babel import force_locale


@pytest.fixture
def english_messages(app):
    """The reasons an import gives (lazy strings) in English, as the command line prints them and
    as these tests read them; pages keep their own language in their own tests."""
    with force_locale("en"):
        yield
