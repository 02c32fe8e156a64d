"""Public map pages: search, city and wijk maps, shared maps by link (with QR and print), embeds."""
from __future__ import annotations

import io
from datetime import timedelta

import segno
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from flask import abort, current_app, render_template, request, send_file, send_from_directory, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ..core.caching import data_etag, remember
from ..core.time import now
from ..extensions import limiter
from ..places.deviations import WEEKS
from ..places.filters import find_places, parse_filters
from ..places.mapfeed import extent
from ..places.hours import monday_of, week_schedule
from ..places.services import data_version
from ..security import allow_framing
from . import bp
from .render import StatusCache, asset_urls, build_map, list_entries, map_view
from .lookfirst import look_firsts_for
from .shared import find_by_token, owned_maps

ASSET_DIRS = {"leaflet": xstatic.pkg.leaflet.BASE_DIR,
              "markercluster": xstatic.pkg.leaflet_markercluster.BASE_DIR}
TOKEN_LIMIT = "120 per minute"  # viewing is free, but guessing links in bulk is slowed down


@bp.route("/static/vendor/<package>/<path:filename>")
def map_asset(package: str, filename: str):
    """Leaflet and MarkerCluster straight from the installed xstatic packages: nothing from a CDN."""
    if package not in ASSET_DIRS or filename.endswith(".map"):
        abort(404)
    return send_from_directory(ASSET_DIRS[package], filename, max_age=86400)


def _area_map(filters, title: str, page: int = 1, embed: bool = False, errors: dict | None = None,
              dropped=(), **feed_args):
    """A small page: one page of the list (the map's text equivalent) and where the places lie. The map
    fetches its markers for the view it shows from the GeoJSON feed, so it starts before the list is read.
    Parameters named in `dropped` (those the page could not use) are left out of the feed's URL, so the
    feed shows what the page shows instead of answering 400."""
    per_page = int(current_app.config["MAP_LIST_PER_PAGE"])

    def build_list():
        at = filters.at or now()
        found = find_places(filters, page, per_page)
        located, box = extent(filters)
        statuses = StatusCache(at, chosen=filters.at is not None, when=filters.when)
        entries = list_entries(found.items, statuses, _("nog niet op de kaart"))
        return found.total, found.pages, located, box, entries

    count, pages, located, box, entries = remember(
        data_etag(data_version(), "area-list", repr(filters), page, per_page), build_list)
    args = request.args.to_dict(flat=False)
    unused = {"page", "per_page", *dropped}
    feed_args = {**{k: v for k, v in args.items() if k not in unused}, **feed_args}
    view = map_view(located, feed_url=url_for("api.places_geojson", **feed_args), box=box)
    template = "maps/embed_area.html" if embed else "maps/area.html"
    return render_template(template, title=title, view=view, count=count, entries=entries, page=page, pages=pages,
                           filters=filters, list_args=args, errors=errors or {})


@bp.route("/kaart")
def search_map():
    """The same places as /plekken with the same filters, on a map."""
    filters, page, _per_page, errors = parse_filters(request.args)
    return _area_map(filters, _("Kaart van alle plekken") if not filters.active else _("Plekken op de kaart"),
                     page, errors=errors, dropped=errors)


def _city_wijk_filters(city: str, wijk: str | None):
    filters, page, _per_page, errors = parse_filters(request.args)
    filters.city, filters.wijk = city, wijk or ""
    return filters, page, errors


@bp.route("/kaart/<city>")
@bp.route("/kaart/<city>/<wijk>")
def area_map(city: str, wijk: str | None = None):
    filters, page, errors = _city_wijk_filters(city, wijk)
    title = _("Kaart van %(wijk)s, %(city)s", wijk=wijk, city=city) if wijk else _("Kaart van %(city)s", city=city)
    return _area_map(filters, title, page, dropped=errors, city=city, **({"wijk": wijk} if wijk else {}))


@bp.route("/embed/kaart/<city>")
@bp.route("/embed/kaart/<city>/<wijk>")
def embed_area(city: str, wijk: str | None = None):
    """A wijk or city map without site chrome, for partner sites (framing allowed)."""
    allow_framing()
    filters, page, errors = _city_wijk_filters(city, wijk)
    title = _("Kaart van %(wijk)s, %(city)s", wijk=wijk, city=city) if wijk else _("Kaart van %(city)s", city=city)
    return _area_map(filters, title, page, embed=True, dropped=errors, city=city, **({"wijk": wijk} if wijk else {}))


def _shared_or_gone(token: str):
    """The active shared map, or the right answer: 404 for a link that never existed, 410 with a kind page."""
    found = find_by_token(token)
    if found is None:
        abort(404)
    if found.state != "active":
        return None, (render_template("maps/shared_gone.html", state=found.state), 410)
    return found.shared_map, None


def _shared_context(shared):
    at = now()
    places = shared.places
    statuses = StatusCache(at)
    view = build_map(places, at, numbered=True, statuses=statuses)
    return {"shared": shared, "view": view, "places": places, "statuses": statuses, "at": at,
            "token": shared.token, "plans": {item.place_id: item for item in shared.items},
            "looks": look_firsts_for(shared.id)}


@bp.route("/k/<token>")
@limiter.limit(TOKEN_LIMIT)
def shared_view(token: str):
    """A client opens the map their social worker made: no account needed."""
    shared, gone = _shared_or_gone(token)
    if gone:
        return gone
    return render_template("maps/shared.html", **_shared_context(shared))


@bp.route("/k/<token>/afdrukken")
@limiter.limit(TOKEN_LIMIT)
def shared_print(token: str):
    """One A4 page: map, numbered list with address, phone and this week's hours, the note, the QR code."""
    shared, gone = _shared_or_gone(token)
    if gone:
        return gone
    context = _shared_context(shared)
    monday = monday_of(context["at"].date())
    context["weeks"] = {p.id: week_schedule(p.opening_hours, monday, context["at"].date())
                        for p in context["places"]}
    context["covers_until"] = context["at"].date() + timedelta(weeks=WEEKS, days=-1)
    context["qr_svg"] = Markup(_qr(token).svg_inline(scale=3, title=_("QR-code voor deze kaart")))
    return render_template("maps/shared_print.html", **context)


@bp.route("/embed/k/<token>")
@limiter.limit(TOKEN_LIMIT)
def embed_shared(token: str):
    allow_framing()
    shared, gone = _shared_or_gone(token)
    if gone:
        return gone
    return render_template("maps/embed_shared.html", **_shared_context(shared))


def _qr(token: str) -> segno.QRCode:
    return segno.make(url_for("maps.shared_view", token=token, _external=True), error="m")


@bp.route("/k/<token>/qr.<any(png, svg):kind>")
@limiter.limit(TOKEN_LIMIT)
def shared_qr(token: str, kind: str):
    """The link as a QR code, to print or to show on a screen."""
    shared, gone = _shared_or_gone(token)
    if gone:
        return gone
    out = io.BytesIO()
    if kind == "png":
        _qr(token).save(out, kind="png", scale=int(current_app.config.get("MAP_QR_SCALE", 8)), border=4)
        mimetype = "image/png"
    else:
        _qr(token).save(out, kind="svg", scale=8, border=4, title=_("QR-code voor een kaart van Ervaringswijzer"))
        mimetype = "image/svg+xml"
    out.seek(0)
    return send_file(out, mimetype=mimetype, download_name=f"kaart-qr.{kind}", max_age=0)


from . import manage  # noqa: E402,F401  (owner pages register on the same blueprint)


@bp.app_context_processor
def map_helpers():
    def place_map_view(place, at):
        return build_map([place], at, zoom=16, css_class="ew-map-small")

    def places_map_view(places, at, chosen=False, when=None):
        return build_map(places, at, zoom=13, css_class="ew-map-small", statuses=StatusCache(at, chosen, when))

    def my_shared_maps():
        return owned_maps(current_user.id) if current_user.is_authenticated else []

    return {"format_datetime": format_datetime, "map_assets": asset_urls, "place_map_view": place_map_view, "places_map_view": places_map_view,
            "my_shared_maps": my_shared_maps}
