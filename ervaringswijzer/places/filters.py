"""Place filters shared by the list page and the JSON API: parse them once, apply them in one place."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from geopy.distance import great_circle

from ..core.time import today
from ..edge import day_in_window
from ..extensions import db
from ..text import fold
from .categories import CATEGORY_KEYS, FLAG_KEYS
from .hours import TZ, minute_status, open_periods
from .models import Place, PlaceCategory
from .serialize import ranking_for, ranking_query
from .services import distinct_values
from .when import TimeWindow, read_when


RUNG_VALUES = ("1", "2", "3", "4", "5", "6")
FRESH_DAYS = 365  # "hide places not checked for a year"


@dataclass
class PlaceFilters:
    q: str = ""
    categories: list[str] = field(default_factory=list)
    wijk: str = ""
    city: str = ""
    open_now: bool = False
    flags: list[str] = field(default_factory=list)
    near: tuple[float, float] | None = None
    radius_km: float | None = None
    at: datetime | None = None
    when: TimeWindow | None = None  # open at some time in this window (from time words or params)
    typed_q: str = ""  # q as typed, time words included
    near_private: bool = False  # near came from the visitor's cookie: links say dichtbij=1, never the position
    rungs: list[int] = field(default_factory=list)  # participation-ladder rungs 1..6
    fresh: bool = False  # hide places not checked for a year

    @property
    def active(self) -> bool:
        return bool(self.q or self.categories or self.wijk or self.city or self.open_now
                    or self.flags or self.near or self.when or self.rungs or self.fresh)

    @property
    def count(self) -> int:
        """How many filters beside the search words are on (shown on the folded filter button)."""
        return (len(self.categories) + len(self.flags) + bool(self.wijk) + bool(self.city)
                + self.open_now + bool(self.near) + bool(self.when) + len(self.rungs) + self.fresh)

    @property
    def sql_only(self) -> bool:
        """Filters the search index does not know: its totals and pages cannot be used as they are."""
        return bool(self.rungs or self.fresh)


@dataclass
class PlacePage:
    items: list[Place]
    total: int
    page: int
    per_page: int
    distances: dict[int, float] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def parse_filters(args, max_per_page: int = 100, default_per_page: int = 20):
    """Read filters from request args (a MultiDict). Returns (filters, page, per_page, errors)."""
    errors: dict[str, str] = {}
    f = PlaceFilters(q=(args.get("q") or "").strip()[:200], city=(args.get("city") or "").strip())
    f.city, f.wijk = city_and_wijk(f.city, args.get("wijk") or "", errors)

    categories = [c for c in args.getlist("category") if c]
    bad = [c for c in categories if c not in CATEGORY_KEYS]
    if bad:
        errors["category"] = "unknown category: " + ", ".join(bad)
    f.categories = [c for c in categories if c in CATEGORY_KEYS]

    flags = [x.strip() for value in args.getlist("flags") for x in value.split(",") if x.strip()]
    # The HTML form sends each flag as its own checkbox (?walk_in=1); the API uses flags=a,b.
    flags += [key for key in FLAG_KEYS if args.get(key) in ("1", "on", "true")]
    bad = [x for x in flags if x not in FLAG_KEYS]
    if bad:
        errors["flags"] = "unknown flag: " + ", ".join(bad)
    f.flags = list(dict.fromkeys(x for x in flags if x in FLAG_KEYS))

    rungs = [value for value in args.getlist("rung") if value != ""]
    if any(value not in RUNG_VALUES for value in rungs):
        errors["rung"] = "rung must be a whole number from 1 to 6"
    f.rungs = sorted({int(value) for value in rungs if value in RUNG_VALUES})
    fresh = args.get("fresh", "")
    if fresh not in ("", "0", "1", "true", "false", "on"):
        errors["fresh"] = "fresh must be 1 or 0"
    f.fresh = fresh in ("1", "true", "on")

    open_now = args.get("open_now", "")
    if open_now not in ("", "0", "1", "true", "false", "on"):
        errors["open_now"] = "open_now must be 1 or 0"
    f.open_now = open_now in ("1", "true", "on")

    if args.get("near"):
        try:
            lat, lon = (float(x) for x in args["near"].split(","))
            if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat + lon):
                raise ValueError
            f.near = (lat, lon)
        except ValueError:
            errors["near"] = "near must be LAT,LON"
    if args.get("radius_km"):
        try:
            f.radius_km = float(args["radius_km"])
            if not 0 < f.radius_km <= 500:
                raise ValueError
        except ValueError:
            errors["radius_km"] = "radius_km must be a number between 0 and 500"
        if f.near is None and "near" not in errors:
            errors["radius_km"] = "radius_km needs near=LAT,LON"

    if args.get("at"):
        try:
            at = datetime.fromisoformat(args["at"])
            if not day_in_window(at):
                raise ValueError
            f.at = at if at.tzinfo else at.replace(tzinfo=TZ)
        except ValueError:
            errors["at"] = "at must be an ISO 8601 date-time, e.g. 2026-11-24T10:00:00+01:00"
    f.typed_q = f.q
    f.when, f.q = read_when(args, f.q, f.at or datetime.now(TZ), errors)
    if f.when and args.get("open_at"):
        f.at = f.when.start  # open_at is the same instant as at

    page = _positive_int(args.get("page"), 1, "page", errors)
    per_page = _positive_int(args.get("per_page"), default_per_page, "per_page", errors)
    if per_page > max_per_page:
        errors["per_page"] = f"per_page must be at most {max_per_page}"
    return f, page, per_page, errors


def city_and_wijk(city: str, wijk: str, errors: dict) -> tuple[str, str]:
    """A wijk only means something within its city: "Binnenstad" lies in Leiden and in Zwolle.
    It comes with city=..., or as one value "city/wijk" (what menus and facet links send).
    A wijk without its city is refused (reported under "wijk"), never matched in every city."""
    city, wijk = city.strip(), wijk.strip()
    if "/" in wijk:
        wijk_city, wijk = (part.strip() for part in wijk.split("/", 1))
        if city and wijk_city and fold(city) != fold(wijk_city):
            errors["wijk"] = f"wijk {wijk!r} lies in {wijk_city!r}, not in city {city!r}"
            return city, ""
        city = city or wijk_city
    if wijk and not city:
        errors["wijk"] = "wijk needs a city: city=CITY&wijk=WIJK or wijk=CITY/WIJK"
        return city, ""
    return city, wijk


MAX_PAGE = 1_000_000  # far past the last page of any region; larger numbers overflow the database's OFFSET


def _positive_int(value, default: int, name: str, errors: dict) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
        if not 1 <= number <= MAX_PAGE:
            raise ValueError
        return number
    except ValueError:
        errors[name] = f"{name} must be a whole number from 1 to {MAX_PAGE}"
        return default


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance: within 0.3 % of the ellipsoid (geodesic) and about 10x faster than it,
    which matters here because near-me and sort-by-distance measure every matching place."""
    return great_circle(a, b).km


@dataclass(slots=True)
class MapPlace:
    """The few fields a map and the list beside it need: loading whole Place objects costs 10x more."""
    id: int
    slug: str
    name: str
    lat: float | None
    lon: float | None
    opening_hours: str | None
    categories: list[str] = field(default_factory=list)

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lon is not None


MAP_COLUMNS = (Place.id, Place.slug, Place.name, Place.lat, Place.lon, Place.opening_hours)
# The id breaks ties between equal names, so pages neither repeat nor skip a place.
NAME_ORDER = (Place.name, Place.id)


def _sql_query(f: PlaceFilters, ids: list[int] | None, columns=(Place,), text: bool = False):
    """Published places matching the filters; ids (from the index) narrow them; text=True matches the
    words in SQL (when the index cannot answer)."""
    query = sa.select(*columns).where(Place.status == "published")
    if ids is not None:
        query = query.where(Place.id.in_(ids))
    if text and f.q:
        query = query.where(*text_conditions(f.q))
    if f.categories:
        query = query.where(Place.id.in_(
            sa.select(PlaceCategory.place_id).where(PlaceCategory.key.in_(f.categories))))
    if f.wijk:
        query = query.where(_folded_equals(Place.wijk, f.wijk))
    if f.city:
        query = query.where(_folded_equals(Place.city, f.city))
    for flag in f.flags:
        query = query.where(getattr(Place, flag).is_(True))
    if f.near:
        query = query.where(Place.lat.is_not(None), Place.lon.is_not(None))
    if f.rungs:
        query = query.where(Place.participation_rung.in_(f.rungs))
    if f.fresh:
        query = query.where(Place.last_checked >= today() - timedelta(days=FRESH_DAYS))
    box = bounding_box(f)
    if box:  # the exact circle is checked in Python below
        query = query.where(Place.lat.between(box[0], box[2]), Place.lon.between(box[1], box[3]))
    return query


def filtered_query(f: PlaceFilters, ids: list[int] | None = None, columns=(Place,)):
    """SELECT columns of the published places the SQL part of the filters keeps (within ids when given):
    for map feeds, reports and exports."""
    return _sql_query(f, ids, columns)


def refined_in_python(f: PlaceFilters) -> bool:
    """Whether some filter is applied after SQL (text ranking, distance circle, open now, a time window)."""
    return bool(f.q or f.near or f.open_now or f.when)


def bounding_box(f: PlaceFilters) -> tuple[float, float, float, float] | None:
    """(min lat, min lon, max lat, max lon) around the near-me circle, or None without a radius."""
    if not (f.near and f.radius_km):
        return None
    dlat = f.radius_km / 111.0
    dlon = f.radius_km / (111.0 * max(0.01, math.cos(math.radians(f.near[0]))))
    return (f.near[0] - dlat, f.near[1] - dlon, f.near[0] + dlat, f.near[1] + dlon)


def _folded_equals(column, value: str):
    """Wijk and city match without regard to case or accents ('Rhôneweg' = 'rhoneweg'), as the
    search index does. SQL cannot fold accents alike on SQLite and PostgreSQL, so the few
    distinct stored names are folded here."""
    wanted = fold(value.strip())
    return column.in_([name for name in distinct_values(column) if _folded_name(name) == wanted])


@lru_cache(maxsize=8192)
def _folded_name(name: str) -> str:
    """Stored names repeat on every filtered page: each is folded once per process."""
    return fold(name.strip())


def text_conditions(q: str) -> list:
    """Plain SQL matching on every word; the full-text index takes over where it is available."""
    conditions = []
    for word in q.split()[:8]:
        pattern = f"%{word.lower()}%"
        conditions.append(sa.or_(
            sa.func.lower(Place.name).like(pattern), sa.func.lower(Place.description).like(pattern),
            sa.func.lower(Place.city).like(pattern), sa.func.lower(Place.wijk).like(pattern)))
    return conditions


def _cos_lat(near: tuple[float, float]) -> float:
    return max(0.01, math.cos(math.radians(near[0])))


def approximate_distance(near: tuple[float, float]):
    """An SQL expression that orders like the distance to near: squared degrees, longitude shrunk by
    cos(latitude). Within a region its order matches the great circle's; the exact distance is
    computed only for the places shown."""
    scale = _cos_lat(near)
    return ((Place.lat - near[0]) * (Place.lat - near[0])
            + (Place.lon - near[1]) * scale * (Place.lon - near[1]) * scale)


def _approximate_key(near: tuple[float, float]):
    scale = _cos_lat(near)
    return lambda p: (p.lat - near[0]) ** 2 + ((p.lon - near[1]) * scale) ** 2


def find_places(f: PlaceFilters, page: int = 1, per_page: int = 20, ranked_ids: list[int] | None = None,
                sort: str = "") -> PlacePage:
    """Published places matching the filters. ranked_ids (from a text search) fixes the order and the set;
    without it, words in f.q are matched in SQL (the index cannot answer).

    sort: "" is rank order for ranked ids, else nearest first with near, else by name; "distance" is
    nearest first; "rating" is the reviews' ranking (best first, unrated last; ties keep the order "" gives).

    Only one page of Place objects is ever loaded, and the exact distance is measured for that page only.
    Without open-now, a time window, a radius or ranked ids, the count, order and page come straight
    from SQL; otherwise lean rows of the SQL-narrowed candidates are refined in Python (`_refine`:
    open-now from a per-minute cache, a time window once per hours expression) and then the page is loaded.
    """
    start = (page - 1) * per_page
    text = ranked_ids is None
    if ranked_ids is None and not f.radius_km and not f.open_now and not f.when:
        # Two statements: a window count(*) OVER () would make PostgreSQL read and sort every
        # matching row for one page (measured at 10,000 places: ~45-75 ms against ~2 + ~1 ms).
        total = db.session.scalar(sa.select(sa.func.count()).select_from(
            _sql_query(f, None, (Place.id,), text).subquery())) or 0
        query = _sql_query(f, None, (Place,), text)
        order = list(NAME_ORDER)
        if f.near and sort != "rating":
            order = [approximate_distance(f.near), *order]
        if sort == "rating":
            ranking = ranking_query()
            if ranking is not None:
                query = query.outerjoin(ranking, ranking.c.place_id == Place.id)
                order = [ranking.c.score.is_(None), ranking.c.score.desc(), *order]
        items = list(db.session.scalars(query.order_by(*order).offset(start).limit(per_page)))
        return _page(f, items, total, page, per_page)
    if ranked_ids is not None and page == 1 and len(ranked_ids) <= per_page and not sort \
            and not (f.near or f.open_now or f.when):
        # One page of ranked ids and nothing to refine in Python: the places themselves, in one statement
        # (and their categories), instead of lean rows first and the same places again.
        found = {p.id: p for p in db.session.scalars(_sql_query(f, ranked_ids, (Place,), text))}
        return _page(f, [found[pid] for pid in ranked_ids if pid in found], len(found), page, per_page)
    query = _sql_query(f, ranked_ids, MAP_COLUMNS, text)
    if ranked_ids is None:
        query = query.order_by(approximate_distance(f.near), *NAME_ORDER) if f.near else query.order_by(*NAME_ORDER)
    rows = _refine([MapPlace(*row) for row in db.session.execute(query)], f, ranked_ids)[0]
    if sort == "distance" and f.near and ranked_ids is not None:
        rows.sort(key=_approximate_key(f.near))
    elif sort == "rating":
        scores = ranking_for([row.id for row in rows])
        rows.sort(key=lambda p: (p.id not in scores, -scores.get(p.id, 0.0)))  # stable: ties keep the order
    return _page(f, places_by_ids([row.id for row in rows[start:start + per_page]]), len(rows), page, per_page)


def _page(f: PlaceFilters, items: list[Place], total: int, page: int, per_page: int) -> PlacePage:
    distances = {p.id: distance_km(f.near, (p.lat, p.lon)) for p in items if p.has_location} if f.near else {}
    return PlacePage(items=items, total=total, page=page, per_page=per_page, distances=distances)


def places_by_ids(ids: list[int]) -> list[Place]:
    """Place objects for ids, in the order of ids (one query, plus one for their categories)."""
    if not ids:
        return []
    found = {p.id: p for p in db.session.scalars(sa.select(Place).where(Place.id.in_(ids)))}
    return [found[pid] for pid in ids if pid in found]


def find_map_places(f: PlaceFilters) -> list[MapPlace]:
    """Every place find_places would list, in the same order, as lean rows (two queries, no ORM objects)."""
    query = _sql_query(f, None, MAP_COLUMNS, text=True)
    query = query.order_by(approximate_distance(f.near), *NAME_ORDER) if f.near else query.order_by(*NAME_ORDER)
    places = [MapPlace(*row) for row in db.session.execute(query)]
    by_id = {p.id: p for p in places}
    matching = _sql_query(f, None, (Place.id,), text=True)
    rows = db.session.execute(sa.select(PlaceCategory.place_id, PlaceCategory.key)
                              .where(PlaceCategory.place_id.in_(matching)).order_by(PlaceCategory.key))
    for place_id, key in rows:
        if place_id in by_id:
            by_id[place_id].categories.append(key)
    return _refine(places, f, None)[0]


def _refine(places: list, f: PlaceFilters, ranked_ids: list[int] | None) -> tuple[list, dict[int, float]]:
    """Rank order, distance and open-now filters, for Place objects and MapPlace rows alike."""
    if ranked_ids is not None:
        rank = {pid: i for i, pid in enumerate(ranked_ids)}
        places.sort(key=lambda p: rank.get(p.id, len(rank)))

    distances: dict[int, float] = {}
    if f.near:
        # Nearest first comes from SQL (approximate_distance); the exact circle is measured only for the
        # candidates inside the radius's bounding box, never for every place.
        places = [p for p in places if p.has_location]
        if f.radius_km:
            distances = {p.id: distance_km(f.near, (p.lat, p.lon)) for p in places}
            places = [p for p in places if distances[p.id] <= f.radius_km]
    if f.open_now:
        at = f.at or datetime.now(TZ)
        places = [p for p in places if minute_status(p.opening_hours, at).open_now]
    if f.when:
        opens: dict[str | None, bool] = {}  # many places share their hours: evaluate each expression once
        for expr in {p.opening_hours for p in places}:
            opens[expr] = bool(open_periods(expr, f.when.start, f.when.end))
        places = [p for p in places if opens[p.opening_hours]]
    return places, distances


