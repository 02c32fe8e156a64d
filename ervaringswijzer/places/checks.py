"""Checked before it goes stale: when a place is due, rounds of check mails, signed links, overdue places.

A place is due when its last check lies `check_interval_months` back (or it was never checked). Its
contact person is mailed once per round with two links that need no account; after two weeks without
an answer one reminder follows; after four the place is overdue: clients see a warning and it is on
the coordinator's list. A place without a contact e-mail is on that list as soon as it is due.
"""
from __future__ import annotations

import calendar
import secrets
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from ..core.time import utcnow
from ..core.tokens import token_hash
from ..db import insert_if_absent
from ..extensions import db
from .models import Place, PlaceCheck, PlaceCheckToken
from .services import mark_checked

REMIND_AFTER = timedelta(days=14)
OVERDUE_AFTER = timedelta(days=28)
TOKEN_LIFETIME = timedelta(days=42)
PURPOSES = ("confirm", "edit")
STALE_HOURS_DAYS = 183  # "more than six months ago" for the status line


def months_back(day: date, months: int) -> date:
    """The same day `months` earlier (the last day of that month when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def round_key(place: Place) -> str:
    return place.last_checked.isoformat() if place.last_checked else "never"


def is_due(place: Place, day: date) -> bool:
    return place.last_checked is None or place.last_checked <= months_back(day, place.check_interval_months or 6)


def due_clause(day: date):
    """SQL: the place is due on `day`. Intervals are few distinct values, so one cut-off date each."""
    intervals = list(db.session.scalars(sa.select(Place.check_interval_months).distinct())) or [6]
    return sa.or_(Place.last_checked.is_(None), *[
        sa.and_(Place.check_interval_months == months, Place.last_checked <= months_back(day, months))
        for months in intervals])


def _round_key_sql():
    return sa.func.coalesce(sa.cast(Place.last_checked, sa.String), "never")


def overdue_clause(day: date):
    """SQL: due, and either nobody can be mailed or the round's mail is four weeks unanswered."""
    unanswered = sa.exists().where(PlaceCheck.place_id == Place.id, PlaceCheck.round_key == _round_key_sql(),
                                   PlaceCheck.sent_on <= day - OVERDUE_AFTER, PlaceCheck.answered_on.is_(None))
    return sa.and_(due_clause(day), sa.or_(Place.contact_email == "", unanswered))


def is_overdue(place: Place, day: date) -> bool:
    if not is_due(place, day):
        return False
    if not place.contact_email:
        return True
    check = db.session.get(PlaceCheck, (place.id, round_key(place)))
    return check is not None and check.sent_on <= day - OVERDUE_AFTER and check.answered_on is None


def hours_checked_long_ago(place: Place, day: date) -> bool:
    """The status line says when the hours were checked once that is more than six months ago."""
    return place.last_checked is not None and (day - place.last_checked).days > STALE_HOURS_DAYS


def places_to_mail(day: date) -> list[Place]:
    """Published, due places with a contact e-mail whose round has not been mailed yet."""
    mailed = sa.exists().where(PlaceCheck.place_id == Place.id, PlaceCheck.round_key == _round_key_sql())
    return list(db.session.scalars(sa.select(Place).where(
        Place.status == "published", Place.contact_email != "", due_clause(day), ~mailed).order_by(Place.id)))


def places_to_remind(day: date) -> list[Place]:
    """Places whose round's mail is two weeks unanswered and not reminded yet."""
    return list(db.session.scalars(sa.select(Place).join(
        PlaceCheck, sa.and_(PlaceCheck.place_id == Place.id, PlaceCheck.round_key == _round_key_sql())).where(
        Place.status == "published", Place.contact_email != "", due_clause(day),
        PlaceCheck.reminded_on.is_(None), PlaceCheck.answered_on.is_(None),
        PlaceCheck.sent_on <= day - REMIND_AFTER).order_by(Place.id)))


def claim_first_mail(place: Place, day: date) -> bool:
    """True for exactly one caller per round, on however many machines: the inserted row is the claim."""
    return insert_if_absent(PlaceCheck, {"place_id": place.id, "round_key": round_key(place), "sent_on": day},
                            keys=["place_id", "round_key"])


def claim_reminder(place: Place, day: date) -> bool:
    """True for exactly one caller: a conditional UPDATE that only one transaction can make."""
    result = db.session.execute(sa.update(PlaceCheck).where(
        PlaceCheck.place_id == place.id, PlaceCheck.round_key == round_key(place),
        PlaceCheck.reminded_on.is_(None)).values(reminded_on=day))
    return result.rowcount == 1


def mark_answered(place: Place, day: date) -> None:
    """The contact answered this round with proposed changes (see PlaceCheck.answered_on)."""
    db.session.execute(sa.update(PlaceCheck).where(
        PlaceCheck.place_id == place.id, PlaceCheck.round_key == round_key(place)).values(answered_on=day))


def issue_links(place: Place, now: datetime | None = None) -> dict[str, str]:
    """One fresh token per purpose (256 random bits each); only their hashes are stored."""
    now = now or utcnow()
    tokens = {}
    for purpose in PURPOSES:
        token = secrets.token_urlsafe(32)
        db.session.add(PlaceCheckToken(place_id=place.id, token_hash=token_hash(token), purpose=purpose,
                                       expires_at=now + TOKEN_LIFETIME))
        tokens[purpose] = token
    db.session.flush()
    return tokens


def _usable(token: str, purpose: str, now: datetime):
    return sa.and_(PlaceCheckToken.token_hash == token_hash(token or ""), PlaceCheckToken.purpose == purpose,
                   PlaceCheckToken.used_at.is_(None), PlaceCheckToken.expires_at > now)


def place_for_token(token: str, purpose: str, now: datetime | None = None) -> Place | None:
    """The place a link is for, while it is unused and unexpired (looking uses nothing up)."""
    place_id = db.session.scalar(sa.select(PlaceCheckToken.place_id).where(_usable(token, purpose, now or utcnow())))
    return db.session.get(Place, place_id) if place_id else None


def use_token(token: str, purpose: str, now: datetime | None = None) -> Place | None:
    """Spend a link: one conditional UPDATE, so a double tap or two machines use it once."""
    now = now or utcnow()
    place_id = db.session.execute(sa.update(PlaceCheckToken).where(_usable(token, purpose, now))
                                  .values(used_at=now).returning(PlaceCheckToken.place_id)).scalar()
    return db.session.get(Place, place_id) if place_id else None


def confirm_by_token(token: str, day: date, now: datetime | None = None) -> Place | None:
    """"Klopt nog": last_checked becomes today, in the place's history too. None for a spent link."""
    place = use_token(token, "confirm", now)
    if place is not None:
        mark_checked(place, None, day)
    return place
