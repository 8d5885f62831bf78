"""flask speakers merge SURVIVOR_SLUG DUPLICATE_SLUG: the command-line twin of the workspace's merge."""
import click

from webapp.cli import find_by_slug_or_fail
from webapp.models import Speaker
from webapp.services.speaker_merge import SameSpeaker, merge_preview, merge_speakers


@click.command("merge")
@click.argument("survivor_slug")
@click.argument("duplicate_slug")
def merge_command(survivor_slug: str, duplicate_slug: str) -> None:
    """Merge the speaker DUPLICATE_SLUG into SURVIVOR_SLUG (talks, names, links, accounts move;
    the duplicate's address answers 301 to the survivor). One transaction: all or nothing."""
    from webapp.cli import committing

    try:
        with committing():
            survivor, duplicate = (find_by_slug_or_fail(Speaker, slug) for slug in (survivor_slug, duplicate_slug))
            preview = merge_preview(survivor, duplicate)
            merge_speakers(None, survivor, duplicate)
    except SameSpeaker:
        raise click.ClickException("A speaker cannot be merged into itself.") from None
    moved = len(preview.moved_talks) + len(preview.shared_talks)
    click.echo(f"Merged {duplicate_slug} into {survivor_slug}: {moved} talks, "
               f"{len(preview.new_aliases)} new aliases, {len(preview.new_links)} new links, "
               f"{len(preview.new_owners)} new owners; /speakers/{duplicate_slug} now answers 301.")
