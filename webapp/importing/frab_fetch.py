"""Fetching a schedule (or one of its slide decks) from an address an organiser gave, safely.

Only http and https; the host is resolved and every address it has must be public (not private,
loopback, link-local, multicast, reserved...) unless it lies in SCHEDULE_FETCH_ALLOWED_NETWORKS
(none by default; tests allow the loopback network of their own server). The connection goes to
the address that was checked (so a second DNS answer cannot point elsewhere), each redirect is
checked the same way (at most MAX_REDIRECTS), and the answer is cut at SCHEDULE_FETCH_MAX_BYTES
and SCHEDULE_FETCH_TIMEOUT seconds.
"""
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l

MAX_REDIRECTS = 3
REDIRECTS = {301, 302, 303, 307, 308}
CHUNK_BYTES = 64 * 1024
USER_AGENT = "Causeries schedule import"


class FetchRefused(Exception):
    """The address is not one we fetch, or its answer is not usable; the message says why."""


@dataclass(frozen=True)
class FetchLimits:
    max_bytes: int
    timeout: float
    allowed_networks: tuple

    @classmethod
    def from_config(cls, max_bytes: int | None = None) -> "FetchLimits":
        config = current_app.config
        networks = tuple(ipaddress.ip_network(text, strict=False)
                         for text in config["SCHEDULE_FETCH_ALLOWED_NETWORKS"])
        return cls(max_bytes or config["SCHEDULE_FETCH_MAX_BYTES"], config["SCHEDULE_FETCH_TIMEOUT"], networks)


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    body: bytes
    content_type: str


def checked_parts(url: str):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchRefused(_l("Only http and https addresses can be fetched: %(url)s", url=url))
    if not parts.hostname or parts.username or parts.password:
        raise FetchRefused(_l("This address has no host name, or carries a password: %(url)s", url=url))
    return parts


def is_allowed_address(address, limits: FetchLimits) -> bool:
    ip = ipaddress.ip_address(address)
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if any(ip in network for network in limits.allowed_networks):
        return True
    return ip.is_global and not ip.is_multicast


def resolved_address(host: str, port: int, limits: FetchLimits) -> str:
    """The first address of host, once every address it has was checked."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchRefused(_l("The host %(host)s could not be found.", host=host)) from error
    addresses = [info[4][0] for info in infos]
    refused = [address for address in addresses if not is_allowed_address(address, limits)]
    if refused or not addresses:
        raise FetchRefused(_l("The host %(host)s is on a private or local network (%(address)s): "
                              "it cannot be fetched.", host=host, address=", ".join(refused)))
    return addresses[0]


class PinnedConnection(http.client.HTTPSConnection):
    """HTTP(S) to a checked address, with the host name kept for Host, SNI and the certificate."""

    def __init__(self, host: str, port: int, address: str, timeout: float, is_tls: bool):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address, self.is_tls = address, is_tls

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)
        if self.is_tls:
            self.sock = self._context.wrap_socket(self.sock, server_hostname=self.host)


def open_once(url: str, limits: FetchLimits):
    parts = checked_parts(url)
    is_tls = parts.scheme == "https"
    port = parts.port or (443 if is_tls else 80)
    connection = PinnedConnection(parts.hostname, port, resolved_address(parts.hostname, port, limits),
                                  limits.timeout, is_tls)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        return connection, connection.getresponse()
    except BaseException:
        connection.close()
        raise


def read_limited(response, limits: FetchLimits, deadline: float) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchRefused(_l("The answer is larger than %(limit)d bytes.", limit=limits.max_bytes))
    chunks, size = [], 0
    while chunk := response.read(CHUNK_BYTES):
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchRefused(_l("The answer is larger than %(limit)d bytes.", limit=limits.max_bytes))
        if time.monotonic() > deadline:
            raise FetchRefused(_l("The address took too long to answer."))
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(url: str, limits: FetchLimits | None = None) -> Fetched:
    """The body at url, following at most MAX_REDIRECTS redirects, each checked; FetchRefused
    with a message for people otherwise."""
    limits = limits or FetchLimits.from_config()
    deadline = time.monotonic() + limits.timeout
    for _hop in range(MAX_REDIRECTS + 1):
        try:
            connection, response = open_once(url, limits)
            try:
                if response.status in REDIRECTS and response.getheader("Location"):
                    url = urljoin(url, response.getheader("Location"))
                    continue
                if response.status != 200:
                    raise FetchRefused(_l("The address answered %(status)d.", status=response.status))
                body = read_limited(response, limits, deadline)
                return Fetched(url, body, response.getheader("Content-Type") or "")
            finally:
                connection.close()
        except (OSError, http.client.HTTPException) as error:
            raise FetchRefused(_l("The address could not be fetched: %(error)s", error=str(error))) from error
    raise FetchRefused(_l("Too many redirects (more than %(count)d).", count=MAX_REDIRECTS))
