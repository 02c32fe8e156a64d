"""What to offer when a search finds nothing: looser searches, places open at night, and help by phone."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from ..extensions import db
from ..places.categories import CATEGORIES, FLAGS
from ..places.display import window_text
from ..places.filters import PlaceFilters
from ..places.hours import TZ, opening_status
from ..places.models import Place
from .service import search_places

NIGHT_HOUR = time(1, 30)  # a place open at half past one is open through the night
SHOWN = 5
CANDIDATES = 50  # per looser search, to pick those that open first from


@dataclass
class Relaxation:
    """One active filter, the search without it, and how many places that search finds."""
    label: str
    args: dict
    total: int


@dataclass
class Alternatives:
    relaxations: list[Relaxation] = field(default_factory=list)
    closest: list[Place] = field(default_factory=list)  # match all filters but one, opening first
    night: list[Place] = field(default_factory=list)


def active_filters(f: PlaceFilters) -> list[tuple[str, PlaceFilters]]:
    """Each filter that is on, as (label, the same filters without it)."""
    found: list[tuple[str, PlaceFilters]] = []
    if f.q:
        found.append((_("Zoekwoorden ‘%(q)s’", q=f.q), replace(f, q="")))
    for key in f.categories:
        found.append((str(CATEGORIES[key]), replace(f, categories=[c for c in f.categories if c != key])))
    if f.wijk:
        found.append((_("Wijk %(wijk)s", wijk=f.wijk), replace(f, wijk="")))
    if f.city:
        found.append((f.city, replace(f, city="")))
    if f.open_now:
        found.append((_("Nu open"), replace(f, open_now=False)))
    for key in f.flags:
        found.append((str(FLAGS[key]), replace(f, flags=[x for x in f.flags if x != key])))
    if f.near:
        found.append((_("In de buurt"), replace(f, near=None, radius_km=None)))
    if f.when:
        found.append((window_text(f.when), replace(f, when=None)))
    return found


def filter_args(f: PlaceFilters, sort: str = "") -> dict:
    """Query arguments for the list page that give these filters (the form's own names)."""
    args: dict = {}
    if f.q:
        args["q"] = f.q
    if f.categories:
        args["category"] = list(f.categories)
    for name in ("wijk", "city"):
        if getattr(f, name):
            args[name] = getattr(f, name)
    if f.open_now:
        args["open_now"] = "1"
    for key in f.flags:
        args[key] = "1"
    if f.near and f.near_private:
        args["dichtbij"] = "1"  # the position stays in the visitor's cookie, out of URLs and logs
    elif f.near:
        args["near"] = "%.5f,%.5f" % f.near
        if f.radius_km:
            args["radius_km"] = f.radius_km
    if f.at:
        args["at"] = f.at.isoformat()
    if f.when:  # the API's form of a window: the same whether it came from a choice or from time words
        args["open_between"] = f"{f.when.start.isoformat()}/{f.when.end.isoformat()}"
    if sort:
        args["sort"] = sort
    return args


def opening_order(places: list[Place], at: datetime) -> list[Place]:
    """Open places first, then by when they open next; unknown hours last."""
    far = at + timedelta(days=365)

    def key(place):
        status = opening_status(place.opening_hours, at)
        if status.open_now:
            return (0, at)
        return (1, status.opens_at or far) if status.state == "closed" else (2, far)
    return sorted(places, key=key)


def night_places(at: datetime, limit: int = SHOWN) -> list[Place]:
    """Places open in the middle of one of the coming seven nights (24/7 or hours past midnight)."""
    hours = Place.opening_hours
    # Only hours that could reach past midnight need the full check.
    maybe = sa.or_(hours.like("%24/7%"), hours.like("%-0_:%"), hours.like("%-24:%"), hours.like("%+%"))
    places = db.session.scalars(sa.select(Place).where(Place.status == "published", maybe).order_by(Place.name))
    nights = [datetime.combine(at.date() + timedelta(days=d), NIGHT_HOUR, TZ) for d in range(1, 8)]
    night = [p for p in places if any(opening_status(p.opening_hours, n).open_now for n in nights)]
    return opening_order(night, at)[:limit]


def no_results_alternatives(f: PlaceFilters, at: datetime, sort: str = "") -> Alternatives:
    """For a search that found nothing: one link per filter to drop it, the places that match all
    filters but one (those that open first on top), and places open through the night."""
    result = Alternatives()
    closest: dict[int, Place] = {}
    for label, looser in active_filters(f):
        page = search_places(looser, 1, CANDIDATES, sort, facets=False).page
        result.relaxations.append(Relaxation(label, filter_args(looser, sort), page.total))
        for place in page.items:
            closest.setdefault(place.id, place)
    start = f.when.start if f.when else (f.at or at)
    result.closest = opening_order(list(closest.values()), start)[:SHOWN]
    result.night = night_places(f.at or at)
    return result
