"""Which talk videos the talk page can play itself, and through which player address.

`video_embed(url)` recognises a video address on PeerTube (any instance), YouTube, Vimeo,
Dailymotion or Canal-U and returns the provider's player (`VideoEmbed`), or None: the page then
keeps a plain link. Recognition is strict, as the result becomes an iframe and a frame-src of the
page's Content-Security-Policy: https:// only (http:// is upgraded for the known providers' own
hosts), no user name or password, no port but 443, exact host names (youtube.com.evil.org is not
YouTube), identifiers of the provider's own alphabet and length. YouTube plays through
www.youtube-nocookie.com, Vimeo with dnt=1, PeerTube without peer-to-peer (which would show the
visitor's address to other viewers). Canal-U is embedded only for the addresses that carry its
numeric id (www.canal-u.tv/<id>, /embed/<id>): its /chaines/... pages name a video by a slug that
only its oEmbed service can map to an id, and nothing is fetched here, so they stay links.

`player_url(embed, start_seconds)` is the iframe's address, starting at an offset when the
provider supports one; webapp/static/js/video_player.js builds the same addresses in the browser.
"""
import re
from dataclasses import dataclass
from urllib.parse import SplitResult, parse_qs, urlencode, urlsplit

# Printable ASCII without spaces: anything else (controls, backslashes, non-ASCII look-alikes)
# is where URL parsers disagree, so such an address stays a link.
SAFE_URL = re.compile(r"[!#-\[\]-~]+")
HOST_NAME = re.compile(r"(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
SHORT_UUID = r"[1-9A-HJ-NP-Za-km-z]{20,22}"  # PeerTube's short ids: flickr base58
PEERTUBE_PATH = re.compile(rf"/(?:w|videos/watch|videos/embed)/(?P<id>{UUID}|{SHORT_UUID})/?")
YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
YOUTUBE_PATH = re.compile(r"/(?:embed|shorts|live|v)/(?P<id>[A-Za-z0-9_-]{11})/?")
VIMEO_PATH = re.compile(r"/(?:channels/[A-Za-z0-9_-]+/|groups/[A-Za-z0-9_-]+/videos/|video/)?"
                        r"(?P<id>[0-9]{1,12})(?:/(?P<hash>[0-9a-f]{6,20}))?/?")
VIMEO_HASH = re.compile(r"[0-9a-f]{6,20}")
DAILYMOTION_PATH = re.compile(r"/(?:embed/)?video/(?P<id>[A-Za-z0-9]{5,24})(?:_[A-Za-z0-9_-]*)?/?")
DAI_LY_PATH = re.compile(r"/(?P<id>[A-Za-z0-9]{5,24})/?")
CANAL_U_PATH = re.compile(r"/(?:embed/)?(?P<id>[0-9]{1,9})/?")
OFFSET = re.compile(r"(?:(?P<h>[0-9]{1,2})h)?(?:(?P<m>[0-9]{1,4})m)?(?:(?P<s>[0-9]{1,6})s?)?")

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com",
                 "youtube-nocookie.com", "www.youtube-nocookie.com"}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
DAILYMOTION_HOSTS = {"dailymotion.com", "www.dailymotion.com"}
CANAL_U_HOSTS = {"canal-u.tv", "www.canal-u.tv"}
KNOWN_HOSTS = YOUTUBE_HOSTS | VIMEO_HOSTS | DAILYMOTION_HOSTS | CANAL_U_HOSTS | {"youtu.be", "dai.ly"}

# How each provider's player takes a start offset: a query parameter, a fragment, or not at all.
START_QUERY, START_FRAGMENT, START_NONE = "query", "fragment", "none"


@dataclass(frozen=True)
class VideoEmbed:
    provider: str  # "peertube", "youtube", "vimeo", "dailymotion", "canal-u"
    provider_name: str  # as the facade names it: "PeerTube", "YouTube"...
    site: str  # the host the visitor sees named: the PeerTube instance, youtube.com...
    embed_url: str  # the player's address, without a start offset
    frame_sources: tuple[str, ...]  # the origins the page's frame-src must allow
    start_style: str  # START_QUERY, START_FRAGMENT or START_NONE
    start_seconds: int = 0  # the offset the address itself asked for (?t=90), 0 if none


def video_embed(url: str | None) -> VideoEmbed | None:
    """The player of a recognised video address, or None (the page keeps a link)."""
    parts = _checked_parts(url)
    if parts is None:
        return None
    host = parts.hostname
    if parts.scheme == "http" and host not in KNOWN_HOSTS:
        return None
    for recognise in (_youtube, _vimeo, _dailymotion, _canal_u, _peertube):
        embed = recognise(host, parts)
        if embed is not None:
            return embed
    return None


def player_url(embed: VideoEmbed, start_seconds: int = 0) -> str:
    """The iframe's address, starting `start_seconds` in where the provider supports it."""
    seconds = max(0, int(start_seconds))
    if not seconds or embed.start_style == START_NONE:
        return embed.embed_url
    if embed.start_style == START_FRAGMENT:
        return f"{embed.embed_url}#t={seconds}s"
    separator = "&" if "?" in embed.embed_url else "?"
    return f"{embed.embed_url}{separator}start={seconds}"


def _checked_parts(url: str | None) -> SplitResult | None:
    if not isinstance(url, str) or len(url) > 500 or not SAFE_URL.fullmatch(url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("https", "http") or parts.username is not None or parts.password is not None:
        return None
    if "@" in parts.netloc or port not in (None, 443 if parts.scheme == "https" else 80):
        return None
    if not parts.hostname or not HOST_NAME.fullmatch(parts.hostname):
        return None
    return parts


def _query(parts: SplitResult) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(parts.query).items()}


def _offset(value: str | None) -> int:
    """Seconds from "90", "90s", "1m30s" or "1h2m3s"; 0 for anything else."""
    match = OFFSET.fullmatch(value or "")
    if not value or not match:
        return 0
    hours, minutes, seconds = (int(match.group(name) or 0) for name in ("h", "m", "s"))
    return hours * 3600 + minutes * 60 + seconds


def _youtube(host: str, parts: SplitResult) -> VideoEmbed | None:
    query = _query(parts)
    if host == "youtu.be":
        match = YOUTUBE_ID.fullmatch(parts.path.strip("/"))
        video_id = match and match.group(0)
    elif host in YOUTUBE_HOSTS:
        match = YOUTUBE_PATH.fullmatch(parts.path)
        video_id = match.group("id") if match else None
        if parts.path.rstrip("/") == "/watch" and YOUTUBE_ID.fullmatch(query.get("v", "")):
            video_id = query["v"]
    else:
        return None
    if not video_id:
        return None
    return VideoEmbed("youtube", "YouTube", "youtube.com", f"https://www.youtube-nocookie.com/embed/{video_id}",
                      ("https://www.youtube-nocookie.com",), START_QUERY,
                      _offset(query.get("t") or query.get("start")))


def _vimeo(host: str, parts: SplitResult) -> VideoEmbed | None:
    match = VIMEO_PATH.fullmatch(parts.path) if host in VIMEO_HOSTS else None
    if not match or (host == "player.vimeo.com") != parts.path.startswith("/video/"):
        return None
    privacy_hash = match.group("hash") or _query(parts).get("h", "")
    query = {"dnt": "1", **({"h": privacy_hash} if VIMEO_HASH.fullmatch(privacy_hash) else {})}
    fragment = parts.fragment[2:] if parts.fragment.startswith("t=") else ""
    return VideoEmbed("vimeo", "Vimeo", "vimeo.com",
                      f"https://player.vimeo.com/video/{match.group('id')}?{urlencode(query)}",
                      ("https://player.vimeo.com",), START_FRAGMENT, _offset(fragment))


def _dailymotion(host: str, parts: SplitResult) -> VideoEmbed | None:
    if host == "dai.ly":
        match = DAI_LY_PATH.fullmatch(parts.path)
    else:
        match = DAILYMOTION_PATH.fullmatch(parts.path) if host in DAILYMOTION_HOSTS else None
    if not match:
        return None
    # The legacy embed address may hand over to Dailymotion's newer player host.
    return VideoEmbed("dailymotion", "Dailymotion", "dailymotion.com",
                      f"https://www.dailymotion.com/embed/video/{match.group('id')}",
                      ("https://www.dailymotion.com", "https://geo.dailymotion.com"), START_QUERY,
                      _offset(_query(parts).get("start")))


def _canal_u(host: str, parts: SplitResult) -> VideoEmbed | None:
    match = CANAL_U_PATH.fullmatch(parts.path) if host in CANAL_U_HOSTS else None
    if not match:
        return None
    return VideoEmbed("canal-u", "Canal-U", "canal-u.tv", f"https://www.canal-u.tv/embed/{match.group('id')}",
                      ("https://www.canal-u.tv",), START_NONE)


def _peertube(host: str, parts: SplitResult) -> VideoEmbed | None:
    match = PEERTUBE_PATH.fullmatch(parts.path)
    if not match or host in KNOWN_HOSTS or parts.scheme != "https":
        return None
    return VideoEmbed("peertube", "PeerTube", host, f"https://{host}/videos/embed/{match.group('id')}?p2p=0",
                      (f"https://{host}",), START_QUERY, _offset(_query(parts).get("start")))
