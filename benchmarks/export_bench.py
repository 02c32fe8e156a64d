"""Export time and peak memory at 10,000 and 100,000 places, for every export format.

    cd <project> && .venv/bin/python benchmarks/export_bench.py [--sizes 10000,100000] [--formats json,csv]

Each (size, format) runs in a fresh process on the same SQLite file (so one run's memory cannot
hide in the next), Time is the whole export; peak memory is the growth of the
process's peak resident set during the export (ru_maxrss minus the resident set just before it),
writing to a file in the same temporary folder,
and the tracemalloc peak of Python objects in a second pass. Constant memory means those stay
flat from 10k to 100k places.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ervaringswijzer import create_app  # noqa: E402
from ervaringswijzer.db import init_db  # noqa: E402
from ervaringswijzer.extensions import db  # noqa: E402
from ervaringswijzer.places.exporting import FORMATS, iter_places, write_export  # noqa: E402
from ervaringswijzer.places.models import Place, PlaceCategory  # noqa: E402


def app_for(folder: Path):
    os.environ["EW_INSTANCE_PATH"] = str(folder)
    return create_app({"TESTING": True, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
                       "SEARCH_INDEX_DIR": str(folder / "index"), "SEARCH_FOLLOWER": "external"})


def make_places(n: int) -> None:
    """n published places with full fields, cycling through the demo places."""
    demo = json.loads((ROOT / "ervaringswijzer/places/demo_places.json").read_text())
    db.session.execute(PlaceCategory.__table__.delete())
    db.session.execute(Place.__table__.delete())
    for start in range(0, n, 10_000):
        rows, cats = [], []
        for i in range(start, min(n, start + 10_000)):
            src = demo[i % len(demo)]
            rows.append({"id": i + 1, "slug": f"plek-{i}", "name": f"{src['name']} {i}", "status": "published",
                         "description": src.get("description", ""), "street": "Gambiaweg", "house_number": str(i),
                         "postcode": "3564 BN", "city": "Benchstad", "wijk": f"Wijk {i % 20}",
                         "lat": 52.0 + (i % 100) / 300, "lon": 5.0 + (i // 100) / 3000, "location_status": "manual",
                         "phone": "030 123 45 67", "walk_in": i % 2 == 0, "free": i % 3 == 0, "languages": "nl,en",
                         "participation_rung": 1 + i % 6, "first_arrival": "Je wordt begroet bij de deur.",
                         "opening_hours": src.get("opening_hours"), "last_checked": None})
            cats += [{"place_id": i + 1, "key": k} for k in src["categories"]]
        db.session.execute(Place.__table__.insert(), rows)
        db.session.execute(PlaceCategory.__table__.insert(), cats)
    db.session.commit()


def rss_kb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def one(folder: Path, fmt: str) -> dict:
    """Run one export in this process and return its figures."""
    app = app_for(folder)
    with app.app_context():
        count = db.session.scalar(db.select(db.func.count()).select_from(Place))
        before = rss_kb()
        started = time.perf_counter()
        with open(folder / f"out.{fmt}", "wb") as out:
            written = write_export(fmt, iter_places(), out)
        size_mb = (folder / f"out.{fmt}").stat().st_size / 1e6
        seconds = time.perf_counter() - started
        grown = max(0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
        db.session.remove()
        tracemalloc.start()
        with open(folder / f"out.{fmt}", "wb") as out:
            write_export(fmt, iter_places(), out)
        (folder / f"out.{fmt}").unlink()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert written == count
    return {"places": count, "seconds": round(seconds, 2), "file_mb": round(size_mb, 1), "rss_growth_mb": round(grown / 1024, 1),
            "traced_peak_mb": round(peak / 1024 / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--one", nargs=2, metavar=("FOLDER", "FORMAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(Path(args.one[0]), args.one[1])))
        return
    print(f"{'places':>8} {'format':>9} {'file MB':>8} {'seconds':>8} {'places/s':>9} {'RSS growth MB':>14} "
          f"{'traced peak MB':>15}")
    for size in (int(s) for s in args.sizes.split(",")):
        folder = Path(tempfile.mkdtemp(prefix="ew-export-bench-"))
        app = app_for(folder)
        with app.app_context():
            init_db()
            make_places(size)
        for fmt in args.formats.split(","):
            out = subprocess.run([sys.executable, __file__, "--one", str(folder), fmt], check=True,
                                 capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            print(f"{r['places']:>8} {fmt:>9} {r['file_mb']:>8} {r['seconds']:>8} {r['places'] / r['seconds']:>9.0f} "
                  f"{r['rss_growth_mb']:>14} {r['traced_peak_mb']:>15}", flush=True)


if __name__ == "__main__":
    main()
