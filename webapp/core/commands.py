"""The edge of a command: one commit for the whole command, clear errors for what it names.

Commands call operations (which flush, never commit), then commit once here, or roll back on any
error. Each feature's cli.py defines its own click group and its init_app registers it.
"""
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import click
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp.core.writers import describe_conflict
from webapp.extensions import db

Result = TypeVar("Result")
COMMAND_ATTEMPTS = 3


@contextmanager
def committing() -> Iterator[None]:
    """One commit for the whole command; nothing is kept when it fails."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def commit_retrying(work: Callable[[], Result], attempts: int = COMMAND_ATTEMPTS) -> Result:
    """work() committed once; when another writer created one of its records at the same moment
    (a unique key clash), everything is rolled back and work() runs again on what is there now.
    After `attempts` clashes, a clear error naming the record, and nothing kept."""
    for attempt in range(1, attempts + 1):
        try:
            with committing():
                return work()
        except IntegrityError as error:
            conflict = describe_conflict(error)
            if attempt == attempts:
                raise click.ClickException(
                    f"Nothing was saved: another writer created {conflict} at the same moment, "
                    f"{attempts} times in a row. Run the command again.") from None
            click.echo(f"Another writer created {conflict} meanwhile: starting again.", err=True)


def find_by_slug_or_fail(model, slug: str):
    """The event, talk or speaker with that slug, or a clear error naming what was not found."""
    found = db.session.scalar(select(model).where(model.slug == slug))
    if found is None:
        raise click.ClickException(f"No {model.__name__.lower()} has the slug {slug!r}.")
    return found
