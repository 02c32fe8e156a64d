"""/overzicht: the coordinator's dashboard per city, each part as a picture, a table and a CSV file."""
from __future__ import annotations

import logging

from flask import Response, abort, current_app, render_template, request
from sqlalchemy.exc import IntegrityError, OperationalError

from ..core.access import requires
from ..core.time import today
from ..extensions import db
from ..places.categories import CATEGORY_KEYS, FLAG_KEYS
from ..places.counters import refresh_reach
from ..places.openblocks import refresh_open_blocks
from ..places.services import known_cities
from ..text import fold
from . import bp
from .demand import demand_grid
from .grid import rows_csv
from .reports import (Scope, barely_reached, call_list, freshness_grids, gap_grid, ladder_grid,
                      open_hours, reach_by_month)

log = logging.getLogger(__name__)
PARTS = ("gaten", "open-uren", "zoekvragen", "bereik", "ladder", "actualiteit", "bellijst")


def _scope() -> Scope:
    cities = known_cities()
    wanted = (request.args.get("city") or "").strip()
    city = next((c for c in cities if fold(c) == fold(wanted)), cities[0] if cities else "")
    wijk = (request.args.get("wijk") or "").strip()
    scope = Scope(city=city)
    scope.wijk = next((w for w in scope.wijken() if fold(w) == fold(wijk)), "") if wijk else ""
    category = request.args.get("category", "")
    scope.category = category if category in CATEGORY_KEYS else ""
    scope.flags = [f for f in request.args.getlist("flag") if f in FLAG_KEYS]
    return scope


def _fresh_blocks() -> None:
    """Open blocks of places changed since they were last computed (usually none), and once a month the
    year's reach per place; committed apart. When another request did the same at the same moment, its
    rows stand and this one's are rolled back."""
    try:
        if refresh_open_blocks(today()) + refresh_reach(today()):
            db.session.commit()
    except (IntegrityError, OperationalError):
        db.session.rollback()
        log.info("dashboard rollups were refreshed by another request at the same time")


@bp.route("/overzicht")
@requires("overview.view")
def dashboard():
    scope, day = _scope(), today()
    _fresh_blocks()
    gaps, gap_sentences, unknown_hours = gap_grid(scope)
    low_rows, low_count, low_grid = barely_reached(scope, day, current_app.config["OVERVIEW_LOW_REACH_VIEWS"])
    fresh_wijk, fresh_person = freshness_grids(scope, day)
    calls, call_total = call_list(scope, day)
    hours_grid, layer = open_hours(scope)
    return render_template(
        "overview/dashboard.html", scope=scope, cities=known_cities(), wijken=Scope(city=scope.city).wijken(),
        gaps=gaps, gap_sentences=gap_sentences, open_hours=hours_grid, layer=layer, unknown_hours=unknown_hours, demand=demand_grid(scope, day),
        reach=reach_by_month(scope, day), low_rows=low_rows, low_count=low_count, low_grid=low_grid,
        ladder=ladder_grid(scope), fresh_wijk=fresh_wijk, fresh_person=fresh_person, calls=calls,
        call_total=call_total, args=_args(scope))


def _args(scope: Scope) -> dict:
    return {"city": scope.city, "wijk": scope.wijk or None, "category": scope.category or None,
            "flag": scope.flags or None}


@bp.route("/overzicht/<part>.csv")
@requires("overview.view")
def dashboard_csv(part: str):
    if part not in PARTS:
        abort(404)
    scope, day = _scope(), today()
    if part == "gaten":
        _fresh_blocks()
        body = gap_grid(scope)[0].csv()
    elif part == "open-uren":
        _fresh_blocks()
        body = open_hours(scope)[0].csv()
    elif part == "zoekvragen":
        body = demand_grid(scope, day).csv()
    elif part == "bereik":
        _fresh_blocks()
        rows = barely_reached(scope, day, current_app.config["OVERVIEW_LOW_REACH_VIEWS"], limit=100000)[0]
        body = rows_csv(["name", "wijk", "page_views", "map_adds", "route_taps", "reviews"],
                        [[r.name, r.wijk, r.page_views, r.map_adds, r.route_taps, r.reviews] for r in rows])
    elif part == "ladder":
        body = ladder_grid(scope).csv()
    elif part == "actualiteit":
        body = freshness_grids(scope, day)[0].csv()
    else:
        rows = call_list(scope, day, limit=100000)[0]
        body = rows_csv(["name", "wijk", "last_checked", "contact_name", "contact_email_known", "phone"],
                        [[r.name, r.wijk, r.last_checked.isoformat() if r.last_checked else "", r.contact_name,
                          "yes" if r[5] else "no", r.phone] for r in rows])
    name = f"overzicht-{part}-{fold(scope.city).replace(' ', '-')}.csv"
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={name}"})
