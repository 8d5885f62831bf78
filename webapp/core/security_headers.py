"""The security headers of every response, set in one after-request hook.

HTML pages load scripts, styles and images from this site only and run no inline script (the
JSON-LD blocks are data, which browsers never run). Responses that set their own policy keep it:
served uploads are sandboxed (`default-src 'none'; sandbox`, webapp/core/storage.py), and pages
that must not leak their address keep `Referrer-Policy: no-referrer`. HSTS is sent when SITE_URL
is an https:// address, that is when the archive is served over HTTPS.

A page that embeds another site's frame (a talk's video player) says so while it renders, with
`allow_frame_sources("https://framatube.org")`: its response alone then carries
`frame-src <those origins>`; every other page keeps the policy above, where frames fall under
`default-src 'self'`.

Likewise, the one page other sites may frame (the embeddable slide viewer, webapp/embeds/) calls
`allow_framing_by_any_site()`: its response alone carries `frame-ancestors *`; every other page
keeps `frame-ancestors 'none'`.
"""
import re

from flask import Flask, g

NO_FRAME_ANCESTORS = "frame-ancestors 'none'"
ANY_FRAME_ANCESTORS = "frame-ancestors *"  # any http(s) page, in CSP 3's matching of "*"
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    NO_FRAME_ANCESTORS,
))
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
HSTS = "max-age=31536000; includeSubDomains"
FRAME_ORIGIN = re.compile(r"https://[a-z0-9.-]{1,253}")


def allow_frame_sources(*origins: str) -> None:
    """Let the response of the current request frame these https:// origins (and no others)."""
    for origin in origins:
        if not FRAME_ORIGIN.fullmatch(origin):
            raise ValueError(f"not an https origin: {origin!r}")
    sources = g.setdefault("frame_sources", [])
    sources.extend(origin for origin in origins if origin not in sources)


def allow_framing_by_any_site() -> None:
    """Let any site frame the response of the current request (and no other response)."""
    g.framed_by_any_site = True


def content_security_policy(frame_sources=(), framed_by_any_site: bool = False) -> str:
    """The policy of a page, with `frame-src` when the page frames other sites, and
    `frame-ancestors *` when any site may frame it."""
    policy = CONTENT_SECURITY_POLICY
    if framed_by_any_site:
        policy = policy.replace(NO_FRAME_ANCESTORS, ANY_FRAME_ANCESTORS)
    if not frame_sources:
        return policy
    return f"{policy}; frame-src {' '.join(frame_sources)}"


def init_app(app: Flask) -> None:
    is_https = app.config["SITE_URL"].lower().startswith("https://")

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(
            g.get("frame_sources", ()), g.get("framed_by_any_site", False)))
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers["X-Content-Type-Options"] = "nosniff"
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if is_https:
            headers["Strict-Transport-Security"] = HSTS
        return response
