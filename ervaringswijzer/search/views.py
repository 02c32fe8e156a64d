"""The place list (a search page), GET /api/v1/search, GET /api/v1/suggest, and the unmet-demand report."""
from __future__ import annotations

import logging

from flask import Response, current_app, jsonify, render_template, request

from ..core.access import requires
from ..core.time import now
from ..errors import api_error
from ..extensions import db
from ..places.filters import parse_filters
from ..places.serialize import add_open_periods, ratings_for
from ..places.services import known_cities, known_wijken
from . import bp
from .alternatives import no_results_alternatives
from .searchlog import as_csv, known_weeks, record_search, unmet_demand
from .service import search_places, suggestions

log = logging.getLogger(__name__)


def log_search(outcome, filters) -> None:
    """Count a search that found little, with words or with choices alone (record_search decides).
    Its own small commit; a failure costs the count, not the answer."""
    if filters.near or outcome.page.page > 1:
        return
    try:
        if record_search(filters, outcome.page.total, int(current_app.config["SEARCH_LOW_HITS"])):
            db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("search log not written")


@bp.route("/plekken")
def place_list():
    filters, page, per_page, errors = parse_filters(
        request.args, current_app.config["MAX_PER_PAGE"], current_app.config["PER_PAGE"])
    outcome = search_places(filters, page, per_page, request.args.get("sort", ""))
    log_search(outcome, filters)
    result = outcome.page
    at = filters.at or now()
    alternatives = no_results_alternatives(filters, at, request.args.get("sort", "")) if result.total == 0 else None
    return render_template(
        "search/place_list.html", filters=filters, result=result, errors=errors, search=outcome,
        alternatives=alternatives, wijken=known_wijken(), cities=known_cities(), at=at,
        chosen=filters.at is not None, ratings=ratings_for([p.id for p in result.items]),
        next_rung_args=_next_rung_args(filters))


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
    log_search(outcome, filters)
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
