"""Cost of the distance measure that near-me and sort-by-distance run once per matching place.

    cd <project> && .venv/bin/python benchmarks/distance_bench.py [--places 10000]

Prints milliseconds per N places (best of 5) for geopy's great_circle (what places.filters.distance_km
uses), geopy's geodesic and a hand-written haversine, and how far great_circle is from geodesic.
Then the order the list uses since sorting moved into SQL: squared degrees with the longitude shrunk by
cos(latitude) (places.filters.approximate_distance, here its Python twin), its cost, and whether the
first page (20 nearest) is the same set and order as great_circle's, from 100 random centres.
"""
from __future__ import annotations

import argparse
import math
import random
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geopy.distance import geodesic, great_circle  # noqa: E402

from ervaringswijzer.places.filters import _approximate_key, distance_km  # noqa: E402


def haversine_km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--places", type=int, default=10_000)
    n = parser.parse_args().places
    rng = random.Random(1)
    centre = (52.09, 5.12)  # Utrecht; places spread over about 110 x 70 km around it
    points = [(centre[0] + rng.uniform(-0.5, 0.5), centre[1] + rng.uniform(-0.5, 0.5)) for _ in range(n)]
    measures = (("distance_km (geopy great_circle)", lambda p: distance_km(centre, p)),
                ("geopy geodesic", lambda p: geodesic(centre, p).km),
                ("hand-written haversine", lambda p: haversine_km(centre, p)))
    for name, measure in measures:
        best = min(timeit.repeat(lambda: [measure(p) for p in points], number=1, repeat=5))
        print(f"{name:34} {best * 1000:8.1f} ms per {n:,} places ({best / n * 1e6:.1f} µs each)")
    worst = max(abs(great_circle(centre, p).km / geodesic(centre, p).km - 1) for p in points)
    print(f"largest difference great_circle vs geodesic: {worst * 100:.2f} %")

    class P:
        __slots__ = ("lat", "lon")

        def __init__(self, lat, lon):
            self.lat, self.lon = lat, lon

    rows = [P(*p) for p in points]
    key = _approximate_key(centre)
    best = min(timeit.repeat(lambda: sorted(rows, key=key), number=1, repeat=5))
    print(f"{'approximate order (sort in Python)':34} {best * 1000:8.1f} ms per {n:,} places; "
          "in SQL it is part of the ORDER BY ... LIMIT of one statement")
    same_set = same_order = 0
    for _ in range(100):
        here = (centre[0] + rng.uniform(-0.4, 0.4), centre[1] + rng.uniform(-0.4, 0.4))
        near = _approximate_key(here)
        approx = [p for p in sorted(points, key=lambda p: near(P(*p)))[:20]]
        exact = sorted(points, key=lambda p: great_circle(here, p).km)[:20]
        same_set += set(approx) == set(exact)
        same_order += approx == exact
    print(f"first page of 20 from 100 centres: same places as great_circle {same_set}/100, same order {same_order}/100")


if __name__ == "__main__":
    main()
