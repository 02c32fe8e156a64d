"""What a map shows in a view: the places inside a box, or, past a few thousand, a grid of clusters made in SQL.

A map asks for its view (box and zoom) and gets only what it can draw. Up to `cluster_above`
places come one by one (the browser clusters those itself); more than that are counted per grid
cell of about CELL_PX screen pixels at that zoom, so a city of 10,000 places is a few hundred
numbers, not 10,000 markers. Filters that SQL cannot apply (text, distance, open now, a time
window) are applied first in Python and the grid then counts within those ids.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from .filters import MAP_COLUMNS, MapPlace, PlaceFilters, filtered_query, find_map_places, refined_in_python
from .models import Place, PlaceCategory

CELL_PX = 80  # a cluster icon is 40 px; cells of twice that keep icons apart
MAX_ZOOM = 19


@dataclass(frozen=True)
class Box:
    west: float
    south: float
    east: float
    north: float

    def as_list(self) -> list[float]:
        return [round(self.west, 5), round(self.south, 5), round(self.east, 5), round(self.north, 5)]


@dataclass
class Cluster:
    lat: float
    lon: float
    count: int
    box: Box


@dataclass
class MapFeed:
    places: list[MapPlace]
    clusters: list[Cluster]
    total: int  # located places in the box
    zoom: int


def parse_box(text: str | None) -> Box | None:
    """"west,south,east,north" in degrees (the GeoJSON bbox order); ValueError when it is not."""
    if not text:
        return None
    parts = [float(x) for x in text.split(",")]
    if len(parts) != 4 or any(math.isnan(x) or math.isinf(x) for x in parts):
        raise ValueError
    west, south, east, north = parts
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise ValueError
    return Box(west, south, east, north)


def _ids(f: PlaceFilters) -> list[int] | None:
    return [p.id for p in find_map_places(f)] if refined_in_python(f) else None


def _in_box(query, box: Box | None):
    query = query.where(Place.lat.is_not(None), Place.lon.is_not(None))
    if box:
        query = query.where(Place.lat.between(box.south, box.north), Place.lon.between(box.west, box.east))
    return query


def extent(f: PlaceFilters) -> tuple[int, Box | None]:
    """(located places, the box around them) for the filters: one aggregate statement."""
    inner = _in_box(filtered_query(f, _ids(f), (Place.lat, Place.lon)), None).subquery()
    count, south, west, north, east = db.session.execute(sa.select(
        sa.func.count(), sa.func.min(inner.c.lat), sa.func.min(inner.c.lon),
        sa.func.max(inner.c.lat), sa.func.max(inner.c.lon))).one()
    return count, (Box(west, south, east, north) if count else None)


def zoom_for(box: Box | None, width_px: int = 1024) -> int:
    """The zoom at which box fits a map about width_px wide (used when a caller sends no zoom)."""
    if box is None:
        return 7
    span = max(box.east - box.west, (box.north - box.south) * 1.6, 1e-6)
    return max(0, min(MAX_ZOOM, int(math.log2(360 * width_px / 256 / span))))


def _cell_index(column, origin: float, size: float):
    """floor((column - origin) / size) that means the same on PostgreSQL and SQLite (values are >= 0)."""
    shifted = (column - origin) / size
    if db.engine.dialect.name == "postgresql":
        return sa.func.floor(shifted)
    return sa.cast(shifted, sa.Integer)


def _grid(base, zoom: int, box: Box | None) -> list[Cluster]:
    """Count per cell of CELL_PX pixels at zoom; square on screen (Web Mercator) near the box's middle."""
    lon_size = 360 / 2 ** zoom * CELL_PX / 256
    middle = (box.south + box.north) / 2 if box else 52.0
    lat_size = lon_size * max(0.05, math.cos(math.radians(middle)))
    inner = base.subquery()
    cx, cy = _cell_index(inner.c.lon, -180, lon_size), _cell_index(inner.c.lat, -90, lat_size)
    rows = db.session.execute(
        sa.select(sa.func.count(), sa.func.avg(inner.c.lat), sa.func.avg(inner.c.lon),
                  sa.func.min(inner.c.lat), sa.func.min(inner.c.lon), sa.func.max(inner.c.lat),
                  sa.func.max(inner.c.lon)).group_by(cx, cy))
    return [Cluster(lat=lat, lon=lon, count=count, box=Box(west, south, east, north))
            for count, lat, lon, south, west, north, east in rows]


def _places(query) -> list[MapPlace]:
    """Lean rows of query with their category keys: two statements. The categories are selected by
    the same query as a subquery, not by a list of ids (1,000 bound ids cost ~20 ms to send)."""
    places = [MapPlace(*row) for row in db.session.execute(query.order_by(Place.id))]
    by_id = {p.id: p for p in places}
    if by_id:
        for place_id, key in db.session.execute(
                sa.select(PlaceCategory.place_id, PlaceCategory.key)
                .where(PlaceCategory.place_id.in_(query.with_only_columns(Place.id)))
                .order_by(PlaceCategory.key)):
            if place_id in by_id:
                by_id[place_id].categories.append(key)
    return places


def map_feed(f: PlaceFilters, box: Box | None, zoom: int | None, cluster_above: int) -> MapFeed:
    """The places in box one by one, or clusters of them when there are more than cluster_above.

    A cluster of one place is sent as that place: a "1" on the map would help nobody.
    """
    ids = _ids(f)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(
        _in_box(filtered_query(f, ids, (Place.id,)), box).subquery())) or 0
    if zoom is None:
        zoom = zoom_for(box or extent(f)[1])
    if count <= cluster_above or zoom >= MAX_ZOOM:
        return MapFeed(places=_places(_in_box(filtered_query(f, ids, MAP_COLUMNS), box)), clusters=[],
                       total=count, zoom=zoom)
    cells = _grid(_in_box(filtered_query(f, ids, (Place.lat, Place.lon)), box), zoom, box)
    lone = [c for c in cells if c.count == 1]
    if not lone or len(lone) > 500:
        return MapFeed(places=[], clusters=cells, total=count, zoom=zoom)
    # The place of a one-place cell is the one at the cell's location (no other place shares it).
    at_points = sa.tuple_(Place.lat, Place.lon).in_([(c.lat, c.lon) for c in lone])
    singles = _places(_in_box(filtered_query(f, ids, MAP_COLUMNS), box).where(at_points))
    return MapFeed(places=singles, clusters=[c for c in cells if c.count > 1], total=count, zoom=zoom)
