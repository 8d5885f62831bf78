"""Normalised names: tags, speaker names and slugs."""
import re
import unicodedata

from slugify import slugify

_TAG_INVALID = re.compile(r"[^\w+&.-]+", re.UNICODE)
_NAME_PUNCT = re.compile(r"[^\w]+", re.UNICODE)
TAG_MAX_LENGTH = 80
SLUG_MAX_LENGTH = 120
SLUG_COLUMN_LENGTH = 200  # the width of the slug columns; longer text names no row


def normalize_tag(raw: str) -> str:
    """'#MedNumSavoirs', 'mednumsavoirs' and ' #mednumsavoirs ' give 'mednumsavoirs'.

    Case is folded and the leading '#' dropped; accents are kept (they carry meaning in
    French) but written in composed form so that one spelling is stored.
    """
    name = unicodedata.normalize("NFC", raw or "").strip().lstrip("#").strip().casefold()
    name = _TAG_INVALID.sub("-", name).strip("-.")
    return name[:TAG_MAX_LENGTH]


def fold_accents(text: str) -> str:
    """'Médiathèque' -> 'Mediatheque'; 'œuvre' -> 'oeuvre'."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def person_name_key(name: str) -> str:
    """One key per person: 'Sophie  PERRUSSON', 'sophie perrusson' and 'Sophie Perrússon' agree."""
    folded = fold_accents(unicodedata.normalize("NFC", name or "")).casefold()
    return " ".join(_NAME_PUNCT.sub(" ", folded).split())


def person_sort_key(name: str) -> str:
    """Family name first, so the A-Z list reads like a library catalogue."""
    parts = person_name_key(name).split()
    if len(parts) < 2:
        return " ".join(parts)
    return " ".join([parts[-1], *parts[:-1]])


def clean_display_name(name: str) -> str:
    """One line of text: whitespace collapsed, control characters (which no XML feed can hold) dropped."""
    text = unicodedata.normalize("NFC", name or "")
    return " ".join("".join(c for c in text if c.isspace() or unicodedata.category(c) != "Cc").split())


def make_slug(text: str) -> str:
    return slugify(text or "", max_length=SLUG_MAX_LENGTH, word_boundary=True) or "sans-titre"
