"""The demo archive (`flask demo load`) loaded once per pytest run, and copies of it for the tests
that inspect a loaded demo (see the `demo_template` and `demo_archive` fixtures in conftest.py).

The template is what `flask demo load` leaves on an empty archive made by create_all(), as the app
fixture makes it: its database (a SQLite file, or a database of its own on the TEST_DATABASE_URL
server), its search index folder and its upload folder. A copy writes the template's rows into the
test's own database (the SQLite backup API; on PostgreSQL, COPY table by table, then the sequences)
and its folders under the test's SEARCH_INDEX_DIR and UPLOAD_DIR. The one row that names the
template's folders, the index's cursor in search_index_cursors (its SEARCH_INDEX_NAME holds the
index's absolute path), is renamed to the test's index."""
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from webapp import create_app
from webapp.extensions import db


@dataclass(frozen=True)
class DemoTemplate:
    """A loaded demo archive to copy from, and what its `flask demo load` printed."""

    database_url: str
    search_index_dir: Path
    upload_dir: Path
    share_card_dir: Path
    search_index_name: str
    load_output: str

    @property
    def dialect(self) -> str:
        return make_url(self.database_url).get_backend_name()

    def copy_into(self, app) -> None:
        """Make the database and folders of `app` (in its app context, its schema made by
        create_all(), its tables empty) a copy of the template's."""
        db.session.remove()
        if self.dialect != db.engine.dialect.name:
            raise ValueError(f"a {self.dialect} template cannot be copied into {db.engine.dialect.name}")
        if self.dialect == "sqlite":
            _copy_sqlite(Path(make_url(self.database_url).database), db.engine)
        else:
            _copy_postgresql(self.database_url, db.engine)
        for source, setting in ((self.search_index_dir, "SEARCH_INDEX_DIR"), (self.upload_dir, "UPLOAD_DIR"),
                                (self.share_card_dir, "SHARE_CARD_DIR")):
            if source.is_dir():
                shutil.copytree(source, app.config[setting], dirs_exist_ok=True)
        from webapp.search.indexing import search_state

        state = search_state(app)
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE search_index_cursors SET name = :name, index_dir = :index_dir "
                                    "WHERE name = :template"),
                               {"name": state.identity.name, "index_dir": state.identity.index_dir,
                                "template": self.search_index_name})
        state.reopen_index()


def _copy_sqlite(source: Path, target_engine) -> None:
    import sqlite3

    target_engine.dispose()
    with sqlite3.connect(source) as template:
        connection = target_engine.raw_connection()
        try:
            template.backup(connection.driver_connection)
        finally:
            connection.close()
    template.close()
    target_engine.dispose()


SEQUENCES = "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()"


def _copy_postgresql(source_url: str, target_engine) -> None:
    source_engine = create_engine(source_url)
    try:
        with source_engine.connect() as source, target_engine.begin() as target:
            source_cursor = source.connection.driver_connection.cursor()
            target_cursor = target.connection.driver_connection.cursor()
            for table in db.metadata.sorted_tables:  # parents first: the foreign keys hold at each row
                name = target.dialect.identifier_preparer.format_table(table)
                with source_cursor.copy(f"COPY {name} TO STDOUT") as rows:
                    data = b"".join(bytes(chunk) for chunk in rows)
                if data:
                    with target_cursor.copy(f"COPY {name} FROM STDIN") as copy:
                        copy.write(data)
            for sequence, last_value in source.execute(text(SEQUENCES)).all():
                if last_value is not None:
                    target.execute(text("SELECT setval(quote_ident(:sequence), :value)"),
                                   {"sequence": sequence, "value": last_value})
    finally:
        source_engine.dispose()


def load_template(folder: Path, database_url: str) -> DemoTemplate:
    """`flask demo load` on an empty archive made as the app fixture makes it."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key", "DATABASE_URL": database_url,
                      "SEARCH_INDEX_DIR": str(folder / "search-index"), "UPLOAD_DIR": str(folder / "uploads"),
                      "SHARE_CARD_DIR": str(folder / "share-cards"), "SERVER_NAME": None,
                      "PAGE_CACHE": "off", "PAGE_CACHE_DIR": str(folder / "page-cache")})
    with app.app_context():
        db.drop_all()
        db.create_all()
        result = app.test_cli_runner().invoke(args=["demo", "load"])
        assert result.exit_code == 0, result.output
        db.session.remove()
        db.engine.dispose()
    return DemoTemplate(database_url=database_url, search_index_dir=folder / "search-index",
                        upload_dir=folder / "uploads", share_card_dir=folder / "share-cards",
                        search_index_name=app.config["SEARCH_INDEX_NAME"],
                        load_output=result.output)
