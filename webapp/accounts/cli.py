"""flask users create | set-password | token | revoke | list

Passwords come from a hidden prompt (asked twice) or a file, never from the command line,
so they stay out of shell history and process lists.
"""
from pathlib import Path

import click
from flask.cli import AppGroup

from webapp.accounts import operations as accounts
from webapp.accounts.sessions import end_all_sessions
from webapp.models import Role

users_cli = AppGroup("users", help="Accounts: create users, issue and revoke API tokens.")

ROLE_CHOICE = click.Choice([role.value for role in Role])
PASSWORD_FILE = click.option(
    "--password-file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path),
    help="Read the password from the first line of this file instead of prompting.")


def _read_password(password_file: Path | None) -> str:
    if password_file is None:
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    lines = password_file.read_text(encoding="utf-8").splitlines()
    return lines[0] if lines else ""


def _committed(action):
    """Runs one service call as the command's single transaction; AccountError is a usage error."""
    from webapp.core.commands import committing

    try:
        with committing():
            return action()
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=ROLE_CHOICE, required=True, help="What the account may do.")
@PASSWORD_FILE
def create_user_command(email: str, role: str, password_file: Path | None) -> None:
    """Create an account for EMAIL."""
    password = _read_password(password_file)
    user = _committed(lambda: accounts.create_user(email, role, password))
    click.echo(f"Created {user.role.value} {user.email}.")


@users_cli.command("set-password")
@click.argument("email")
@PASSWORD_FILE
def set_password_command(email: str, password_file: Path | None) -> None:
    """Give the account EMAIL a new password."""
    password = _read_password(password_file)
    _committed(lambda: accounts.set_password(accounts.get_user(email), password))
    click.echo(f"Password changed for {accounts.normalise_email(email)}.")


@users_cli.command("token")
@click.argument("email")
def token_command(email: str) -> None:
    """Print a new API token for EMAIL. It is shown once: only its hash is stored."""
    token = _committed(lambda: accounts.issue_api_token(accounts.get_user(email)))
    click.echo(token)


@users_cli.command("revoke")
@click.argument("email")
@click.option("--prefix", help="Revoke only the token starting with this (see `flask users list`).")
def revoke_command(email: str, prefix: str | None) -> None:
    """Revoke the API tokens of EMAIL (all of them, or the one given by --prefix)."""
    count = _committed(lambda: accounts.revoke_api_tokens(accounts.get_user(email), prefix))
    click.echo(f"Revoked {count} token(s).")


@users_cli.command("end-sessions")
@click.argument("email")
def end_sessions_command(email: str) -> None:
    """End every login session of EMAIL now: each browser, and each copy of its cookie, is
    logged out."""
    count = _committed(lambda: end_all_sessions(accounts.get_user(email)))
    click.echo(f"Ended {count} session(s).")


def _describe(user) -> str:
    last_login = user.last_login_at.strftime("%Y-%m-%d %H:%M UTC") if user.last_login_at else "never"
    prefixes = ", ".join(token.prefix for token in accounts.active_api_tokens(user)) or "-"
    state = "active" if user.is_active else "inactive"
    return f"{user.email}\t{user.role.value}\t{state}\tlast login: {last_login}\ttokens: {prefixes}"


@users_cli.command("list")
def list_command() -> None:
    """List the accounts, their role, last login and live token prefixes."""
    for user in accounts.list_users():
        click.echo(_describe(user))
