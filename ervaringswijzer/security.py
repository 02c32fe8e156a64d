"""Security headers on every response, with a strict Content-Security-Policy.

Nothing is loaded from other sites, so the policy allows only 'self' (plus the configured map
tile host for images). Inline scripts need the per-request nonce: `<script nonce="{{ csp_nonce() }}">`.
"""
import secrets
from urllib.parse import urlparse

from flask import g


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def allow_framing() -> None:
    """Embed pages call this: partner sites may show them in a frame."""
    g.allow_framing = True


def _tile_origin(app) -> str:
    url = app.config.get("MAP_TILE_URL") or ""
    parsed = urlparse(url.replace("{s}", "a"))
    if parsed.scheme in ("http", "https") and parsed.netloc:
        host = parsed.netloc.replace("a.", "*.", 1) if "{s}" in url else parsed.netloc
        return f"{parsed.scheme}://{host}"
    return ""


def init_app(app) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def security_headers(response):
        framing = g.get("allow_framing", False)
        policy = [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{csp_nonce()}'",
            "style-src 'self' 'unsafe-inline'",  # Leaflet sets inline styles on map elements
            f"img-src 'self' data: {_tile_origin(app)}".strip(),
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors *" if framing else "frame-ancestors 'none'",
        ]
        response.headers["Content-Security-Policy"] = "; ".join(policy)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()"
        if not framing:
            response.headers["X-Frame-Options"] = "DENY"
        return response
