"""Engine-level settings that make SQLite behave like a real database."""
from sqlalchemy import event
from sqlalchemy.engine import Engine

_configured = False


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def configure_engine_events() -> None:
    """Foreign keys and WAL on every SQLite connection (the busy timeout is the driver's
    `timeout`: DATABASE_LOCK_TIMEOUT in webapp/config.py)."""
    global _configured
    if not _configured:
        event.listen(Engine, "connect", _sqlite_pragmas)
        _configured = True
