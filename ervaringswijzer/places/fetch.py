"""Fetch an import source by URL without letting it reach inside our network (SSRF).

Pure Python. Only http(s) to hosts an admin allowed; every hop (redirects included, at most five)
is checked again. The host name is resolved once, every address is checked, and the connection
goes to that checked address (so a second DNS answer cannot point elsewhere); the address the
socket actually connected to is checked too. Loopback, private, link-local, multicast, reserved
and unspecified addresses are refused unless an admin listed their network explicitly. The body
is read with a size limit and a deadline for the whole fetch.
"""
from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

MAX_REDIRECTS = 5


class FetchError(ValueError):
    """A plain Dutch reason why a source URL was not read."""


@dataclass
class FetchLimits:
    allowed_hosts: tuple[str, ...]
    max_bytes: int = 20_000_000
    timeout: float = 20.0
    allowed_networks: tuple[str, ...] = ()  # e.g. ("10.1.2.0/24",) for a source inside the network


def address_allowed(ip: str, allowed_networks=()) -> bool:
    """Public unicast addresses only, unless the address lies in a network an admin allowed."""
    address = ipaddress.ip_address(ip.split("%")[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if any(address in ipaddress.ip_network(n, strict=False) for n in allowed_networks):
        return True
    return address.is_global and not (address.is_multicast or address.is_reserved or address.is_private
                                      or address.is_loopback or address.is_link_local or address.is_unspecified)


def _resolve(host: str, port: int, limits: FetchLimits) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"de naam {host} is niet te vinden") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    bad = [a for a in addresses if not address_allowed(a, limits.allowed_networks)]
    if bad or not addresses:
        raise FetchError(f"{host} wijst naar een intern of privé-adres ({bad[0] if bad else '?'}); "
                         f"dat halen we niet op")
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host, port, ip, timeout, limits):
        super().__init__(host, port, timeout=timeout)
        self._ip, self._limits = ip, limits

    def connect(self):
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)
        _check_peer(self.sock, self._limits)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, ip, timeout, limits):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._ip, self._limits = ip, limits

    def connect(self):
        sock = socket.create_connection((self._ip, self.port), self.timeout)
        _check_peer(sock, self._limits)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _check_peer(sock: socket.socket, limits: FetchLimits) -> None:
    peer = sock.getpeername()[0]
    if not address_allowed(peer, limits.allowed_networks):
        sock.close()
        raise FetchError(f"de verbinding kwam uit bij een intern adres ({peer}); afgebroken")


def fetch(url: str, limits: FetchLimits) -> tuple[bytes, str]:
    """(body, final URL) of a source. Raises FetchError with a plain Dutch reason."""
    deadline = time.monotonic() + limits.timeout
    allowed = {h.lower().strip() for h in limits.allowed_hosts if h.strip()}
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError("alleen adressen die met http:// of https:// beginnen")
        host = parts.hostname.lower()
        if host not in allowed:
            raise FetchError(f"{host} staat niet op de lijst van toegestane bronnen (IMPORT_ALLOWED_HOSTS)")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        ip = _resolve(host, port, limits)
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchError(f"de bron antwoordde niet binnen {limits.timeout:g} seconden")
        kind = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
        conn = kind(host, port, ip, left, limits)
        response = None
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            conn.request("GET", path, headers={"User-Agent": "Ervaringswijzer-import/1", "Accept": "*/*"})
            response = conn.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise FetchError("de bron stuurt door zonder te zeggen waarheen")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchError(f"de bron antwoordde met foutcode {response.status}")
            return _read_body(response, limits, deadline), url
        except (OSError, http.client.HTTPException) as exc:
            if isinstance(exc, TimeoutError) or "timed out" in str(exc):
                raise FetchError(f"de bron antwoordde niet binnen {limits.timeout:g} seconden") from None
            raise FetchError(f"de bron is niet bereikbaar ({exc.__class__.__name__})") from None
        finally:
            if response is not None:
                response.close()  # the response holds the socket's file; closing the connection alone leaks it
            conn.close()
    raise FetchError(f"meer dan {MAX_REDIRECTS} keer doorgestuurd")


def _read_body(response, limits: FetchLimits, deadline: float) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > limits.max_bytes:
        raise FetchError(f"de bron is {int(length) // 1_000_000} MB; hoogstens {limits.max_bytes // 1_000_000} MB")
    chunks, size = [], 0
    while chunk := response.read1(65536):
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchError(f"de bron is groter dan {limits.max_bytes // 1_000_000} MB; afgebroken")
        if time.monotonic() > deadline:
            raise FetchError(f"de bron was niet binnen {limits.timeout:g} seconden binnen")
        chunks.append(chunk)
    return b"".join(chunks)
