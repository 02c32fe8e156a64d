"""Stress test for the CPython 3.11 garbage-collector crash (docs/known-issues.md).

Each round runs in a child process, so a crash (SIGSEGV, exit 139) is counted instead of
killing this script. Two workloads:

* pattern: the bare CPython pattern, no app: a weakref callback, run by a collection that
  starts while an object's __dict__ is being built, writes to that same object. With
  --no-safe-points it shows whether this interpreter has the bug (3.11.7: every round crashes).
* app: map pages, place lists and a load of every place as ORM objects, on SQLite with
  1,000 places, through the app's own GC policy (ervaringswijzer/gcpolicy.py).

    .venv/bin/python benchmarks/gc_stress.py                 # both, with the app's policy
    .venv/bin/python benchmarks/gc_stress.py --no-safe-points --workload pattern

Prints e.g. "120 requests, 0 crashes"; exits 1 when any round crashed.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PATTERN = r'''
import gc, sys, weakref
sys.path.insert(0, sys.argv[1])
from ervaringswijzer import gcpolicy
SAFE = sys.argv[2] == "1"
if SAFE:
    gcpolicy.enable_safe_points()

class State:
    def __init__(self):
        self.a, self.b = 1, 2
    def cleanup(self, ref):            # like SQLAlchemy's InstanceState._cleanup
        del self.a
        for i in range(10):
            setattr(self, f"x{i}", i)  # grows the dict: a resize frees the shared values

class Obj:
    pass

for n in range(int(sys.argv[3])):
    s, o = State(), Obj()
    o.me = o                           # a cycle: only a collection frees it
    s.obj = weakref.ref(o, s.cleanup)
    del o
    if not SAFE:
        gc.set_threshold(1)            # the next GC allocation (the new __dict__) collects
    d = s.__dict__
    gc.set_threshold(700)
    for i in range(20):
        setattr(s, f"z{i}", i)
    if SAFE:
        gcpolicy.collect_if_due()      # the safe point: between units of work
    print("request", n, flush=True)
'''

APP = r'''
import os, sys
sys.path.insert(0, sys.argv[1])
os.environ["EW_MAP_TILE_URL"] = ""
if sys.argv[2] == "0":
    os.environ["EW_GC_AT_SAFE_POINTS"] = "false"
import benchmarks.maps_bench as mb
from ervaringswijzer import create_app
from ervaringswijzer.db import init_db
from ervaringswijzer.places.filters import PlaceFilters, find_places
from ervaringswijzer.places.hours import opening_status
from ervaringswijzer.core.time import now

app = create_app({"TESTING": True, "SECRET_KEY": "stress", "RATELIMIT_ENABLED": False})
with app.app_context():
    init_db()
    mb.make_places(1000)
client = app.test_client()
for n in range(int(sys.argv[3])):
    kind = n % 3
    if kind == 0:
        assert client.get("/kaart/Benchstad").status_code == 200
    elif kind == 1:
        assert client.get("/plekken?city=Benchstad&per_page=100").status_code == 200
    else:
        with app.test_request_context("/"):
            at = now()
            places = find_places(PlaceFilters(city="Benchstad"), 1, 100_000).items
            rows = [(p.name, list(p.categories), opening_status(p.opening_hours, at).state)
                    for p in places]
            assert len(rows) == 1000
    print("request", n, flush=True)
'''


def run_round(workload: str, safe: bool, requests: int, timeout: float) -> tuple[int, int | None]:
    """(requests completed, exit code; None when it timed out)."""
    code = PATTERN if workload == "pattern" else APP
    env = dict(os.environ, EW_INSTANCE_PATH=tempfile.mkdtemp(prefix="ew-gc-stress-"),
               PYTHONFAULTHANDLER="1")
    try:
        done = subprocess.run([sys.executable, "-c", code, str(ROOT), "1" if safe else "0", str(requests)],
                              capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return out.count("request "), None
    if done.returncode not in (0, -11, 139):
        sys.stderr.write(done.stderr[-2000:])
    return done.stdout.count("request "), done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workload", choices=["pattern", "app", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=3, help="child processes per workload")
    parser.add_argument("--requests", type=int, default=0,
                        help="per round (default: 30 for app, 2000 for pattern)")
    parser.add_argument("--no-safe-points", action="store_true",
                        help="leave automatic garbage collection on (to see the crash)")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args(argv)

    workloads = ["pattern", "app"] if args.workload == "both" else [args.workload]
    total_requests = total_crashes = 0
    for workload in workloads:
        per_round = args.requests or (2000 if workload == "pattern" else 30)
        for i in range(args.rounds):
            done, code = run_round(workload, not args.no_safe_points, per_round, args.timeout)
            crashed = code is None or code != 0
            total_requests += done
            total_crashes += crashed
            print(f"{workload} round {i + 1}: {done}/{per_round} requests, exit {code}", flush=True)
    print(f"{total_requests} requests, {total_crashes} crashes")
    return 1 if total_crashes else 0


if __name__ == "__main__":
    sys.exit(main())
