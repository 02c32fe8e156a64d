"""One geocoding request at a time for the whole application, at most one per GEOCODER_MIN_DELAY seconds.

Public Nominatim counts requests per application, not per process: every web worker, CLI run and
machine shares one budget. A lease on one row of the shared database (or a Redis key, when
RATELIMIT_STORAGE_URI points at Redis) is held from the wait until the answer is in; the next
request goes at least `delay` seconds after the previous answer arrived, so the service never sees
two requests closer than that, whatever the network does. Only short statements of their own run
against the database (no transaction stays open during the HTTP call), the clock is the database's
(or Redis's), so machines with skewed clocks agree, and a lease that outlives a crashed process
simply expires.
"""
from __future__ import annotations

import logging
import time
import uuid
from contextlib import contextmanager

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

log = logging.getLogger(__name__)

POLL_SECONDS = 0.05


class GeocoderSlot(db.Model):
    """The shared lease per geocoding service: who holds it until when, and when its last answer came."""
    __tablename__ = "geocoder_slot"

    name: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    holder: Mapped[str | None] = mapped_column(sa.String(40))
    lease_until: Mapped[float] = mapped_column(sa.Float, default=0.0)  # seconds since the epoch, database clock
    last_request: Mapped[float] = mapped_column(sa.Float, default=0.0)


def _db_now(dialect: str):
    """Seconds since the epoch by the database's clock, with sub-second precision."""
    if dialect == "postgresql":
        return sa.func.extract("epoch", sa.func.clock_timestamp())
    return (sa.func.julianday("now") - 2440587.5) * 86400.0


class _DatabaseLease:
    def __init__(self, name: str):
        self.name = name
        self.table = GeocoderSlot.__table__

    def try_acquire(self, token: str, lease: float, delay: float) -> float | None:
        """Take the lease if it is free; returns how long to wait before the request, or None."""
        table, now = self.table, _db_now(db.engine.dialect.name)
        with db.engine.begin() as conn:
            row = conn.execute(
                sa.update(table).where(table.c.name == self.name,
                                       sa.or_(table.c.holder.is_(None), table.c.lease_until < now))
                .values(holder=token, lease_until=now + lease)
                .returning(table.c.last_request, now)).first()
        if row is None:
            return None
        return max(0.0, float(row[0]) + delay - float(row[1]))

    def release(self, token: str) -> None:
        table = self.table
        with db.engine.begin() as conn:
            conn.execute(sa.update(table).where(table.c.name == self.name, table.c.holder == token)
                         .values(holder=None, last_request=_db_now(db.engine.dialect.name)))

    def ensure(self) -> None:
        """The service's row exists (the first request ever makes it; two at once make it once)."""
        insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
        with db.engine.begin() as conn:
            conn.execute(insert(self.table).values(name=self.name, holder=None, lease_until=0.0, last_request=0.0)
                         .on_conflict_do_nothing(index_elements=["name"]))


class _RedisLease:
    # Release only our own lease, and note when the answer came, in one step.
    _RELEASE = ("if redis.call('get', KEYS[1]) == ARGV[1] then "
                "local t = redis.call('time'); redis.call('set', KEYS[2], t[1] .. '.' .. string.format('%06d', t[2])); "
                "return redis.call('del', KEYS[1]) end return 0")

    def __init__(self, name: str, url: str):
        import redis

        self.client = redis.Redis.from_url(url)
        self.lock_key, self.last_key = f"ervaringswijzer:geocoder:{name}:lease", f"ervaringswijzer:geocoder:{name}:last"

    def ensure(self) -> None:
        pass

    def try_acquire(self, token: str, lease: float, delay: float) -> float | None:
        if not self.client.set(self.lock_key, token, nx=True, px=int(lease * 1000)):
            return None
        seconds, micros = self.client.time()
        last = float(self.client.get(self.last_key) or 0)
        return max(0.0, last + delay - (seconds + micros / 1e6))

    def release(self, token: str) -> None:
        self.client.eval(self._RELEASE, 2, self.lock_key, self.last_key, token)


def _lease(name: str):
    url = current_app.config.get("GEOCODER_LIMIT_STORAGE_URI") or current_app.config.get("RATELIMIT_STORAGE_URI", "")
    if str(url).startswith(("redis://", "rediss://", "unix://")):
        return _RedisLease(name, url)
    return _DatabaseLease(name)


class GeocoderBusy(Exception):
    """Another process kept the geocoder longer than we may wait."""


@contextmanager
def geocoder_turn(name: str, delay: float, timeout: float):
    """Wait for this application's turn at the geocoding service `name`; the request runs inside."""
    if delay <= 0:
        yield
        return
    lease = _lease(name)
    lease.ensure()
    token = uuid.uuid4().hex
    # Long enough for the wait and the request; a crashed holder frees the service after this.
    hold = delay + timeout + 5
    give_up = time.monotonic() + float(current_app.config.get("GEOCODER_MAX_WAIT", 10.0))
    while (pause := lease.try_acquire(token, hold, delay)) is None:
        if time.monotonic() > give_up:
            raise GeocoderBusy(name)
        time.sleep(POLL_SECONDS)
    try:
        time.sleep(pause)
        yield
    finally:
        lease.release(token)
