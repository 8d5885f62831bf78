"""Fixtures: a real database (SQLite file, or PostgreSQL from TEST_DATABASE_URL) and factories."""
import itertools
import os
from datetime import date, datetime, timezone

import jinja2
import pytest
from flask.testing import FlaskClient

from webapp import create_app
from webapp.catalogue.operations.tags import get_or_create_tags
from webapp.core.naming import person_name_key, person_sort_key
from webapp.extensions import db as _db
from webapp.models import Event, Speaker, Status, Talk, TalkSpeaker

_counter = itertools.count(1)
# scrypt at 1/32 of the production cost (webapp/accounts/operations.py): the same algorithm and
# checks, in about 4 ms instead of 130 (a login hashes once, so does every account a test makes).
# The commands and servers tests start as subprocesses hash at the production cost.
TEST_PASSWORD_HASH_METHOD = "scrypt:1024:8:1"


class PassBytecodeCache(jinja2.BytecodeCache):
    """Jinja's compiled templates kept for the whole pass, in memory: each test's app loads them from
    here instead of parsing and compiling every template it renders again (about 40 ms a test that
    renders pages). Jinja checks each template's source checksum, so a changed template compiles anew."""

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self._code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


PASS_BYTECODE_CACHE = PassBytecodeCache()


def database_url(tmp_path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture(autouse=True, scope="session")
def page_cache_outside_the_checkout(tmp_path_factory):
    """The processes tests start (gunicorn, commands, writers) inherit this environment: the
    generations their commits draw go to a temporary folder, not to the checkout's instance/."""
    patch = pytest.MonkeyPatch()
    patch.setenv("PAGE_CACHE_DIR", str(tmp_path_factory.mktemp("page-cache")))
    yield
    patch.undo()


@pytest.fixture
def app_config(tmp_path):
    """Override in a test module to change settings."""
    return {}


@pytest.fixture
def app(tmp_path, app_config):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": database_url(tmp_path),
        "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "SHARE_CARD_DIR": str(tmp_path / "share-cards"),
        "SERVER_NAME": None,
        # Off unless a test turns it on (tests/page_cache/): a test that renders a page twice
        # around a change its session's events cannot see would otherwise read the first render.
        "PAGE_CACHE": "off",
        "PAGE_CACHE_DIR": str(tmp_path / "page-cache"),
        "PASSWORD_HASH_METHOD": TEST_PASSWORD_HASH_METHOD,
        **app_config,
    }
    app = create_app(config)
    app.jinja_env.bytecode_cache = PASS_BYTECODE_CACHE
    with app.app_context():
        fresh_schema(_db)
        yield app
        _db.session.remove()
        if _db.engine.dialect.name != "postgresql":
            _db.drop_all()
        _db.engine.dispose()


# On PostgreSQL the test database is shared by the whole pass: the schema is created once, and each
# test starts from its tables emptied (one TRUNCATE; tests/api went from 72 s to 45 s with it).
# create_all() inserts no rows (no after_create listener, no seed data) and the models declare no
# sequence of their own, so emptied tables with their identities restarted are what it leaves. A test
# that changed the schema (drop_all(), migrations, alembic_version) changes its fingerprint: the next
# test then drops and creates it again. SQLite has a new file per test.
_reusable_schema: dict[str, str] = {}  # database URL → fingerprint of the schema create_all() left
SCHEMA_FINGERPRINT = """
SELECT md5(coalesce(string_agg(item, ';' ORDER BY item), '')) FROM (
  SELECT 'rel ' || c.relname || ' ' || c.relkind::text || ' ' || c.relpersistence::text FROM pg_class c
    WHERE c.relnamespace = current_schema()::regnamespace
  UNION ALL SELECT 'col ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
      || ' ' || a.attnotnull::text || ' ' || a.attidentity::text || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relnamespace = current_schema()::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL SELECT 'con ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
  UNION ALL SELECT 'idx ' || indexrelid::regclass || ' ' || pg_get_indexdef(indexrelid) FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = current_schema()::regnamespace
  UNION ALL SELECT 'typ ' || t.typname || ' ' || coalesce((SELECT string_agg(e.enumlabel, ',' ORDER BY
      e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '') FROM pg_type t
    WHERE t.typnamespace = current_schema()::regnamespace AND t.typtype IN ('e', 'd', 'c')
  UNION ALL SELECT 'trg ' || tgrelid::regclass || ' ' || tgname FROM pg_trigger t JOIN pg_class c
    ON c.oid = t.tgrelid WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal
  UNION ALL SELECT 'fun ' || p.oid::regprocedure FROM pg_proc p
    WHERE p.pronamespace = current_schema()::regnamespace
) AS schema_items(item)
"""


def fresh_schema(db) -> None:
    """Empty tables of the models' schema, as drop_all() + create_all() leave them."""
    if db.engine.dialect.name != "postgresql":
        db.drop_all()
        db.create_all()
        return
    url = db.engine.url.render_as_string(hide_password=False)
    with db.engine.begin() as connection:
        if _reusable_schema.get(url) == connection.exec_driver_sql(SCHEMA_FINGERPRINT).scalar():
            tables = ", ".join(connection.dialect.identifier_preparer.format_table(table)
                               for table in db.metadata.sorted_tables)
            connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
            return
    _reusable_schema.pop(url, None)
    db.drop_all()
    db.create_all()
    with db.engine.connect() as connection:
        _reusable_schema[url] = connection.exec_driver_sql(SCHEMA_FINGERPRINT).scalar()


@pytest.fixture
def db(app):
    return _db


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, as in production: a fresh `g` and a fresh
    database session, so nothing leaks between requests or from the test's own session."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_tags(db):
    def make(*names):
        return get_or_create_tags(names)

    return make


@pytest.fixture
def make_event(db, make_tags):
    def make(title=None, *, status=Status.PUBLISHED, tags=(), start_date=date(2016, 10, 5), **fields):
        n = next(_counter)
        title = title or f"Journée d'étude {n}"
        event = Event(slug=fields.pop("slug", f"event-{n}"), title=title, status=status,
                      start_date=start_date, end_date=fields.pop("end_date", start_date),
                      tags=make_tags(*tags), **fields)
        db.session.add(event)
        db.session.flush()
        return event

    return make


@pytest.fixture
def make_speaker(db):
    def make(name=None, **fields):
        n = next(_counter)
        name = name or f"Intervenante {n}"
        speaker = Speaker(slug=fields.pop("slug", f"speaker-{n}"), name=name,
                          name_key=person_name_key(name), sort_key=person_sort_key(name),
                          links=fields.pop("links", []), **fields)
        db.session.add(speaker)
        db.session.flush()
        return speaker

    return make


@pytest.fixture
def make_talk(db, make_event, make_tags):
    def make(title=None, *, event=None, speakers=(), tags=(), status=Status.PUBLISHED, **fields):
        n = next(_counter)
        event = event or make_event()
        published_at = datetime(2016, 10, 5, 9, 0, tzinfo=timezone.utc)
        talk = Talk(slug=fields.pop("slug", f"talk-{n}"), title=title or f"Retour d'expérience {n}",
                    event=event, status=status, position=fields.pop("position", n),
                    published_at=published_at if status == Status.PUBLISHED else None,
                    tags=make_tags(*tags), **fields)
        talk.speaker_links = [TalkSpeaker(speaker=s, position=i) for i, s in enumerate(speakers)]
        db.session.add(talk)
        db.session.flush()
        return talk

    return make


@pytest.fixture(scope="session")
def compiled_translations():
    """Compile webapp/translations/*.po to .mo (as `make translations` does) when they are stale."""
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in Path(__file__).parent.parent.glob("webapp/translations/*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        partial = mo_path.with_suffix(f".{os.getpid()}.tmp")  # a pass running beside reads whole files
        with partial.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=True)
        partial.replace(mo_path)


# --- search (websearch helper) ---------------------------------------------------------------

@pytest.fixture
def drain(app):
    """Drain the search queue into the index now, synchronously; returns the rows processed."""
    from webapp.search.indexing import drain_queue

    return drain_queue


@pytest.fixture
def found(app):
    """found("query", **filters) -> slugs of the talks the live index answers, in rank order."""
    from search_index import SearchRequest
    from webapp.search.indexing import read_index

    def search(q="", **filters):
        request = SearchRequest(q=q, per_page=100, **filters)
        return [hit.slug for hit in read_index(lambda index: index.search(request)).hits]

    return search


@pytest.fixture
def wait_until():
    """wait_until(condition, timeout): poll until condition() is true; returns its last value."""
    import time

    def wait(condition, timeout: float = 10.0, interval: float = 0.05):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(interval)
        return condition()

    return wait


@pytest.fixture
def make_user(db):
    """make_user(role="organiser", email=None, password="correct horse battery") -> User."""
    from webapp.accounts.operations import hash_password
    from webapp.models import Role, User

    def make(role="organiser", *, email=None, password="correct horse battery", is_active=True):
        n = next(_counter)
        user = User(email=email or f"user{n}@example.org", role=Role(role), is_active=is_active,
                    password_hash=hash_password(password))
        db.session.add(user)
        db.session.flush()
        return user

    return make


@pytest.fixture
def login_as(client):
    """login_as(user): the test client acts as that user (a real Flask-Login session)."""

    def login(user):
        from webapp.accounts.sessions import start_user_session
        from webapp.extensions import db

        start_user_session(user)
        db.session.commit()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return client

    return login


# --- slides viewer ----------------------------------------------------------------------------

@pytest.fixture
def make_pdf():
    """make_pdf("text of slide 1", "text of slide 2", ...) -> the bytes of a landscape PDF (reportlab)."""
    import io

    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    def make(*page_texts: str) -> bytes:
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, pagesize=landscape(A4))
        for text in page_texts:
            pdf.setFont("Helvetica", 32)
            pdf.drawString(72, 300, text)
            pdf.showPage()
        pdf.save()
        return buffer.getvalue()

    return make


# --- accounts (accounts helper) --------------------------------------------------------------

@pytest.fixture
def csrf_token(client):
    """csrf_token(path="/login") -> the CSRF token of the form on that page, in this client's session."""
    import re

    def token(path="/login"):
        page = client.get(path).get_data(as_text=True)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    return token


@pytest.fixture
def post_login(client, csrf_token):
    """post_login(email, password, next=None, **client_kwargs) -> the response of the real login form."""

    def post(email, password, next=None, **kwargs):
        path = "/login" + (f"?next={next}" if next else "")
        data = {"email": email, "password": password, "csrf_token": csrf_token("/login")}
        return client.post(path, data=data, **kwargs)

    return post


@pytest.fixture
def manage_client(db, make_user, login_as):
    """manage_client(role="organiser") -> (client logged in as a new user of that role, user).

    The client reads English, so tests may name the messages they expect."""

    def make(role="organiser"):
        user = make_user(role)
        db.session.commit()
        client = login_as(user)
        client.set_cookie("lang", "en")
        return client, user

    return make


@pytest.fixture
def submit_form():
    """submit_form(client, form_url, data, action=None): read the CSRF token from the page at
    form_url, then post data (with that token) to action (default: form_url)."""
    import re

    token_pattern = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')

    def submit(client, form_url, data, action=None):
        page = client.get(form_url).get_data(as_text=True)
        token = token_pattern.search(page).group(1)
        return client.post(action or form_url, data={**data, "csrf_token": token})

    return submit


# --- slides (slides helper) ------------------------------------------------------------------

@pytest.fixture
def api_token(db):
    """api_token(user) -> a new bearer token of that user (only its hash is stored)."""
    import secrets

    from webapp.core.access import hash_token
    from webapp.models import ApiToken

    def make(user):
        token = secrets.token_urlsafe(32)
        db.session.add(ApiToken(user=user, token_hash=hash_token(token), prefix=token[:8]))
        db.session.commit()
        return token

    return make


class SlideFiles:
    """Real slide files made in the tests, and hostile ones."""

    @staticmethod
    def pptx(*slide_texts: str) -> bytes:
        import io

        from pptx import Presentation
        from pptx.util import Inches

        presentation = Presentation()
        for text in slide_texts:
            slide = presentation.slides.add_slide(presentation.slide_layouts[6])
            box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(8), Inches(2))
            box.text_frame.text = text
        buffer = io.BytesIO()
        presentation.save(buffer)
        return buffer.getvalue()

    @staticmethod
    def odp_of_slides(slides) -> bytes:
        """An ODP whose slides hold the given draw frames (one list of frames per slide)."""
        import io

        from odf.draw import Page
        from odf.opendocument import OpenDocumentPresentation
        from odf.style import MasterPage, PageLayout

        document = OpenDocumentPresentation()
        layout = PageLayout(name="layout")
        document.automaticstyles.addElement(layout)
        master = MasterPage(name="master", pagelayoutname=layout)
        document.masterstyles.addElement(master)
        for number, frames in enumerate(slides, start=1):
            page = Page(name=f"page{number}", masterpagename=master)
            for frame in frames:
                page.addElement(frame)
            document.presentation.addElement(page)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    @staticmethod
    def odp(*slide_texts: str) -> bytes:
        from odf.draw import Frame, TextBox
        from odf.text import P

        def text_frame(text: str) -> Frame:
            frame = Frame(width="20cm", height="3cm", x="2cm", y="2cm")
            box = TextBox()
            box.addElement(P(text=text))
            frame.addElement(box)
            return frame

        return SlideFiles.odp_of_slides([[text_frame(text)] for text in slide_texts])

    @staticmethod
    def encrypted_pdf(pdf: bytes, password: str = "secret") -> bytes:
        import io

        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
        writer.encrypt(password)
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    @staticmethod
    def zip_bomb(expanded_bytes: int = 20 * 1024 * 1024) -> bytes:
        """A zip with the members of a PPTX, one of them expanding to expanded_bytes of zeros."""
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("ppt/presentation.xml", "<presentation/>")
            with archive.open("ppt/media/zeros.bin", "w", force_zip64=True) as member:
                chunk = bytes(1024 * 1024)
                for _ in range(expanded_bytes // len(chunk)):
                    member.write(chunk)
        return buffer.getvalue()

    @staticmethod
    def keynote() -> bytes:
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("Index/Document.iwa", b"\x00" * 64)
            archive.writestr("Metadata/Properties.plist", "<plist/>")
        return buffer.getvalue()


@pytest.fixture
def slide_files():
    return SlideFiles()


@pytest.fixture
def english_ui(client):
    """The client reads the English interface (French is the default; it has its own tests)."""
    client.set_cookie("lang", "en")
    return client


# --- the PostgreSQL pass ---------------------------------------------------------------------

def uses_the_database(item) -> bool:
    """Whether a test runs on the test database: through the app fixture, or by its own engine
    (marked `database`). The others (the search engine, the sandbox, pure functions) give the same
    result on any database and run in the SQLite pass only. So do the browser tests: what Chromium
    adds to the pages (scripts, styles, the CSP, the keyboard, axe) does not depend on the database,
    and every page they drive is also requested on PostgreSQL by the test client's tests."""
    if item.get_closest_marker("browser") is not None and item.get_closest_marker("database") is None:
        return False
    return "app" in getattr(item, "fixturenames", ()) or item.get_closest_marker("database") is not None


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("TEST_DATABASE_URL"):
        return
    kept = [item for item in items if uses_the_database(item)]
    config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    items[:] = kept


# --- several hosts (hosts helper) ------------------------------------------------------------

@pytest.fixture
def second_host(app, tmp_path):
    """Another application host on the same database, with the same SECRET_KEY and UPLOAD_DIR but
    an instance of its own (page cache folder, search index); its clients get an app context per
    request."""
    config = {key: app.config[key] for key in ("TESTING", "SECRET_KEY", "UPLOAD_DIR", "SHARE_CARD_DIR",
                                               "SERVER_NAME", "PAGE_CACHE", "PAGE_CACHE_SECONDS",
                                               "PAGE_CACHE_GENERATION_CHECK_SECONDS")}
    other = create_app({**config, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                        "SEARCH_INDEX_DIR": str(tmp_path / "host-b" / "search-index"),
                        "PAGE_CACHE_DIR": str(tmp_path / "host-b" / "page-cache")})
    other.test_client_class = IsolatedClient
    yield other
    with other.app_context():
        _db.session.remove()
        _db.engine.dispose()


# --- the demo archive, loaded once (demo helper) ---------------------------------------------

@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """The demo archive as `flask demo load` leaves it on an empty archive (tests/demo_snapshot.py),
    loaded once per pytest run: on a SQLite file, or with TEST_DATABASE_URL on a database of its own
    on that server (dropped at the end). Its `load_output` is what that load printed. Tests do not
    use it directly: `demo_archive` gives each one its own copy."""
    from stats_server import fresh_database

    from tests.demo_snapshot import load_template

    folder = tmp_path_factory.mktemp("demo-template")
    with fresh_database(folder, "causeries_demo") as database_url:
        yield load_template(folder, database_url)


@pytest.fixture
def demo_archive(app, demo_template):
    """The test's own archive (database, search index, uploads) made a copy of the loaded demo, in
    about a second instead of a `flask demo load`: for the tests that inspect a loaded demo. A test
    whose subject is the load itself runs it. Returns the template (its `load_output`)."""
    demo_template.copy_into(app)
    return demo_template
