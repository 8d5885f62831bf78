"""flask speakers invite SLUG EMAIL | merge SURVIVOR_SLUG DUPLICATE_SLUG"""
import click
from flask.cli import AppGroup

from webapp.accounts.operations import AccountError
from webapp.catalogue.operations import invitations
from webapp.catalogue.operations.speaker_merge import SameSpeaker, merge_preview, merge_speakers
from webapp.core.commands import committing, find_by_slug_or_fail
from webapp.models import Speaker

speakers_cli = AppGroup("speakers", help="Speaker profiles: invitations to claim them, merging duplicates.")


@speakers_cli.command("invite")
@click.argument("slug")
@click.argument("email")
@click.option("--no-mail", is_flag=True, help="Only print the link; do not send the invitation mail.")
def invite_command(slug: str, email: str, no_mail: bool) -> None:
    """Invite EMAIL to claim the profile of the speaker SLUG; prints the link (valid once)."""
    try:
        with committing():
            token = invitations.create_invitation(None, find_by_slug_or_fail(Speaker, slug), email)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    is_mailed = no_mail or invitations.mail_invitation(token)
    click.echo(invitations.invitation_link(token))
    if not is_mailed:
        raise click.ClickException("The mail could not be sent (the log says why); the link above works: "
                                   "pass it on yourself.")


@speakers_cli.command("merge")
@click.argument("survivor_slug")
@click.argument("duplicate_slug")
def merge_command(survivor_slug: str, duplicate_slug: str) -> None:
    """Merge the speaker DUPLICATE_SLUG into SURVIVOR_SLUG (talks, names, links, accounts move;
    the duplicate's address answers 301 to the survivor). One transaction: all or nothing."""
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
