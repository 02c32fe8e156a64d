"""Fetching an import source: allowed hosts only, no internal addresses after any redirect, size and time limits."""
from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.places.fetch import FetchError, FetchLimits, _check_peer, address_allowed, fetch
from ervaringswijzer.places.models import Place

PLACES = json.dumps([{"name": "Inloop De Brug", "categories": ["walk_in_centre"], "slug": "de-brug",
                      "address": {"city": "Utrecht"}}]).encode()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        try:
            self._answer()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading, as it should for a body over the limit

    def _answer(self):
        port = self.server.server_address[1]
        routes = {
            "/plekken.json": (200, {"Content-Type": "application/json"}, PLACES),
            "/naar-intern": (302, {"Location": f"http://127.0.0.2:{port}/plekken.json"}, b""),
            "/naar-localhost": (302, {"Location": f"http://localhost:{port}/plekken.json"}, b""),
            "/naar-metadata": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
            "/rondje": (302, {"Location": "/rondje"}, b""),
            "/groot-gezegd": (200, {"Content-Length": str(50_000_000)}, b""),
        }
        if self.path == "/groot-gestuurd":
            self.send_response(200)
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"x" * 100_000)
            return
        if self.path == "/traag":
            time.sleep(1.5)
        status, headers, body = routes.get(self.path, (404, {}, b""))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def source():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# The test server runs on loopback, so these tests allow exactly 127.0.0.1 as an admin could allow an
# internal network; everything else internal stays refused.
LIMITS = FetchLimits(allowed_hosts=("127.0.0.1", "127.0.0.2", "169.254.169.254"), max_bytes=1_000_000,
                     timeout=1.0, allowed_networks=("127.0.0.1/32",))


@pytest.mark.parametrize("ip, allowed", [
    ("8.8.8.8", True), ("2a00:1450:4001::200e", True), ("127.0.0.1", False), ("127.0.0.2", False),
    ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False), ("169.254.169.254", False),
    ("100.64.0.1", False), ("0.0.0.0", False), ("::1", False), ("fe80::1", False), ("fc00::1", False),
    ("::ffff:127.0.0.1", False), ("::ffff:10.0.0.1", False), ("224.0.0.1", False)])
def test_only_public_addresses(ip, allowed):
    """Loopback, private, link-local, shared, multicast and mapped internal addresses are refused."""
    assert address_allowed(ip) is allowed


def test_allowed_source_is_fetched(source):
    body, final = fetch(f"{source}/plekken.json", LIMITS)
    assert body == PLACES and final.endswith("/plekken.json")


@pytest.mark.parametrize("path, message", [
    ("/naar-intern", "intern of privé-adres (127.0.0.2)"),
    ("/naar-metadata", "intern of privé-adres (169.254.169.254)"),
    ("/naar-localhost", "localhost staat niet op de lijst"),
    ("/rondje", "meer dan 5 keer doorgestuurd"),
    ("/groot-gezegd", "de bron is 50 MB; hoogstens 1 MB"),
    ("/groot-gestuurd", "groter dan 1 MB; afgebroken"),
    ("/traag", "niet binnen 1 seconden"),
])
def test_refusals_after_redirects_and_limits(source, path, message):
    """Every hop is checked again, and size and time are limited."""
    with pytest.raises(FetchError) as caught:
        fetch(source + path, LIMITS)
    assert message in str(caught.value)


def test_loopback_refused_unless_allowed(source):
    """Without an allowed network the same loopback source is refused before connecting."""
    with pytest.raises(FetchError, match="intern of privé-adres"):
        fetch(f"{source}/plekken.json", FetchLimits(allowed_hosts=("127.0.0.1",)))
    with pytest.raises(FetchError, match="http:// of https://"):
        fetch("file:///etc/passwd", LIMITS)


def test_the_connected_address_is_checked(source):
    """Whatever DNS said, a socket that ends up at an internal address is closed."""
    sock = socket.create_connection(("127.0.0.1", int(source.rsplit(":", 1)[1])))
    with pytest.raises(FetchError, match="intern adres"):
        _check_peer(sock, FetchLimits(allowed_hosts=()))
    assert sock.fileno() == -1


def test_follow_imports_and_repeats_as_update(app, source):
    """import-places --follow reads an allowed source; a second run changes nothing."""
    app.config.update(IMPORT_ALLOWED_HOSTS="127.0.0.1", IMPORT_ALLOWED_NETWORKS="127.0.0.1/32")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["import-places", "--follow", f"{source}/plekken.json"])
    assert first.exit_code == 0 and "1 plekken toegevoegd" in first.output, first.output
    second = runner.invoke(args=["import-places", "--follow", f"{source}/plekken.json"])
    assert "0 plekken toegevoegd, 0 bijgewerkt, 1 ongewijzigd" in second.output
    refused = runner.invoke(args=["import-places", "--follow", f"{source}/naar-intern"])
    assert refused.exit_code != 0 and "127.0.0.2 staat niet op de lijst" in refused.output
    with app.app_context():
        assert db.session.scalars(sa.select(Place.slug)).all() == ["de-brug"]
