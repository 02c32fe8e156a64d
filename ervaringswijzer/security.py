"""Security headers on every response, with a strict Content-Security-Policy.

Nothing is loaded from other sites, so the policy allows only 'self' (plus the configured map
tile host for images). Inline scripts need the per-request nonce: `<script nonce="{{ csp_nonce() }}">`.
"""
import secrets
from urllib.parse import urlparse

from flask import abort, current_app, g, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from .extensions import csrf


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def same_site_origin() -> bool:
    """False when the browser says the post comes from another site (Origin, else Referer). A client that
    sends neither is no browser acting for someone: it could post the same thing itself."""
    sent = request.headers.get("Origin") or request.headers.get("Referer")
    if not sent or sent == "null":
        return sent != "null"
    found = urlparse(sent)
    return f"{found.scheme}://{found.netloc}" == request.host_url.rstrip("/")


def protect_public_post() -> None:
    """For a form anyone may send, shown on a page that is the same for every visitor without a session
    (no CSRF token in it, so reading the page sets no cookie): a member's post still needs their
    token; a visitor's post must come from our own pages. A forged one is refused with 400."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if current_app.config["SESSION_COOKIE_NAME"] in request.cookies and "_user_id" in session:
        csrf.protect()
    elif not same_site_origin():
        abort(400)


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


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """The session cookie gets the Secure flag on every request that came in over https.

    A fixed SESSION_COOKIE_SECURE=True would break logging in on plain http (local runs, tests);
    deciding per request keeps one config for both. Behind a proxy, TRUST_PROXY_HEADERS lets
    ProxyFix read X-Forwarded-Proto, so request.is_secure tells the truth.
    """

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or (has_request_context() and request.is_secure))


def init_app(app) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.session_interface = HttpsAwareSessionInterface()
    proxies = int(app.config.get("TRUST_PROXY_HEADERS") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

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
        if app.config["SESSION_COOKIE_NAME"] in request.cookies and "_user_id" in session:
            # Pages for a logged-in member stay out of every cache: on a shared computer in a walk-in
            # centre the next person must not find them with the back button or in the cache. (Asked
            # only when a session cookie came in, so anonymous answers do not get "Vary: Cookie".)
            response.headers["Cache-Control"] = "no-store"
        return response
