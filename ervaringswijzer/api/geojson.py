"""GET /api/v1/places.geojson: the map feed, a compact RFC 7946 FeatureCollection of what markers and popups need."""
from __future__ import annotations

from datetime import datetime

from flask import url_for

from ..places.categories import CATEGORIES, CATEGORY_KEYS
from ..places.display import StatusCache
from ..places.mapfeed import MapFeed
from ..places.serialize import ratings_for
from ..places.when import TimeWindow


def feed_collection(feed: MapFeed, at: datetime, chosen: bool, when: TimeWindow | None = None) -> dict:
    """Places as Point features (`id` = place id) and clusters as Point features with `bbox` and a count.

    Repeated text travels once: status lines and category labels are lists at the top, and each
    place refers to them by index (at 2,000 places this halves the feed).
    """
    statuses = StatusCache(at, chosen=chosen, when=when)  # popups speak of the chosen window, not of now
    category_index = {key: i for i, key in enumerate(CATEGORY_KEYS)}
    ratings = ratings_for([p.id for p in feed.places])
    features = []
    for place in feed.places:
        line, state = statuses.get(place.opening_hours)
        properties = {"name": place.name, "slug": place.slug, "status": line, "state": state,
                      "categories": [category_index[c] for c in place.categories if c in category_index]}
        rating = ratings.get(place.id) or {}
        if rating.get("count"):  # left out when there are none: most places, and 30 bytes each
            properties.update(reviews=rating["count"], recommend_pct=rating.get("recommend_pct"))
        features.append({
            "type": "Feature", "id": place.id,
            "geometry": {"type": "Point", "coordinates": [round(place.lon, 5), round(place.lat, 5)]},
            "properties": properties})
    for cluster in feed.clusters:
        features.append({
            "type": "Feature", "bbox": cluster.box.as_list(),
            "geometry": {"type": "Point", "coordinates": [round(cluster.lon, 5), round(cluster.lat, 5)]},
            "properties": {"cluster": True, "count": cluster.count}})
    return {
        "type": "FeatureCollection",
        "total": feed.total, "zoom": feed.zoom, "clustered": bool(feed.clusters),
        "place_url": url_for("places.place_detail", slug="SLUG").replace("SLUG", ""),
        "statuses": statuses.lines,
        "categories": [str(CATEGORIES[k]) for k in CATEGORY_KEYS],
        "features": features,
    }
