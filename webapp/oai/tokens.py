"""Resumption tokens: the state of a list request, signed with SECRET_KEY and dated.

A token holds the request's own arguments (verb, metadataPrefix, from, until, set), the last talk
id answered (pages follow the talk id, a key no change moves, so a harvest answers each record once
however the archive changes meanwhile), the cursor and the list size counted on the first page.
A token that was tampered with, or is older than OAI_TOKEN_SECONDS, is refused as badResumptionToken.
"""
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta, timezone

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "oai-pmh-resumption-token"


@dataclass(frozen=True)
class ListState:
    verb: str
    prefix: str | None  # metadataPrefix (None for ListSets)
    from_at: int | None  # epoch seconds, inclusive
    until_at: int | None  # epoch seconds, inclusive
    set_spec: str | None
    after: int | str = 0  # the last key answered: a talk id, or (ListSets) the last setSpec
    cursor: int = 0  # items answered before this page
    size: int | None = None  # completeListSize, counted once


class BadToken(Exception):
    pass


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(state: ListState) -> tuple[str, datetime]:
    """The token of the next page, and when it expires."""
    token = _serializer().dumps(asdict(state))
    expires_at = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(
        seconds=current_app.config["OAI_TOKEN_SECONDS"])
    return token, expires_at


def read_token(token: str, verb: str) -> ListState:
    try:
        values = _serializer().loads(token, max_age=current_app.config["OAI_TOKEN_SECONDS"])
        state = ListState(**values)
    except (BadSignature, TypeError, ValueError) as refused:
        raise BadToken from refused
    if state.verb != verb:
        raise BadToken
    return state


def next_state(state: ListState, after, answered: int, size: int) -> ListState:
    return replace(state, after=after, cursor=state.cursor + answered, size=size)
