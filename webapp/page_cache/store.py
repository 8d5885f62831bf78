"""Where cached pages live, and the content generation that says which of them are current.

cachelib gives every backend one interface: FileSystemCache, the embedded default (a folder under
instance/, shared by every gunicorn worker of a host), and RedisCache or MemcachedCache for
several hosts. Every key starts with a digest of the database URL and of SITE_URL (every absolute
URL of a page is built from it), so that two sites, or two test runs, never read each other's
pages, even through one Redis, and a site moved to another address renders its pages anew.

The generation is a random token and the time it was drawn, written anew (never incremented) by
every commit that changes public content (changes.py): two processes that bump it at once each
write a token nobody has seen, so no page rendered before either commit matches any more.

Several hosts without a cache server (each with its own filesystem backend) also share the
generation through the database (shared_generation.py): every bump writes it there too, and a page
is current only when it was rendered at the host's generation joined with the database's, which
each process reads at most once every PAGE_CACHE_GENERATION_CHECK_SECONDS. The search index's
commits bump the host's generation only: each host's search pages follow its own index.

A backend that fails (a Redis server gone) is logged and read as a miss: the site keeps serving,
uncached. cachelib itself logs and swallows the filesystem's errors.
"""
import hashlib
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from cachelib import BaseCache, FileSystemCache, MemcachedCache, RedisCache
from flask import Flask, current_app, has_app_context

from webapp.page_cache.shared_generation import DatabaseGeneration
from webapp.page_cache.sweeping import FileSweeper

EXTENSION_KEY = "causeries_page_cache"
GENERATION = "generation"
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
MEMCACHED_SCHEME = "memcached://"
BACKEND_SECONDS = 0.5  # how long a cache server may take to connect or answer
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Generation:
    token: str
    changed_at: float  # seconds since the epoch

    @classmethod
    def drawn_now(cls) -> "Generation":
        return cls(secrets.token_hex(8), time.time())

    @classmethod
    def from_value(cls, value) -> "Generation | None":
        """The generation a backend holds ((token, time), as `value` writes it), else None."""
        if isinstance(value, (tuple, list)) and len(value) == 2:
            return cls(str(value[0]), float(value[1]))
        return None

    @property
    def value(self) -> tuple[str, float]:
        return (self.token, self.changed_at)

    def joined(self, shared: tuple[str, float]) -> "Generation":
        """This generation and the database's as one: it changes when either does."""
        token, changed_at = shared
        return Generation(f"{self.token}.{token}", max(self.changed_at, changed_at))

    @property
    def changed_at_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.changed_at, timezone.utc)


class PageStore:
    """Pages by key, each written with the generation it was rendered at, and the generation.
    `shared` is the database's generation, written by every bump; `checks_shared` says whether
    lookups read it too (hosts that share no cache server)."""

    def __init__(self, pages: BaseCache, generations: BaseCache, namespace: str, max_age: int,
                 sweeper: FileSweeper | None = None, shared: DatabaseGeneration | None = None,
                 checks_shared: bool = False):
        self.pages, self.generations = pages, generations
        self.namespace, self.max_age, self.sweeper = namespace, max_age, sweeper
        self.shared, self.checks_shared = shared, checks_shared and shared is not None
        self.generation_key = self.key(GENERATION)

    def key(self, name: str) -> str:
        return f"causeries:{self.namespace}:{name}"

    def read(self, page: str) -> tuple[Generation | None, dict | None]:
        """The current generation and the page stored under that name (None if there is none);
        (None, None) when the backend fails: the page is rendered, and not stored."""
        page_key = self.key(page)
        try:
            if self.pages is self.generations:  # one round trip to a cache server
                value, entry = self.pages.get_many(self.generation_key, page_key)
            else:
                value, entry = self.generations.get(self.generation_key), self.pages.get(page_key)
            generation = Generation.from_value(value) or self._first_generation()
            if self.checks_shared:
                generation = generation.joined(self.shared.current())
        except Exception:  # noqa: BLE001  (any client error: serve the page uncached)
            log.warning("The page cache could not be read", exc_info=True)
            return None, None
        return generation, entry if isinstance(entry, dict) else None

    def write(self, page: str, entry: dict) -> None:
        try:
            self.pages.set(self.key(page), entry, timeout=self.max_age)
        except Exception:  # noqa: BLE001
            log.warning("The page cache could not be written", exc_info=True)

    def bump(self) -> Generation:
        """A new generation on every host: every page stored so far is out of date."""
        generation = self.bump_host()
        if self.shared is not None:
            try:
                self.shared.write_new()
            except Exception:  # noqa: BLE001
                log.error("The page cache's generation could not be written to the database: other "
                          "hosts' pages may be stale for up to %s s", self.max_age, exc_info=True)
        return generation

    def bump_host(self) -> Generation:
        """A new generation for the hosts that read this backend only (the search index's commits:
        each host's search pages follow its own index)."""
        generation = Generation.drawn_now()
        try:
            self.generations.set(self.generation_key, generation.value, timeout=0)
        except Exception:  # noqa: BLE001
            log.error("The page cache's generation could not be bumped: pages may be stale for up to "
                      "%s s", self.max_age, exc_info=True)
        return generation

    def sweep_if_due(self) -> None:
        if self.sweeper is not None:
            self.sweeper.sweep_if_due()

    def _first_generation(self) -> Generation:
        generation = Generation.drawn_now()
        if self.generations.add(self.generation_key, generation.value, timeout=0):
            return generation
        return Generation.from_value(self.generations.get(self.generation_key)) or generation


def current_store() -> PageStore | None:
    """The page cache of the current app, None when it is off (or outside an app context)."""
    return current_app.extensions.get(EXTENSION_KEY) if has_app_context() else None


def namespace_of(config: dict) -> str:
    source = "\n".join((config["SQLALCHEMY_DATABASE_URI"], config["SITE_URL"]))
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def open_store(app: Flask) -> PageStore | None:
    """The store PAGE_CACHE names: filesystem, off, redis://..., rediss://..., memcached://..."""
    config = app.config
    setting, max_age = config["PAGE_CACHE"].strip(), config["PAGE_CACHE_SECONDS"]
    namespace = namespace_of(config)
    if setting == "off" or max_age <= 0:
        return None
    check_seconds = config["PAGE_CACHE_GENERATION_CHECK_SECONDS"]
    shared = DatabaseGeneration(app, check_seconds)
    if setting == "filesystem":
        return _filesystem_store(Path(config["PAGE_CACHE_DIR"]), namespace, max_age,
                                 config["PAGE_CACHE_MAX_ENTRIES"], shared, check_seconds > 0)
    if setting.startswith(REDIS_SCHEMES):
        server = _redis_cache(setting, max_age)
    elif setting.startswith(MEMCACHED_SCHEME):
        server = _memcached_cache(setting, max_age)
    else:
        raise RuntimeError("PAGE_CACHE must be filesystem, off, a redis:// or rediss:// URL, "
                           f"or memcached://host:port; not {setting!r}")
    return PageStore(server, server, namespace, max_age, shared=shared)  # one generation for all


def _filesystem_store(folder: Path, namespace: str, max_age: int, max_entries: int,
                      shared: DatabaseGeneration, checks_shared: bool) -> PageStore:
    """Pages in folder/pages (swept of expired files), generations in folder/generations.
    threshold=0: cachelib neither counts nor prunes files itself (its pruning walks the whole
    folder on every new page once full); the sweeper bounds the folder instead."""
    pages = FileSystemCache(str(folder / "pages"), threshold=0, default_timeout=max_age)
    generations = FileSystemCache(str(folder / "generations"), threshold=0, default_timeout=0)
    return PageStore(pages, generations, namespace, max_age,
                     FileSweeper(folder / "pages", max_age, max_entries), shared, checks_shared)


def _redis_cache(url: str, max_age: int) -> RedisCache:
    try:
        import redis
    except ImportError as missing:
        raise RuntimeError("PAGE_CACHE is a Redis URL: install the redis package "
                           "(pip install 'causeries[redis]')") from missing
    client = redis.Redis.from_url(url, socket_connect_timeout=BACKEND_SECONDS,
                                  socket_timeout=BACKEND_SECONDS)
    return RedisCache(client, default_timeout=max_age)


def _memcached_cache(url: str, max_age: int) -> MemcachedCache:
    servers = [server.strip() for server in url[len(MEMCACHED_SCHEME):].split(",") if server.strip()]
    if not servers:
        raise RuntimeError("PAGE_CACHE=memcached://host:port names no server")
    try:
        return MemcachedCache(servers, default_timeout=max_age)
    except RuntimeError as missing:
        raise RuntimeError("PAGE_CACHE is a memcached URL: install a memcached client "
                           "(pip install 'causeries[memcached]')") from missing
