"""Outgoing mail through Flask-Mail.

With MAIL_SERVER unset (development), each mail is written to instance/mail/<timestamp>.eml
and printed on standard output instead of being sent.
"""
import secrets
import smtplib
import sys
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from flask_mail import Message

from webapp.extensions import mail


def default_sender() -> str:
    configured = current_app.config.get("MAIL_DEFAULT_SENDER")
    host = urlsplit(current_app.config["SITE_URL"]).hostname or "localhost"
    return configured or f"{current_app.config['SITE_NAME']} <noreply@{host}>"


def mail_directory() -> Path:
    return Path(current_app.config.get("MAIL_DIR") or Path(current_app.instance_path) / "mail")


def _write_to_mail_directory(message: Message) -> Path:
    directory = mail_directory()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    path = directory / f"{stamp}-{secrets.token_hex(3)}.eml"
    path.write_bytes(message.as_bytes())
    return path


def _print_message(message: Message, path: Path) -> None:
    """Readable on the console, whatever transfer encoding the .eml file uses."""
    print(f"--- mail written to {path} ---\nTo: {', '.join(message.recipients)}\n"
          f"Subject: {message.subject}\n\n{message.body}\n--- end of mail ---", file=sys.stdout, flush=True)


def send_mail(subject: str, recipient: str, body: str) -> bool:
    """Sends (or, in development, files) a plain-text mail; False when the server failed."""
    message = Message(subject=subject, recipients=[recipient], body=body, sender=default_sender())
    if not current_app.config.get("MAIL_SERVER"):
        _print_message(message, _write_to_mail_directory(message))
        return True
    try:
        mail.send(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("Mail to a user could not be sent (subject %r)", subject)
        return False
    return True
