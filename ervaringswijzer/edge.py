"""Hostile input stopped at the edge: ids in range, no NUL characters, sane dates, safe redirect targets.

Everything a request carries passes through here before a view or the database sees it:
- every `<int:…>` route only matches ids a database column can hold (else a plain 404);
- query parameters and form fields lose NUL characters (PostgreSQL refuses them in text);
- path segments with a NUL never match a route;
- ids typed in forms or query strings, dates and `next` targets are read with the helpers below.
"""
from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlsplit

from flask import Request
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.routing import ValidationError
from werkzeug.routing.converters import IntegerConverter, PathConverter, UnicodeConverter
from wtforms.validators import StopValidation

# Our id columns are INTEGER: PostgreSQL stops at 2^31 - 1, and SQLite raises on 2^63 and above.
MAX_ID = 2**31 - 1
# Opening hours, holidays and expiry dates are computed within this window; year 9999 overflows.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2099, 12, 31)
MAX_NEXT_LENGTH = 500


def parse_id(value) -> int | None:
    """An id from a form field or query parameter, or None when it is not a whole number in range.

    Only ASCII digits count: '²' passes str.isdigit() but int() refuses it.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


def parse_ids(values) -> list[int]:
    """The valid ids among several form values, in order; the rest are dropped."""
    return [number for number in map(parse_id, values) if number is not None]


def day_in_window(day: date | datetime) -> bool:
    """True for a day our calendar code can handle (see EARLIEST_DAY/LATEST_DAY)."""
    if isinstance(day, datetime):
        day = day.date()
    return EARLIEST_DAY <= day <= LATEST_DAY


def safe_next(target, default: str) -> str:
    """A same-site path to go back to after a form, or default.

    Refuses other hosts (also '//host' and '/\\host', which browsers read as a host), control
    characters (a CR/LF would break the Location header) and overlong targets.
    """
    if not isinstance(target, str) or not target or len(target) > MAX_NEXT_LENGTH:
        return default
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target) or "\\" in target:
        return default
    if not target.startswith("/") or target.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


class DayInWindow:
    """Form validator: a date our calendar code can handle, so year 9999 gets a message, not an error page."""

    def __call__(self, form, field):
        if field.data is not None and not day_in_window(field.data):
            raise StopValidation(_l("Kies een datum tussen %(first)s en %(last)s.",
                                    first=EARLIEST_DAY.isoformat(), last=LATEST_DAY.isoformat()))


class FiniteNumber:
    """Form validator: 'NaN', 'sNaN' and 'Infinity' are not numbers anyone means (and sNaN cannot be compared)."""

    def __call__(self, form, field):
        if field.data is not None and not field.data.is_finite():
            raise StopValidation(_l("Vul een gewoon getal in, zoals 52.09071."))


def _no_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class NulFreeMultiDict(ImmutableMultiDict):
    """Query parameters and form fields with NUL characters removed from keys and values."""

    def __init__(self, mapping=None):
        if mapping is None:
            super().__init__()
        else:
            super().__init__([(_no_nul(key), _no_nul(value)) for key, value in iter_multi_items(mapping)])


class EdgeRequest(Request):
    parameter_storage_class = NulFreeMultiDict


class IdConverter(IntegerConverter):
    """`<int:…>` for database ids: 1 to MAX_ID, anything else is a 404 before the view runs."""

    def __init__(self, map, fixed_digits=0, min=1, max=MAX_ID, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class _NulFree:
    def to_python(self, value: str):
        if "\x00" in value:
            raise ValidationError()
        return super().to_python(value)


class TextConverter(_NulFree, UnicodeConverter):
    """The default `<name>` segment, without NUL characters (a slug, a city, a token)."""


class NulFreePathConverter(_NulFree, PathConverter):
    """`<path:…>` without NUL characters."""


def init_app(app) -> None:
    """Before the blueprints: their routes pick up these converters when they are registered."""
    app.request_class = EdgeRequest
    app.url_map.converters.update(int=IdConverter, default=TextConverter, string=TextConverter,
                                  path=NulFreePathConverter)
