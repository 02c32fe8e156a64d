"""The coordinator's dashboard parts, each aggregated in SQL (PostgreSQL and SQLite alike) into a Grid."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from ..extensions import db
from ..places.categories import CATEGORIES, FLAGS, PARTICIPATION_RUNGS
from ..places.checks import months_back, overdue_clause
from ..places.counters import month_of
from ..places.filters import PlaceFilters, filtered_query
from ..places.models import AreaCounter, Place, PlaceCategory, PlaceCounter, PlaceOpenBlocks, PlaceReach
from ..places.openblocks import BLOCK_ENDS, BLOCK_STARTS, BLOCKS, bit
from ..places.services import known_wijken
from ..text import fold
from .grid import Grid

DAY_BLOCKS = 3  # the first three blocks (7-23) are read out as gaps; nights are in the table only


@dataclass
class Scope:
    """What the coordinator chose: a city, maybe one wijk, and for the gap map a category and flags."""
    city: str
    wijk: str = ""
    category: str = ""
    flags: list[str] = field(default_factory=list)

    def filters(self, with_choices: bool = False) -> PlaceFilters:
        return PlaceFilters(city=self.city, wijk=self.wijk,
                            categories=[self.category] if with_choices and self.category else [],
                            flags=list(self.flags) if with_choices else [])

    def wijken(self) -> list[str]:
        if self.wijk:
            return [self.wijk]
        return [w for c, w in known_wijken() if fold(c) == fold(self.city)]


def weekday_names() -> list[str]:
    monday = date(2026, 11, 30)
    return [format_date(monday + timedelta(days=i), "EEEE") for i in range(7)]


def block_label(block: int) -> str:
    return f"{BLOCK_STARTS[block]}–{BLOCK_ENDS[block] % 24}"


def _wijk_label(wijk: str) -> str:
    return wijk or _("(geen wijk)")


# -- gap map -------------------------------------------------------------------------------------

def gap_grid(scope: Scope) -> tuple[Grid, list[str], int]:
    """Open places per wijk × weekday × hour block; the sentences that read out the empty cells; how
    many matching places have unknown hours (counted nowhere, never as closed)."""
    sums = [sa.func.sum(PlaceOpenBlocks.mask.op(">>")(i).op("&")(1)) for i in range(7 * BLOCKS)]
    unknown = sa.func.sum(sa.case((PlaceOpenBlocks.known.is_(False), 1), else_=0))
    query = (filtered_query(scope.filters(with_choices=True), None, (Place.wijk, unknown, *sums))
             .join(PlaceOpenBlocks, PlaceOpenBlocks.place_id == Place.id).group_by(Place.wijk))
    found, unknown_total = {}, 0
    for wijk, unknown_here, *values in db.session.execute(query):
        found[wijk] = [int(v or 0) for v in values]
        unknown_total += int(unknown_here or 0)
    days = weekday_names()
    grid = Grid(_("Open plekken per wijk, dag en tijdvak"), _("Wijk en dag"),
                [_("%(hours)s uur", hours=block_label(b)) for b in range(BLOCKS)], empty_stands_out=True)
    sentences = []
    for wijk in sorted(set(scope.wijken()) | set(found)):
        cells = found.get(wijk, [0] * (7 * BLOCKS))
        for day in range(7):
            values = [cells[bit(day, b)] for b in range(BLOCKS)]
            grid.rows.append((f"{_wijk_label(wijk)} · {days[day]}", values))
            sentences += _empty_sentences(wijk, days[day], values, scope)
    return grid, sentences, unknown_total


def _empty_sentences(wijk: str, day: str, values: list[int], scope: Scope) -> list[str]:
    """Runs of empty day blocks as one sentence each: "Overvecht: zondag 17–23 uur niets open …"."""
    what = [str(FLAGS[f]).lower() for f in scope.flags] + ([str(CATEGORIES[scope.category]).lower()]
                                                           if scope.category else [])
    suffix = _(" (%(what)s)", what=", ".join(what)) if what else ""
    out, start = [], None
    for b in range(DAY_BLOCKS + 1):
        empty = b < DAY_BLOCKS and values[b] == 0
        if empty and start is None:
            start = b
        if not empty and start is not None:
            hours = f"{BLOCK_STARTS[start]}–{BLOCK_ENDS[b - 1]}"
            out.append(_("%(wijk)s: %(day)s %(hours)s uur niets open%(what)s", wijk=_wijk_label(wijk), day=day,
                         hours=hours, what=suffix))
            start = None
    return out


def open_hours(scope: Scope) -> tuple[Grid, list[dict]]:
    """Per wijk: how many matching places and their open hours in a usual week added up, as a table and as
    a map layer (one query for both). The layer puts a circle at the middle of a wijk's located places,
    coloured on the table's scale: no wijk shapes are needed, the middle and spread of its own places show
    where it is."""
    query = (filtered_query(scope.filters(with_choices=True), None,
                            (Place.wijk, sa.func.count(), sa.func.sum(PlaceOpenBlocks.open_hours),
                             sa.func.avg(Place.lat), sa.func.avg(Place.lon),
                             sa.func.max(Place.lat) - sa.func.min(Place.lat)))
             .join(PlaceOpenBlocks, PlaceOpenBlocks.place_id == Place.id).group_by(Place.wijk))
    rows = [(wijk, int(count or 0), int(hours or 0), lat, lon, spread)
            for wijk, count, hours, lat, lon, spread in db.session.execute(query)]
    found = {wijk: [count, hours] for wijk, count, hours, *_where in rows}
    grid = Grid(_("Open uren per week, per wijk"), _("Wijk"), [_("Plekken"), _("Open uren per week")])
    grid.rows = [(_wijk_label(w), found.get(w, [0, 0])) for w in sorted(set(scope.wijken()) | set(found))]
    # avg() skips places without a location; the hours and counts are all the wijk's, as in the table.
    located = sorted((row for row in rows if row[0] and row[3] is not None), key=lambda row: row[0])
    peak = max((hours for _wijk, _count, hours, *_where in located), default=0)
    layer = [{"wijk": wijk, "places": count, "hours": hours, "lat": round(float(lat), 5), "lon": round(float(lon), 5),
              # about half the north-south spread of its places, at least 250 m
              "radius": max(250, round(float(spread or 0) * 111_000 / 2)),
              "fill": grid.colours(hours, peak)[0],
              "label": _("%(wijk)s: %(hours)d open uren per week, %(places)d plekken", wijk=wijk, hours=hours,
                         places=count)}
             for wijk, count, hours, lat, lon, spread in located]
    return grid, layer


# -- participation ladder ------------------------------------------------------------------------

def ladder_grid(scope: Scope) -> Grid:
    query = (filtered_query(scope.filters(), None, (Place.wijk, Place.participation_rung, sa.func.count()))
             .where(Place.participation_rung.is_not(None)).group_by(Place.wijk, Place.participation_rung))
    counts: dict[str, list[int]] = {w: [0] * 6 for w in scope.wijken()}
    for wijk, rung, count in db.session.execute(query):
        if 1 <= rung <= 6:
            counts.setdefault(wijk, [0] * 6)[rung - 1] = count
    grid = Grid(_("Activiteiten per wijk en trede van de participatieladder"), _("Wijk"),
                [_("%(n)d %(label)s", n=n, label=label) for n, label in PARTICIPATION_RUNGS.items()])
    grid.rows = [(_wijk_label(w), v) for w, v in sorted(counts.items())]
    return grid


# -- freshness -----------------------------------------------------------------------------------

def _freshness_columns() -> list[str]:
    return [_("0–6 maanden"), _("6–12 maanden"), _("1–2 jaar"), _("meer dan 2 jaar"), _("nooit")]


def _bucket(day: date):
    return sa.case(
        (Place.last_checked.is_(None), 4),
        (Place.last_checked >= months_back(day, 6), 0),
        (Place.last_checked >= months_back(day, 12), 1),
        (Place.last_checked >= months_back(day, 24), 2), else_=3)


def freshness_grids(scope: Scope, day: date) -> tuple[Grid, Grid]:
    """Places by months since their last check, per wijk and per contact person (wegwijzer)."""
    bucket = _bucket(day)
    by_wijk: dict[str, list[int]] = {w: [0] * 5 for w in scope.wijken()}
    for wijk, b, count in db.session.execute(filtered_query(scope.filters(), None, (Place.wijk, bucket, sa.func.count()))
                                             .group_by(Place.wijk, bucket)):
        by_wijk.setdefault(wijk, [0] * 5)[b] = count
    wijk_grid = Grid(_("Plekken per wijk, naar tijd sinds de laatste controle"), _("Wijk"), _freshness_columns())
    wijk_grid.rows = [(_wijk_label(w), v) for w, v in sorted(by_wijk.items())]
    by_person: dict[str, list[int]] = {}
    person = sa.func.coalesce(Place.contact_name, "")
    for name, b, count in db.session.execute(filtered_query(scope.filters(), None, (person, bucket, sa.func.count()))
                                             .group_by(person, bucket)):
        by_person.setdefault(name or _("(geen wegwijzer)"), [0] * 5)[b] = count
    person_grid = Grid(_("Plekken per wegwijzer, naar tijd sinds de laatste controle"), _("Wegwijzer"),
                       _freshness_columns())
    person_grid.rows = sorted(by_person.items(), key=lambda item: (-sum(item[1][1:]), item[0]))[:50]
    return wijk_grid, person_grid


def call_list(scope: Scope, day: date, limit: int = 100) -> tuple[list, int]:
    """The coordinator's list: overdue places (four weeks unanswered, or nobody to mail), oldest check first."""
    columns = (Place.slug, Place.name, Place.wijk, Place.last_checked, Place.contact_name,
               Place.contact_email != "", Place.phone)
    query = filtered_query(scope.filters(), None, columns).where(overdue_clause(day))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(query.order_by(Place.last_checked.is_not(None), Place.last_checked, Place.name)
                              .limit(limit)).all()
    return rows, total


# -- offers nobody reaches -----------------------------------------------------------------------

REACH_MONTHS = 12


def reach_months(day: date) -> list[str]:
    return [month_of(months_back(day, n)) for n in range(REACH_MONTHS - 1, -1, -1)]


KINDS = ("page_views", "map_adds", "route_taps", "reviews")


def _year_totals(day: date):
    """Per place: the closed months' sums (PlaceReach) plus this month's counter row; two key lookups
    per place instead of twelve counter rows."""
    current = month_of(day)
    totals = [(sa.func.coalesce(getattr(PlaceReach, k), 0) + sa.func.coalesce(getattr(PlaceCounter, k), 0)).label(k)
              for k in KINDS]
    joins = (
        (PlaceReach, PlaceReach.place_id == Place.id),
        (PlaceCounter, sa.and_(PlaceCounter.place_id == Place.id, PlaceCounter.month == current)))
    return totals, joins


def barely_reached(scope: Scope, day: date, low_views: int, limit: int = 50) -> tuple[list, int, Grid]:
    """Places with at most `low_views` page views in a year and nobody adding them to a map or asking the
    route: the list (fewest views first), how many, and how many per wijk × category."""
    totals, joins = _year_totals(day)
    views, adds, taps, _reviews = totals

    def low(columns):
        query = filtered_query(scope.filters(), None, columns)
        for model, on in joins:
            query = query.outerjoin(model, on)
        return query.where(views <= low_views, adds == 0, taps == 0)

    # The count rides along with the page of rows: this query sorts every low place anyway.
    rows = db.session.execute(low((Place.id, Place.slug, Place.name, Place.wijk, *totals,
                                   sa.func.count().over().label("total")))
                              .order_by(views, Place.name).limit(limit)).all()
    count = rows[0].total if rows else 0
    per = db.session.execute(low((Place.wijk, PlaceCategory.key, sa.func.count()))
                             .join(PlaceCategory, PlaceCategory.place_id == Place.id)
                             .group_by(Place.wijk, PlaceCategory.key))
    keys = list(CATEGORIES)
    cells: dict[str, list[int]] = {w: [0] * len(keys) for w in scope.wijken()}
    for wijk, key, n in per:
        if key in keys:
            cells.setdefault(wijk, [0] * len(keys))[keys.index(key)] = n
    grid = Grid(_("Plekken die bijna niemand bereikt, per wijk en soort"), _("Wijk"),
                [str(CATEGORIES[k]) for k in keys])
    grid.rows = [(_wijk_label(w), v) for w, v in sorted(cells.items())]
    return rows, count, grid


def reach_by_month(scope: Scope, day: date) -> Grid:
    """Page views, map adds, route taps and reviews per month in the chosen city or wijk (area counters)."""
    months = reach_months(day)
    query = (sa.select(AreaCounter.month, *[sa.func.sum(getattr(AreaCounter, k)) for k in KINDS])
             .where(AreaCounter.month >= months[0], sa.func.lower(AreaCounter.city) == scope.city.lower())
             .group_by(AreaCounter.month))
    if scope.wijk:
        query = query.where(sa.func.lower(AreaCounter.wijk) == scope.wijk.lower())
    found = {month: [int(v or 0) for v in values] for month, *values in db.session.execute(query)}
    grid = Grid(_("Bereik per maand"), _("Soort"), months)
    labels = (_("Bekeken"), _("Op een kaart gezet"), _("Route gevraagd"), _("Ervaringen"))
    grid.rows = [(labels[i], [found.get(m, [0] * 4)[i] for m in months]) for i in range(4)]
    return grid
