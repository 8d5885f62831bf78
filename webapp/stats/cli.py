"""`flask stats report`: the statistics dashboard's figures in the terminal.

    flask stats report --since 2016-01-01 [--until 2016-12-31] [--tag mednumsavoirs] [--event SLUG]

One line per talk (its title, event and counts), then the top searches and the searches that
found nothing, each with its count. Unknown tags or events and bad dates are errors (exit 1 or 2).
"""
from datetime import date

import click
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import func, select

from webapp.core.naming import normalize_tag
from webapp.extensions import db
from webapp.models import Event, Tag, Talk
from webapp.stats.queries import StatsScope, scoped_talk_ids
from webapp.stats.tables import CSV_ROWS, StatsTable, queries_table, talks_table, zero_queries_table

stats_cli = AppGroup("stats", help="Anonymous statistics: views, downloads, searches.")
DEFAULT_SEARCH_ROWS = 20


def _day(_context, _param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date such as 2016-01-01.") from None


def _tag(name: str | None) -> Tag | None:
    if name is None:
        return None
    tag = db.session.scalar(select(Tag).where(Tag.name == normalize_tag(name)))
    if tag is None:
        raise click.ClickException(f"There is no tag {name!r} in the archive.")
    return tag


def _event(slug: str | None) -> Event | None:
    if slug is None:
        return None
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise click.ClickException(f"There is no event {slug!r} in the archive.")
    return event


def _talk_count(scope: StatsScope) -> int:
    talks = scoped_talk_ids(scope)
    return db.session.scalar(select(func.count()).select_from((talks if talks is not None else select(Talk.id))
                                                              .subquery())) or 0


def _echo_talks(table: StatsTable, scope: StatsScope) -> None:
    click.echo(f"Talks: {len(table.rows)} viewed or downloaded, of {_talk_count(scope)}"
               " (views, slide downloads, slide pages read)")
    for title, event, views, downloads, pages in (row.cells for row in table.rows):
        click.echo(f"{views:>8} {downloads:>8} {pages:>8}  {title} ({event})")


def _echo_queries(heading: str, table: StatsTable, count_column: int) -> None:
    click.echo(f"\n{heading}")
    if not table.rows:
        click.echo("  none")
    for row in table.rows:
        click.echo(f"{row.cells[count_column]:>8}  {row.cells[0]}")


@stats_cli.command("report")
@click.option("--since", required=True, callback=_day, help="First day, such as 2016-01-01 (UTC).")
@click.option("--until", callback=_day, help="Last day included (default: today).")
@click.option("--tag", help="Only the talks with this tag, such as mednumsavoirs.")
@click.option("--event", "event_slug", help="Only the talks of this event (its slug).")
@click.option("--searches", default=DEFAULT_SEARCH_ROWS, type=click.IntRange(1, 10_000), show_default=True,
              help="How many top and zero-result searches to print.")
def report(since: date, until: date | None, tag: str | None, event_slug: str | None, searches: int) -> None:
    """Print views, downloads and slide pages per talk, then the top and zero-result searches."""
    until = until or date.today()
    if since > until:
        raise click.BadParameter("--since must not be after --until.", param_hint="--since")
    scope = StatsScope(since, until, "day", _event(event_slug), _tag(tag))
    with force_locale("en"):
        click.echo(f"Statistics from {since.isoformat()} to {until.isoformat()}"
                   + (f", tag {scope.tag.label}" if scope.tag else "")
                   + (f", event {scope.event.title}" if scope.event else ""))
        _echo_talks(talks_table(scope, CSV_ROWS), scope)
        _echo_queries("Top searches (times searched), whole archive", queries_table(scope, searches), 1)
        _echo_queries("Searches that found nothing (times), whole archive", zero_queries_table(scope, searches), 1)
    db.session.rollback()  # read-only
