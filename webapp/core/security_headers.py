"""The security headers of every response, set in one after-request hook.

HTML pages load scripts, styles and images from this site only and run no inline script (the
JSON-LD blocks are data, which browsers never run). Responses that set their own policy keep it:
served uploads are sandboxed (`default-src 'none'; sandbox`, webapp/core/storage.py), and pages
that must not leak their address keep `Referrer-Policy: no-referrer`. HSTS is sent when SITE_URL
is an https:// address, that is when the archive is served over HTTPS.
"""
from flask import Flask

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
    "frame-ancestors 'none'",
))
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask) -> None:
    is_https = app.config["SITE_URL"].lower().startswith("https://")

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers["X-Content-Type-Options"] = "nosniff"
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if is_https:
            headers["Strict-Transport-Security"] = HSTS
        return response
