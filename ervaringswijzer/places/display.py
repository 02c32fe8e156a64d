"""Words for the opening status and the week table, in the visitor's language."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date
from flask_babel import gettext as _

from .hours import OpeningStatus


def day_name(d: date) -> str:
    return format_date(d, "EEEE")


def _when(moment: datetime, now: datetime) -> str:
    """'om 09:00', 'morgen om 09:00', 'dinsdag om 09:00' or 'op 2 januari om 09:00'."""
    clock = moment.strftime("%H:%M")
    days = (moment.date() - now.date()).days
    if days == 0:
        return _("om %(time)s", time=clock)
    if days == 1:
        return _("morgen om %(time)s", time=clock)
    if days < 7:
        return _("%(day)s om %(time)s", day=day_name(moment.date()), time=clock)
    return _("op %(date)s om %(time)s", date=format_date(moment.date(), "d MMMM"), time=clock)


def status_line(status: OpeningStatus, now: datetime) -> str:
    """The one line a client reads first: open or not, and until or from when."""
    if status.state == "unknown":
        return _("Openingstijden onbekend — bel even")
    if status.open_now:
        if status.closes_at is None:
            return _("Nu open")
        return _("Nu open · sluit %(when)s", when=_when(status.closes_at, now))
    if status.opens_at is None:
        return _("Gesloten")
    return _("Gesloten · gaat %(when)s open", when=_when(status.opens_at, now))


def interval_text(start: datetime, end: datetime) -> str:
    text = f"{start:%H:%M}–{end:%H:%M}"
    if end.date() > start.date():
        text += " " + _("(tot de volgende dag)")
    return text
