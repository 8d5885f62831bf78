"""The edge of a command: one commit for the whole command, clear errors for what it names.

Commands call operations (which flush, never commit), then commit once here, or roll back on any
error. Each feature's cli.py defines its own click group and its init_app registers it.
"""
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy import select

from webapp.extensions import db


@contextmanager
def committing() -> Iterator[None]:
    """One commit for the whole command; nothing is kept when it fails."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def find_by_slug_or_fail(model, slug: str):
    """The event, talk or speaker with that slug, or a clear error naming what was not found."""
    found = db.session.scalar(select(model).where(model.slug == slug))
    if found is None:
        raise click.ClickException(f"No {model.__name__.lower()} has the slug {slug!r}.")
    return found
