"""Rate limits on login (memory and Redis), security headers, and cookie flags."""
import os

import pytest

from tests.conftest import counting_limits, sqlite_app

REDIS_URL = os.environ.get("EW_TEST_REDIS_URL", "")


@pytest.fixture
def limited_app(tmp_path, request):
    """An app with rate limits on (login: 3 per minute), on a fresh SQLite copy; storage from the param."""
    with counting_limits(sqlite_app(
            tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute", RATELIMIT_SEARCH="5 per minute",
            RATELIMIT_STORAGE_URI=getattr(request, "param", "memory://"))) as app:
        yield app


def _login_attempts(app, n):
    client = app.test_client()
    return [client.post("/inloggen", data={"pseudonym": "niemand", "password": "fout-fout-fout"}) for _ in range(n)]


@pytest.mark.parametrize("limited_app", [
    "memory://",
    pytest.param(REDIS_URL, marks=pytest.mark.skipif(not REDIS_URL, reason="EW_TEST_REDIS_URL not set"), id="redis"),
], indirect=True, ids=["memory", "redis"])
def test_login_attempt_past_the_limit_is_refused_with_a_clear_message(limited_app):
    """Three wrong logins get the form again; the fourth in the minute gets 429 and a plain Dutch message."""
    responses = _login_attempts(limited_app, 4)
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert "Schuilnaam of wachtwoord klopt niet." in responses[2].get_data(as_text=True)
    refused = responses[3].get_data(as_text=True)
    assert "Je hebt dit te vaak geprobeerd" in refused and "Wacht even" in refused
    assert limited_app.test_client().get("/inloggen").status_code == 200  # looking at the form is not limited


def test_search_is_limited_on_list_and_api_together(limited_app):
    """The list page and the API share one search budget per address."""
    client = limited_app.test_client()
    codes = [client.get("/plekken?q=koffie").status_code for _ in range(3)]
    codes += [client.get("/api/v1/places?q=koffie").status_code for _ in range(3)]
    assert codes == [200, 200, 200, 200, 200, 429]
    assert client.get("/api/v1/places").get_json()["error"]["code"] == "too_many_requests"


def test_security_headers_on_pages_json_and_errors(client):
    """CSP without outside origins, nosniff, Referrer-Policy and no framing on every kind of response."""
    for url in ("/", "/ervaringen", "/api/v1/places", "/bestaat-niet", "/inloggen"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "http" not in csp.replace("https://tile.openstreetmap.org", "")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_session_cookie_is_secure_only_over_https(client, reviews_member):
    """The session cookie is HttpOnly and SameSite=Lax always, and Secure when the request came over https."""
    member = reviews_member("member", password="wachtwoord-123")
    assert member
    for base, secure in (("http://localhost", False), ("https://localhost", True)):
        response = client.post("/inloggen", data={"pseudonym": "member-1", "password": "wachtwoord-123"},
                               base_url=base)
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is secure, cookie
