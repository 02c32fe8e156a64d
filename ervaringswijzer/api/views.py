"""GET /api/v1/places, /api/v1/places/<id>, the map feed /api/v1/places.geojson, the OpenAPI document and its page."""
from flask import current_app, jsonify, render_template, request, url_for
from jinja2.utils import htmlsafe_json_dumps

from ..core.caching import conditional
from ..core.time import now
from ..errors import api_error
from ..extensions import csrf, db
from ..places.filters import parse_filters
from ..places.mapfeed import MAX_ZOOM, map_feed, parse_box
from ..places.models import Place
from ..places.serialize import add_open_periods, place_to_api, ratings_for
from ..places.services import data_version
from ..search.service import search_places
from . import bp
from .geojson import feed_collection
from .openapi import openapi_document

csrf.exempt(bp)


@bp.after_app_request
def open_to_other_sites(response):
    """The read-only API may be read by scripts on any site (no cookies are needed or sent)."""
    if request.path.startswith("/api/"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Retry-After"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response.headers["Access-Control-Max-Age"] = "86400"
    return response


def _bad_request(errors: dict):
    field, message = next(iter(errors.items()))
    return api_error("bad_parameter", f"{field}: {message}", 400)


def _serialize(places, at, when=None):
    ratings = ratings_for([p.id for p in places])
    items = [place_to_api(p, at, url_for("places.place_detail", slug=p.slug, _external=True), ratings[p.id])
             for p in places]
    return add_open_periods(items, places, when)


@bp.route("/places")
def places():
    filters, page, per_page, errors = parse_filters(
        request.args, current_app.config["MAX_PER_PAGE"], current_app.config["PER_PAGE"])
    if errors:
        return _bad_request(errors)

    def build():
        result = search_places(filters, page, per_page, request.args.get("sort", ""), facets=False).page
        at = filters.at or now()
        return jsonify(items=_serialize(result.items, at, filters.when), total=result.total, page=page, per_page=per_page)
    return build() if filters.q else conditional(build, data_version())


@bp.route("/places/<int:place_id>")
def place(place_id: int):
    if place_id > 2**31 - 1:  # beyond any stored id (and PostgreSQL's integer)
        return api_error("not_found", f"No place with id {place_id}.", 404)
    filters, _page, _per_page, errors = parse_filters(request.args)
    if "at" in errors:
        return _bad_request({"at": errors["at"]})

    def build():
        found = db.session.get(Place, place_id)
        if found is None or found.status != "published":
            return api_error("not_found", f"No place with id {place_id}.", 404)
        return jsonify(_serialize([found], filters.at or now())[0])
    return conditional(build, data_version())


def _map_view_args(errors: dict):
    """bbox and zoom of the map feed; bad values go into errors by name."""
    box = zoom = None
    try:
        box = parse_box(request.args.get("bbox"))
    except ValueError:
        errors["bbox"] = "bbox must be WEST,SOUTH,EAST,NORTH in degrees"
    if request.args.get("zoom"):
        try:
            zoom = int(request.args["zoom"])
            if not 0 <= zoom <= MAX_ZOOM:
                raise ValueError
        except ValueError:
            errors["zoom"] = f"zoom must be a whole number from 0 to {MAX_ZOOM}"
    return box, zoom


@bp.route("/places.geojson")
def places_geojson():
    """The map feed: the places in view (the same filters as /places), clustered past MAP_CLUSTER_ABOVE."""
    filters, _page, _per_page, errors = parse_filters(request.args)
    box, zoom = _map_view_args(errors)
    errors.pop("page", None), errors.pop("per_page", None)  # accepted and ignored, as the list's links carry them
    if errors:
        return _bad_request(errors)

    def build():
        feed = map_feed(filters, box, zoom, int(current_app.config["MAP_CLUSTER_ABOVE"]))
        # <, >, & and ' escaped: the feed is safe even where someone pastes it into a page.
        body = htmlsafe_json_dumps(feed_collection(feed, filters.at or now(), filters.at is not None, filters.when),
                                   separators=(",", ":"), allow_nan=False)
        return current_app.response_class(str(body), mimetype="application/geo+json")
    return build() if filters.q else conditional(build, data_version())


@bp.route("/openapi.json")
def openapi():
    """The whole API described (OpenAPI 3.1)."""
    return jsonify(openapi_document())


@bp.route("/docs")
def docs():
    """The API described as a page, rendered here from the OpenAPI document (no scripts)."""
    return render_template("api/docs.html", spec=openapi_document())
