"""flask speakers invite SLUG EMAIL: invite someone to claim a speaker profile."""
import click
from flask.cli import AppGroup

from webapp.cli import find_by_slug_or_fail
from webapp.models import Speaker
from webapp.services import invitations
from webapp.services.accounts import AccountError

speakers_cli = AppGroup("speakers", help="Speaker profiles: invitations to claim them.")


@speakers_cli.command("invite")
@click.argument("slug")
@click.argument("email")
@click.option("--no-mail", is_flag=True, help="Only print the link; do not send the invitation mail.")
def invite_command(slug: str, email: str, no_mail: bool) -> None:
    """Invite EMAIL to claim the profile of the speaker SLUG; prints the link (valid once)."""
    from webapp.cli import committing

    try:
        with committing():
            speaker = find_by_slug_or_fail(Speaker, slug)
            if no_mail:
                link = invitations.invitation_link(invitations.create_invitation(None, speaker, email))
            else:
                link = invitations.send_invitation(None, speaker, email)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(link)
