"""Cost of the distance measure that near-me and sort-by-distance run once per matching place.

    cd <project> && .venv/bin/python benchmarks/distance_bench.py [--places 10000]

Prints milliseconds per N places (best of 5) for geopy's great_circle (what places.filters.distance_km
uses), geopy's geodesic and a hand-written haversine, and how far great_circle is from geodesic.
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

from ervaringswijzer.places.filters import distance_km  # noqa: E402


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


if __name__ == "__main__":
    main()
