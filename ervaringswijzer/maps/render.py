"""Map rendering: Folium builds the map (tiles, cluster layer), marker data goes out as JSON.

Measured choice (benchmarks/maps_bench.py, docs/maps.md): one Folium object per marker costs
about 1 ms and 800 bytes per place, so a wijk of 1,000 places would take a second. Here Folium
renders only the skeleton (map, tile layer, cluster group, ~9 ms); the places travel as one
compact JSON block that our own static script (maps/static/ew-map.js) turns into markers and
popups with DOM text nodes, so user text is never parsed as HTML or JavaScript.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import folium
from folium.plugins import MarkerCluster
from flask import current_app, has_request_context, request, url_for
from flask_babel import get_locale
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

from ..places.categories import CATEGORIES, CATEGORY_KEYS
from ..places.display import STATE_CODES, StatusCache  # noqa: F401  (STATE_CODES: the codes ew-map.js reads)
from ..places.mapfeed import Box
from ..places.models import Place

NETHERLANDS = (52.2, 5.3)
CLUSTER_FROM = 40  # fewer markers than this stay single: a wijk map is readable without clusters
def marker_json(data) -> Markup:
    """Safe inside <script type="application/json">: Jinja escapes <, >, & and ', so no tag can be
    closed or opened; ASCII output (json's default) escapes U+2028/U+2029 as well."""
    return htmlsafe_json_dumps(data, separators=(",", ":"), allow_nan=False)


def asset_urls() -> dict[str, str]:
    """Every file a map page needs, served by us (see views.map_asset). Built once per app and script root:
    a place page asks three times, and six url_for calls each time cost more than its map's markers."""
    if not has_request_context():
        return _asset_urls()
    kept = current_app.extensions.setdefault("ew_map_assets", {})
    if request.script_root not in kept:
        kept[request.script_root] = _asset_urls()
    return dict(kept[request.script_root])


def _asset_urls() -> dict[str, str]:
    def asset(package: str, name: str) -> str:
        return url_for("maps.map_asset", package=package, filename=name)
    return {
        "leaflet_js": asset("leaflet", "leaflet.js"),
        "leaflet_css": asset("leaflet", "leaflet.css"),
        "cluster_js": asset("markercluster", "leaflet.markercluster.js"),
        "cluster_css": asset("markercluster", "MarkerCluster.css"),
        "cluster_default_css": asset("markercluster", "MarkerCluster.Default.css"),
        "map_js": url_for("maps.static", filename="ew-map.js"),
    }


def list_entries(places, statuses: StatusCache, no_pin: str) -> Markup:
    """The <li> entries of the list beside an area map, one per place (the map's text equivalent).

    Built here rather than in a Jinja macro: at 10,000 places the macro call per entry costs
    more than the whole map. Every piece of user text goes through escape().
    """
    base = escape(url_for("places.place_detail", slug="SLUG").replace("SLUG", ""))
    no_pin_html = f' <span class="map-list-nopin">({escape(no_pin)})</span>'
    lines: dict[str | None, str] = {}
    parts = []
    for p in places:
        line = lines.get(p.opening_hours)
        if line is None:
            line = lines[p.opening_hours] = escape(statuses.line(p.opening_hours))
        where = f' data-lat="{float(p.lat):.5f}" data-lon="{float(p.lon):.5f}"' if p.has_location else ""
        parts.append(f'<li data-place="{int(p.id)}"{where}><a href="{base}{escape(p.slug)}">{escape(p.name)}</a> '
                     f'<span class="map-list-status">{line}</span>{"" if p.has_location else no_pin_html}</li>')
    return Markup("\n".join(parts))


@dataclass
class MapView:
    element_id: str
    map_var: str
    cluster_var: str
    script: Markup  # Folium's JavaScript, to be placed in a <script nonce=...>
    data: Markup  # marker JSON for <script type="application/json">
    count: int
    numbered: bool
    css_class: str = ""
    feed_url: str = ""
    bounds: str = ""  # "west,south,east,north" of the places a feed map will show


def _center(places, zoom: int) -> tuple[tuple[float, float], int]:
    located = [p for p in places if p.has_location]
    if not located:
        return NETHERLANDS, 7
    return (sum(p.lat for p in located) / len(located), sum(p.lon for p in located) / len(located)), zoom


def _skeleton(places: list[Place], cluster: bool, zoom: int) -> tuple[folium.Map, MarkerCluster | None]:
    center, zoom = _center(places, zoom)
    return _folium_map(center, zoom, cluster, asset_urls(), current_app.config.get("MAP_TILE_URL") or "",
                       current_app.config.get("MAP_TILE_ATTRIBUTION") or "")


def _folium_map(center, zoom: int, cluster: bool, assets: dict[str, str], tile_url: str,
                attribution: str) -> tuple[folium.Map, MarkerCluster | None]:
    # maxZoom on the map itself: without a tile layer (tests, a tile server switched off) clustering needs it.
    fmap = folium.Map(location=center, zoom_start=zoom, tiles=None, control_scale=True, maxZoom=19)
    # Folium's defaults point at six CDN hosts; every element gets our own copies instead.
    fmap.default_js = [("leaflet", assets["leaflet_js"])]
    fmap.default_css = [("leaflet_css", assets["leaflet_css"])]
    if tile_url:
        folium.TileLayer(tiles=tile_url, attr=attribution, max_zoom=19).add_to(fmap)
    layer = None
    if cluster:
        layer = MarkerCluster(options={"showCoverageOnHover": False, "chunkedLoading": True})
        layer.default_js = [("markerclusterjs", assets["cluster_js"])]
        layer.default_css = [("markerclustercss", assets["cluster_css"]),
                             ("markerclusterdefaultcss", assets["cluster_default_css"])]
        layer.add_to(fmap)
    return fmap, layer


@dataclass(frozen=True)
class Skeleton:
    element_id: str
    cluster_var: str
    script: Markup


@lru_cache(maxsize=32)
def _cached_skeleton(cluster: bool, assets: tuple[tuple[str, str], ...], tile_url: str, attribution: str) -> Skeleton:
    """Folium's script for an empty map, rendered once per process and configuration (~20 ms each time
    otherwise). Centre and zoom travel with the marker data and ew-map.js sets them, so one skeleton
    serves every page; its element names are fixed, which is fine with one map per page."""
    fmap, layer = _folium_map(NETHERLANDS, 7, cluster, dict(assets), tile_url, attribution)
    root = fmap.get_root()
    root.render()
    return Skeleton(element_id=fmap.get_name(), cluster_var=layer.get_name() if layer else "",
                    script=Markup(root.script.render()))


def skeleton(cluster: bool) -> Skeleton:
    return _cached_skeleton(cluster, tuple(sorted(asset_urls().items())),
                            current_app.config.get("MAP_TILE_URL") or "",
                            current_app.config.get("MAP_TILE_ATTRIBUTION") or "")


def marker_rows(places: list[Place], statuses: StatusCache, ratings: dict[int, dict] | None,
                numbered: bool = False) -> list[list]:
    """[id, lat, lon, name, slug, status index, state, category indexes, review count, recommend %(, number)].

    Arrays, not objects: at 10,000 places the key names alone would add 600 KB. The number is the
    place's position in the list beside the map, so a place without a pin keeps the numbering right.
    """
    category_index = {key: i for i, key in enumerate(CATEGORY_KEYS)}
    rows = []
    for number, place in enumerate(places, start=1):
        if not place.has_location:
            continue
        status_index, state = statuses.get(place.opening_hours)
        rating = (ratings or {}).get(place.id) or {}
        row = [place.id, round(place.lat, 5), round(place.lon, 5), place.name, place.slug, status_index, state,
               [category_index[c] for c in place.categories if c in category_index],
               rating.get("count") or 0, rating.get("recommend_pct")]
        if numbered:
            row.append(number)
        rows.append(row)
    return rows


_category_names: dict[str, list[str]] = {}


def category_names() -> list[str]:
    """The category names in the page's language, translated once per process: thirteen lazy strings
    translated anew for every map cost more than a place page's one marker."""
    lang = str(get_locale())
    if lang not in _category_names:
        _category_names[lang] = [str(CATEGORIES[k]) for k in CATEGORY_KEYS]
    return list(_category_names[lang])


def marker_data(places, statuses: StatusCache, ratings: dict[int, dict] | None = None,
                numbered: bool = False, zoom: int = 14) -> dict:
    """What ew-map.js needs for one map: where to look, the status lines, the marker rows."""
    center, zoom = _center(places, zoom)
    rows = marker_rows(places, statuses, ratings, numbered)
    return {
        "view": [round(center[0], 5), round(center[1], 5), zoom],
        "place_url": url_for("places.place_detail", slug="SLUG").replace("SLUG", ""),
        "categories": category_names(),
        "statuses": statuses.lines,
        "numbered": numbered,
        "places": rows,
    }


def build_map(places: list[Place], at: datetime, *, ratings: dict[int, dict] | None = None,
              numbered: bool = False, zoom: int = 14, statuses: StatusCache | None = None,
              css_class: str = "") -> MapView:
    """A map of `places` with its markers in the page (those without a location are left off the map,
    not out of the list)."""
    statuses = statuses or StatusCache(at)
    located = sum(1 for p in places if p.has_location)
    shape = skeleton(not numbered and located >= CLUSTER_FROM)
    return MapView(element_id=shape.element_id, map_var=shape.element_id, cluster_var=shape.cluster_var,
                   script=shape.script, data=marker_json(marker_data(places, statuses, ratings, numbered, zoom)),
                   count=located, numbered=numbered, css_class=css_class)


def map_view(located: int, feed_url: str, box: Box | None = None) -> MapView:
    """A map whose `located` markers ew-map.js fetches from `feed_url` (the GeoJSON feed), for the box and
    zoom it shows; it opens on `box`, the extent of the places."""
    shape = skeleton(located >= CLUSTER_FROM)
    return MapView(element_id=shape.element_id, map_var=shape.element_id, cluster_var=shape.cluster_var,
                   script=shape.script, data=Markup(""), count=located, numbered=False, feed_url=feed_url,
                   bounds=",".join(str(x) for x in box.as_list()) if box else "")
