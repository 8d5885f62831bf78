"""Absolute URLs come from SITE_URL, never from the request's Host header; other hosts get a 400.

A forged `Host: evil.example` would otherwise reach canonical links, og:url, JSON-LD, the citation
block, feeds, the sitemap and the API, and a cache in front of the site would keep the poisoned
page for everybody. The app's URL adapter builds every external URL (`url_for(..., _external=True)`)
with SITE_URL's scheme and host, and Flask refuses a Host that TRUSTED_HOSTS does not list (by
default SITE_URL's host and the loopback names that `make run`, health checks and tests use).
"""
from urllib.parse import urlsplit

from flask import Flask, request
from werkzeug.exceptions import SecurityError


class SiteUrlFlask(Flask):
    """Flask whose URL adapter takes its scheme and host from SITE_URL, for a request and outside
    one alike."""

    def create_url_adapter(self, request):
        site = urlsplit(self.config["SITE_URL"])
        if request is None:  # an app context (a command, work after the response): SITE_URL too
            adapter = super().create_url_adapter(request)
            return adapter or self.url_map.bind(site.netloc, url_scheme=site.scheme)
        try:
            adapter = super().create_url_adapter(request)
        except SecurityError as untrusted_host:
            # Refused as a 400 when the request is dispatched; the error page still builds its
            # links (from SITE_URL), which a missing adapter would turn into a 500.
            request.routing_exception = untrusted_host
            adapter = self.url_map.bind_to_environ(request.environ, server_name=site.netloc, subdomain="")
        adapter.url_scheme, adapter.server_name = site.scheme, site.netloc
        return adapter


def refuse_untrusted_host() -> None:
    """The app's very first request hook: an untrusted Host is a 400 before anything else runs."""
    if isinstance(request.routing_exception, SecurityError):
        raise request.routing_exception
