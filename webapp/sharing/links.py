"""The text a visitor shares and the share addresses built from it: plain functions, no request.

The text is a headline, the page's tags as hashtags and the page's canonical address (from SITE_URL,
never from the Host header), short enough for Bluesky's 300 characters (Mastodon takes 500).
Bluesky, LinkedIn and email are plain links built here; Mastodon has no central share address, so
static/js/sharing.js builds https://<the visitor's instance>/share?text=... from the same text.
"""
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, urlencode

TEXT_LIMIT = 300  # Bluesky's limit, in characters
MAX_HASHTAGS = 5
MIN_HEADLINE = 40  # characters of headline kept before hashtags are dropped to make room
ELLIPSIS = "…"
BLUESKY_COMPOSE = "https://bsky.app/intent/compose"
LINKEDIN_SHARE = "https://www.linkedin.com/sharing/share-offsite/"
# Runs of spaces and line breaks fold into one space; narrow no-break spaces (French typography,
# « like this ») stay where they are.
FOLDED_SPACE = re.compile(r"[ \t\r\n\f\v]+")


@dataclass(frozen=True)
class ShareLinks:
    title: str  # the email's subject, the Web Share API's title
    text: str  # headline, hashtags and address
    url: str  # the canonical absolute address
    bluesky: str
    linkedin: str
    email: str


def hashtag(name: str) -> str | None:
    """A tag's name as a hashtag: letters (accents kept), digits and underscores, words joined
    in CamelCase so that screen readers read them apart; None when no letter is left."""
    words, word = [], []
    for character in name.strip().lstrip("#") + " ":
        if character.isalnum() or character == "_":
            word.append(character)
        elif word:
            words.append("".join(word))
            word = []
    if len(words) > 1:
        words = [word[0].upper() + word[1:] for word in words]
    joined = "".join(words)
    return f"#{joined}" if any(character.isalpha() for character in joined) else None


def hashtags(names: Iterable[str], limit: int = MAX_HASHTAGS) -> list[str]:
    """Hashtags of the names, in their order, without repeats (whatever their case), at most limit."""
    seen, found = set(), []
    for name in names:
        tag = hashtag(name)
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            found.append(tag)
    return found[:limit]


def shorten(text: str, limit: int) -> str:
    """text, cut at a word boundary with an ellipsis when longer than limit characters."""
    text = FOLDED_SPACE.sub(" ", text).strip(" ")
    if len(text) <= limit:
        return text
    cut = text[:max(limit - 1, 0)]
    if " " in cut and not text[len(cut)].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:—-") + ELLIPSIS


def share_text(headline: str, tags: list[str], url: str, limit: int = TEXT_LIMIT) -> str:
    """Headline, then the hashtags, then the address, each on its line, within limit characters:
    the address is always whole; hashtags go (from the last) before the headline shrinks below
    MIN_HEADLINE, then the headline is shortened."""
    tags = list(tags)

    def room() -> int:
        tail = len(url) + 1 + (len(" ".join(tags)) + 1 if tags else 0)
        return limit - tail

    while tags and room() < MIN_HEADLINE:
        tags.pop()
    lines = [shorten(headline, room()), " ".join(tags), url]
    return "\n".join(line for line in lines if line)


def _mailto(subject: str, body: str) -> str:
    """RFC 6068: every reserved character percent-encoded (spaces as %20, never +)."""
    return f"mailto:?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


def share_links(title: str, headline: str, tags: list[str], url: str) -> ShareLinks:
    text = share_text(headline, tags, url)
    return ShareLinks(
        title=title, text=text, url=url,
        bluesky=f"{BLUESKY_COMPOSE}?{urlencode({'text': text}, quote_via=quote)}",
        linkedin=f"{LINKEDIN_SHARE}?{urlencode({'url': url}, quote_via=quote)}",
        email=_mailto(title, text),
    )
