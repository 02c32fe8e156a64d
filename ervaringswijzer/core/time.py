"""The clock: stored moments in UTC, what a visitor sees in Europe/Amsterdam. No Flask import."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Amsterdam")


def utcnow() -> datetime:
    """For stored timestamps (column defaults)."""
    return datetime.now(timezone.utc)


def now() -> datetime:
    """The moment in the Netherlands: "open now", week tables, the API's default `at`."""
    return datetime.now(TZ)


def today() -> date:
    """Today's date in the Netherlands (last_checked, visit months), whatever the server's zone."""
    return now().date()


def iso(value: date | datetime | None) -> str | None:
    """ISO 8601 text for JSON (the privacy download), None stays None."""
    return value.isoformat() if value is not None else None
