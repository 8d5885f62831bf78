"""The page cache's tests run with the embedded filesystem backend (tests elsewhere turn it off),
in a folder of each test's own (tests/conftest.py: PAGE_CACHE_DIR under tmp_path)."""
from dataclasses import dataclass, field

import pytest
from flask import template_rendered
from sqlalchemy import event


@pytest.fixture
def app_config():
    return {"PAGE_CACHE": "filesystem", "PAGE_CACHE_SECONDS": 300}


@dataclass
class Served:
    """One response, with the templates rendered and the SQL statements run to answer it."""

    response: object
    templates: list = field(default_factory=list)
    statements: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.response.get_data(as_text=True)

    @property
    def is_hit(self) -> bool:
        """Served from the cache: no template rendered, no query run but, at most once a second,
        the read of the database's generation (webapp/page_cache/shared_generation.py)."""
        return not self.templates and not self.content_statements

    @property
    def content_statements(self) -> list:
        return [statement for statement in self.statements if "content_generation" not in statement]


@pytest.fixture
def fetch(app, db):
    """fetch(client, path, method="GET", **kwargs) -> Served: the templates of the client's app, the
    statements of the current app's engine."""

    def do(client, path: str, method: str = "GET", **kwargs) -> Served:
        served = Served(None)

        def rendered(sender, template, context, **extra):
            served.templates.append(template.name)

        def executed(conn, cursor, statement, *args):
            served.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", executed)
        try:
            with template_rendered.connected_to(rendered, client.application):
                served.response = client.open(path, method=method, **kwargs)
        finally:
            event.remove(db.engine, "before_cursor_execute", executed)
        return served

    return do


@pytest.fixture
def talk(db, make_talk, make_event, make_speaker):
    event = make_event("Journée de la médiation", slug="journee")
    found = make_talk("Le fablab de la médiathèque", slug="fablab", event=event,
                      speakers=[make_speaker("Sophie Martin")], tags=["mednumsavoirs"])
    db.session.commit()
    return found


@pytest.fixture
def visitor(app, client):
    """An anonymous visitor's client, beside `client` (which manage_client and login_as log in)."""
    return app.test_client()
