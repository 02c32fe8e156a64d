"""The place list (a search page) and near me, GET /api/v1/search, GET /api/v1/suggest, and the unmet-demand report."""
from __future__ import annotations

import logging

from flask import Response, current_app, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..core.access import requires
from ..core.caching import shared_page
from ..core.time import now
from ..errors import api_error
from ..extensions import csrf, db
from ..places.filters import parse_filters
from ..places.nearby import COOKIE, Position, cookie_value, from_browser, locate, read_cookie
from ..places.serialize import add_open_periods, ratings_for
from ..places.services import data_version, known_cities, known_wijken
from . import bp
from .alternatives import no_results_alternatives
from .searchlog import as_csv, known_weeks, record_search, unmet_demand
from .service import index_version, search_places, suggestions

log = logging.getLogger(__name__)


def log_search(filters, page: int, total: int) -> None:
    """Count a search that found little, with words or with choices alone (record_search decides).
    Its own small commit; a failure costs the count, not the answer."""
    if filters.near or page > 1:
        return
    try:
        if record_search(filters, total, int(current_app.config["SEARCH_LOW_HITS"])):
            db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("search log not written")


# Filter parameters the near-me form carries over to the list it leads to.
NOT_CARRIED = {"csrf_token", "waar", "lat", "lon", "near", "radius_km", "page", "sort", "dichtbij"}


def _near_origin(filters, args) -> Position | None:
    """Near me on the list page: the position comes from the visitor's cookie (never from the URL,
    which ends up in access logs); ?near=LAT,LON still works as it does in the API."""
    if args.get("dichtbij") == "1":
        origin = read_cookie(request.cookies.get(COOKIE))
        if origin is not None:
            filters.near, filters.near_private = (origin.lat, origin.lon), True
            filters.radius_km = filters.radius_km or float(current_app.config["NEAR_RADIUS_KM"])
        return origin
    return Position(*filters.near) if filters.near else None


def _list_page(args, near_errors: dict[str, str] | None = None, near_text: str = "") -> tuple[str, tuple]:
    """The page, and what log_search needs of it (the caller logs, also when the page was kept)."""
    filters, page, per_page, errors = parse_filters(
        args, current_app.config["MAX_PER_PAGE"], current_app.config["PER_PAGE"])
    origin = _near_origin(filters, args)
    outcome = search_places(filters, page, per_page, args.get("sort", ""))
    result = outcome.page
    at = filters.at or now()
    alternatives = no_results_alternatives(filters, at, args.get("sort", "")) if result.total == 0 else None
    return render_template(
        "search/place_list.html", filters=filters, result=result, errors=errors, search=outcome,
        alternatives=alternatives, wijken=known_wijken(), cities=known_cities(), at=at,
        chosen=filters.at is not None, ratings=ratings_for([p.id for p in result.items]),
        origin=origin, near_asked=args.get("dichtbij") == "1", near_errors=near_errors or {},
        near_text=near_text if near_errors else (origin.label if origin else ""),
        carried=[(k, v) for k, values in args.lists() if k not in NOT_CARRIED for v in values],
        next_rung_args=_next_rung_args(filters)), (filters, result.page, result.total)


@bp.route("/plekken")
def place_list():
    if request.args.get("dichtbij") == "1":
        # The answer depends on where the visitor is: no cache may keep it or hand it to someone else.
        page, logged = _list_page(request.args)
        response = make_response(page)
        response.headers["Cache-Control"] = "no-store"
        response.vary.add("Cookie")
    else:
        # The same page for everyone without a session, kept for the minute; a search follows the index too.
        version = data_version() + ("|" + index_version() if request.args.get("q") else "")
        page, logged = shared_page(version, lambda: _list_page(request.args))
        response = make_response(page)
    log_search(*logged)
    return response


# No CSRF token: the form sits on the public list page, and a token would give every visitor of that
# page a session cookie. A forged post can only set where a visitor's own list measures from.
@bp.route("/dichtbij", methods=["POST"])
@csrf.exempt
def near_me():
    """Dichtbij mij: the browser's rounded position, or a typed postcode, street, wijk or city.
    The position goes into a cookie on the visitor's phone, then the list sorts by distance."""
    typed = (request.form.get("waar") or "").strip()[:120]
    if request.form.get("lat") or request.form.get("lon"):
        located = from_browser(request.form.get("lat", ""), request.form.get("lon", ""))
    else:
        located = locate(typed)
    args = MultiDict([(k, v) for k, values in request.form.lists() if k not in NOT_CARRIED for v in values])
    if located.position is None:
        message = _(located.error, where=typed) if "%(where)s" in located.error else _(located.error)
        page, logged = _list_page(args, {"waar": message}, typed)
        log_search(*logged)
        response = make_response(page)
        response.headers["Cache-Control"] = "no-store"
        return response
    args.update({"dichtbij": "1", "sort": "distance"})
    response = redirect(url_for("search.place_list", **args.to_dict(flat=False)), 303)
    response.set_cookie(COOKIE, cookie_value(located.position), httponly=True, samesite="Lax",
                        secure=request.is_secure, path="/")
    return response


def _next_rung_args(filters) -> dict | None:
    """"Volgende stap": the same search one rung up the participation ladder, when one rung below 6 is chosen."""
    if len(filters.rungs) != 1 or filters.rungs[0] >= 6:
        return None
    args = request.args.to_dict(flat=False)
    args["rung"] = [str(filters.rungs[0] + 1)]
    args.pop("page", None)
    return args


@bp.route("/api/v1/search")
def api_search():
    filters, page, per_page, errors = parse_filters(
        request.args, current_app.config["MAX_PER_PAGE"], current_app.config["PER_PAGE"])
    if not filters.typed_q and "q" not in errors:
        errors["q"] = "q is required"
    if errors:
        name, message = next(iter(errors.items()))
        return api_error("bad_parameter", f"{name}: {message}", 400)
    outcome = search_places(filters, page, per_page, request.args.get("sort", ""))
    log_search(filters, outcome.page.page, outcome.page.total)
    items = [{"id": p.id, "name": p.name, "score": outcome.scores.get(p.id),
              "snippet": str(outcome.snippets.get(p.id, ""))} for p in outcome.page.items]
    return jsonify(
        items=add_open_periods(items, outcome.page.items, filters.when),
        total=outcome.page.total, did_you_mean=outcome.did_you_mean, facets=outcome.facets)


@bp.route("/api/v1/suggest")
def api_suggest():
    q = (request.args.get("q") or "")[:100]
    return jsonify(q=q, suggestions=suggestions(q))


@bp.route("/moderatie/zoekvragen")
@requires("moderate")
def unmet_demand_page():
    weeks = known_weeks()
    week = request.args.get("week") or ""
    rows = unmet_demand([week] if week in weeks else None)
    return render_template("search/unmet_demand.html", rows=rows, weeks=weeks, week=week)


@bp.route("/moderatie/zoekvragen.csv")
@requires("moderate")
def unmet_demand_csv():
    weeks = known_weeks()
    week = request.args.get("week") or ""
    body = as_csv(unmet_demand([week] if week in weeks else None, limit=100000))
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=zoekvragen-zonder-antwoord.csv"})
