"""GET /api/v1/places and /api/v1/places/<id>."""
from flask import current_app, jsonify, request, url_for

from ..core.caching import conditional
from ..core.time import now
from ..errors import api_error
from ..extensions import csrf, db
from ..places.filters import parse_filters
from ..places.models import Place
from ..places.serialize import add_open_periods, place_to_api, ratings_for
from ..places.services import data_version
from ..search.service import search_places
from . import bp

csrf.exempt(bp)


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
    filters, _page, _per_page, errors = parse_filters(request.args)
    if "at" in errors:
        return _bad_request({"at": errors["at"]})

    def build():
        found = db.session.get(Place, place_id)
        if found is None or found.status != "published":
            return api_error("not_found", f"No place with id {place_id}.", 404)
        return jsonify(_serialize([found], filters.at or now())[0])
    return conditional(build, data_version())
