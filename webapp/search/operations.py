"""Search rules: synonyms and redirects that organisers add from searches that found nothing.

A synonym applies to a word (or a run of words) of any query: "mednum lyon" is searched as
`mednum OR "médiation numérique" lyon`. A redirect applies only when the whole normalised query
is the rule's: the search opens that page of the archive instead. Rules are read from the
database on every search (one lookup on a unique index), so a change applies at once in every
worker. Queries are normalised by core/counting.normalise_query, like the search statistics.
"""
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.core.audit import record_audit, record_change, snapshot
from webapp.core.counting import normalise_query
from webapp.core.i18n import is_local_path
from webapp.extensions import db
from webapp.models import SearchRule, SearchRuleKind, User
from webapp.search.indexing import drain_queue

MAX_WORDS = 4  # the longest run of words a synonym may name
REPLACEMENT_LENGTH = 300
RULE_FIELDS = ("query", "kind", "replacement")
_TOKEN = re.compile(r'"[^"]*"?|\S+')
_OPERATORS = {"OR", "AND", "NOT", "||", "&&"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class InvalidRule(ValueError):
    """A rule that cannot be saved; `field` names the form field, str(error) is for people."""

    def __init__(self, field: str, message):
        super().__init__(message)
        self.field, self.message = field, message  # lazy: translated when shown

    def __str__(self) -> str:
        return str(self.message)


# Validation -----------------------------------------------------------------------------------

def clean_query(raw: str | None) -> str:
    query = normalise_query(raw or "")
    if _CONTROL.search(query) or not re.search(r"\w", query):
        raise InvalidRule("query", _l("Enter the search the rule applies to, such as mednum."))
    return query


def clean_redirect_path(raw: str | None) -> str:
    """A local path of the archive, such as /tags/mednumsavoirs: never another site."""
    path = (raw or "").strip()
    if not is_local_path(path) or _CONTROL.search(path) or " " in path or len(path) > REPLACEMENT_LENGTH:
        raise InvalidRule("replacement", _l("Enter an address of this archive starting with one /, "
                                            "such as /tags/mednumsavoirs."))
    return path


def clean_synonym(raw: str | None, query: str) -> str:
    """Words to search as well: one line, no double quotes, not the query itself."""
    words = " ".join((raw or "").split())
    if (_CONTROL.search(raw or "") or '"' in words or not re.search(r"\w", words)
            or len(words) > REPLACEMENT_LENGTH):
        raise InvalidRule("replacement", _l("Enter the words to search as well, such as "
                                            "médiation numérique (no quotation marks)."))
    if normalise_query(words) == query:
        raise InvalidRule("replacement", _l("The synonym must differ from the search itself."))
    return words


def clean_rule(query: str | None, kind: str | None, replacement: str | None) -> tuple[str, SearchRuleKind, str]:
    """(normalised query, kind, replacement), or InvalidRule."""
    if kind not in {k.value for k in SearchRuleKind}:
        raise InvalidRule("kind", _l("Choose a synonym or a redirect."))
    query = clean_query(query)
    if kind == SearchRuleKind.REDIRECT:
        return query, SearchRuleKind.REDIRECT, clean_redirect_path(replacement)
    return query, SearchRuleKind.SYNONYM, clean_synonym(replacement, query)


# Changes (audited) --------------------------------------------------------------------------

def rule_for_query(query: str) -> SearchRule | None:
    return db.session.scalar(select(SearchRule).where(SearchRule.query == query))


def _ensure_free(query: str, rule: SearchRule | None = None) -> None:
    holder = rule_for_query(query)
    if holder is not None and holder is not rule:
        raise InvalidRule("query", _l("“%(query)s” already has a rule: edit that one.", query=query))


def create_rule(user: User, query: str | None, kind: str | None, replacement: str | None) -> SearchRule:
    """Add a synonym or redirect for a query; raises InvalidRule. Flushes, never commits."""
    query, kind, replacement = clean_rule(query, kind, replacement)
    _ensure_free(query)
    rule = SearchRule(query=query, kind=kind, replacement=replacement, created_by=user)
    db.session.add(rule)
    db.session.flush()
    record_audit(user, "create", rule, {name: [None, str(getattr(rule, name))] for name in RULE_FIELDS})
    return rule


def update_rule(user: User, rule: SearchRule, query: str | None, kind: str | None,
                replacement: str | None) -> SearchRule:
    query, kind, replacement = clean_rule(query, kind, replacement)
    _ensure_free(query, rule)
    before = snapshot(rule, RULE_FIELDS)
    rule.query, rule.kind, rule.replacement = query, kind, replacement
    db.session.flush()
    record_change(user, "update", rule, before, snapshot(rule, RULE_FIELDS))
    return rule


def delete_rule(user: User, rule: SearchRule) -> None:
    record_audit(user, "delete", rule, {name: [str(getattr(rule, name)), None] for name in RULE_FIELDS})
    db.session.delete(rule)
    db.session.flush()


def list_rules() -> list[SearchRule]:
    return list(db.session.scalars(select(SearchRule).order_by(SearchRule.query)))


# Applying rules to a search -----------------------------------------------------------------

def _is_plain(tokens: list[str], index: int) -> bool:
    """A bare word: not a phrase, field, exclusion or operator, and not after NOT."""
    token = tokens[index]
    return (not token.startswith(('"', "-")) and ":" not in token and token not in _OPERATORS
            and (index == 0 or tokens[index - 1] != "NOT"))


def _runs(tokens: list[str]) -> dict[tuple[int, int], str]:
    """{(start, length): normalised text} for every run of up to MAX_WORDS bare words."""
    runs = {}
    for start in range(len(tokens)):
        for length in range(1, MAX_WORDS + 1):
            if start + length > len(tokens) or not _is_plain(tokens, start + length - 1):
                break
            runs[(start, length)] = normalise_query(" ".join(tokens[start:start + length]))
    return runs


def _synonyms(texts: set[str]) -> dict[str, str]:
    if not texts:
        return {}
    rows = db.session.execute(select(SearchRule.query, SearchRule.replacement).where(
        SearchRule.query.in_(texts), SearchRule.kind == SearchRuleKind.SYNONYM))
    return dict(rows.all())


def _alternative(original: str, replacement: str) -> str:
    words = replacement if replacement.startswith("#") and " " not in replacement else f'"{replacement}"'
    return f"{original} OR {words}"


def expand_synonyms(text: str) -> str:
    """The query with every word (or run of words) that has a synonym searched as word OR synonym."""
    tokens = _TOKEN.findall(text or "")
    runs = _runs(tokens)
    synonyms = _synonyms(set(runs.values()))
    if not synonyms:
        return text
    parts, index = [], 0
    while index < len(tokens):
        length = next((n for n in range(MAX_WORDS, 0, -1) if runs.get((index, n)) in synonyms), 0)
        if not length:
            parts.append(tokens[index])
            index += 1
            continue
        original = " ".join(tokens[index:index + length])
        parts.append(_alternative(original if length == 1 else f'"{original}"', synonyms[runs[(index, length)]]))
        index += length
    return " ".join(parts)


@dataclass(frozen=True)
class Redirect:
    query: str
    path: str


def redirect_for(text: str) -> Redirect | None:
    """The page a whole query leads to, when an organiser set a redirect for it."""
    query = normalise_query(text or "")
    if not query:
        return None
    path = db.session.scalar(select(SearchRule.replacement).where(
        SearchRule.query == query, SearchRule.kind == SearchRuleKind.REDIRECT))
    return Redirect(query, path) if path else None


def index_queued_changes() -> int:
    """Drain the search queue into the index now, for a command whose next step reads the index
    (an edge: it commits each batch). Returns the entries drained."""
    return drain_queue()
