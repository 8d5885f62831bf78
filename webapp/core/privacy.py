"""What makes counting privacy-respecting: which hits are not counted, and how repeats are told
apart without storing anything about the visitor.

Known bots (by user agent) are never counted. Repeat hits of one visitor on one object within
STATS_REPEAT_WINDOW seconds are counted once: the visitor is recognised by a keyed hash of
(daily salt, client address, user agent, metric, object) that lives in the collector's memory only.
The salt is random, never written anywhere, and replaced every day (UTC), which also forgets every
hash: nothing links a visitor from one day to the next, and nothing survives a restart.
"""
import hashlib
import hmac
import os
import re
import time
from datetime import date

# Substrings of user agents that are not people reading: crawlers, link previews, scripts,
# headless browsers, monitoring probes. Lower-case, matched anywhere in the lower-cased user agent.
BOT_USER_AGENT_PATTERNS = (
    r"bot\b", r"bot/", r"robot", r"crawl", r"spider", r"slurp", r"scrap", r"archiver",
    r"facebookexternalhit", r"facebookcatalog", r"meta-externalagent", r"embedly", r"quora link",
    r"whatsapp", r"telegrambot", r"skypeuripreview", r"vkshare", r"pinterest", r"bitlybot",
    r"headlesschrome", r"phantomjs", r"slimerjs", r"electron/", r"puppeteer", r"playwright",
    r"selenium", r"webdriver", r"lighthouse", r"pagespeed", r"chrome-lighthouse", r"gtmetrix",
    r"curl/", r"wget/", r"python-requests", r"python-urllib", r"python-httpx", r"aiohttp",
    r"httpclient", r"okhttp", r"go-http-client", r"java/", r"libwww-perl", r"lwp::", r"ruby",
    r"node-fetch", r"axios/", r"undici", r"postmanruntime", r"insomnia", r"httpie", r"wrk",
    r"apachebench", r"\bab/", r"locust", r"jmeter", r"k6/", r"siege",
    r"pingdom", r"uptimerobot", r"statuscake", r"site24x7", r"newrelicpinger", r"datadog",
    r"nagios", r"zabbix", r"check_http", r"monitor", r"probe", r"healthcheck", r"kube-probe",
    r"elb-healthchecker", r"googlestackdrivermonitoring", r"uptime", r"feedfetcher", r"feedly",
    r"feedburner", r"newsblur", r"inoreader", r"rss", r"validator", r"w3c_", r"linkcheck",
    r"nutch", r"heritrix", r"ia_archiver", r"httrack", r"mediapartners", r"adsbot", r"google-read-aloud",
    r"google-inspectiontool", r"googleother", r"applebot", r"bingpreview", r"yandex", r"baiduspider",
    r"duckduckgo", r"petalbot", r"semrush", r"ahrefs", r"mj12", r"dotbot", r"seznam",
    r"gptbot", r"chatgpt", r"claude", r"anthropic", r"perplexity", r"ccbot", r"bytespider",
    r"amazonbot", r"diffbot", r"cohere", r"imagesift", r"omgili", r"timpibot", r"^mozilla/5\.0$",
)
BOT_USER_AGENT = re.compile("|".join(BOT_USER_AGENT_PATTERNS))  # matched on the lower-cased agent


def is_bot(user_agent: str | None) -> bool:
    """A known bot, or no user agent at all (browsers always send one)."""
    return not user_agent or not user_agent.strip() or BOT_USER_AGENT.search(user_agent.lower()) is not None


def visitor_digest(address: str | None, user_agent: str | None) -> str:
    """An unsalted digest computed on the request path so that the address and the user agent
    never leave the request; the collector salts it again before remembering anything."""
    raw = f"{address or ''}\0{user_agent or ''}".encode("utf-8", "replace")
    return hashlib.sha256(raw).hexdigest()


class RepeatFilter:
    """Remembers, for window_seconds, the salted hashes of (visitor, metric, object) seen."""

    def __init__(self, window_seconds: float):
        self.window_seconds = window_seconds
        self._salt_day: date | None = None
        self._salt = b""
        self._seen_until: dict[bytes, float] = {}

    def is_first(self, visitor: str, subject: str, day: date, now: float | None = None) -> bool:
        """True if this visitor's hit on this subject counts (not seen within the window)."""
        now = time.monotonic() if now is None else now
        self._rotate_salt(day)
        key = hmac.new(self._salt, f"{visitor}\0{subject}".encode(), hashlib.sha256).digest()
        if self._seen_until.get(key, 0.0) > now:
            return False
        self._seen_until[key] = now + self.window_seconds
        return True

    def forget_expired(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        self._seen_until = {key: until for key, until in self._seen_until.items() if until > now}

    def _rotate_salt(self, day: date) -> None:
        """A new random salt on a new day, and every hash made with the old one forgotten."""
        if day != self._salt_day:
            self._salt_day, self._salt = day, os.urandom(32)
            self._seen_until.clear()

    def __len__(self) -> int:
        return len(self._seen_until)
