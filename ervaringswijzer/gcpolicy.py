"""When Python's cyclic garbage collector may run: on CPython 3.11, only at safe points.

Why: CPython 3.11 can corrupt its heap when a collection starts while it is turning an
object's inline attribute values into a real ``__dict__``. The dict it allocates for that can
start a collection; a weakref callback run by that collection can write to the same object,
and then two dicts share one values array that the callback's resize has already freed. The
process dies later with SIGSEGV somewhere else, usually inside the collector.
SQLAlchemy hits exactly this: ``InstanceState._cleanup`` (the weakref callback of every loaded
object) writes to its ``InstanceState``, and states gain attributes while a page loads or
closes its session. docs/known-issues.md has the evidence; benchmarks/gc_stress.py
reproduces it in plain Python and checks that it stays fixed.

So on CPython 3.11 automatic collection is switched off and the same collections are run
after every app context (each request, CLI command, test context), where no interpreter
internals are half-way through anything. Other versions keep Python's default.
Config: GC_AT_SAFE_POINTS (env EW_GC_AT_SAFE_POINTS=true/false) forces it either way.
"""
from __future__ import annotations

import gc
import sys

from flask import Flask

AFFECTED = sys.implementation.name == "cpython" and sys.version_info[:2] == (3, 11)


def collect_if_due() -> int | None:
    """Run the collection the automatic collector would have started by now; its generation.

    Same rule as CPython: the oldest generation whose count exceeds its threshold.
    """
    counts, thresholds = gc.get_count(), gc.get_threshold()
    for generation in (2, 1, 0):
        if thresholds[generation] and counts[generation] > thresholds[generation]:
            gc.collect(generation)
            return generation
    return None


def enable_safe_points() -> None:
    """No automatic collections from here on; callers run collect_if_due() at safe points."""
    gc.disable()


def init_app(app: Flask) -> None:
    """Register before the extensions: teardown runs in reverse, so this comes after the
    session is closed and its objects are already garbage."""
    if not app.config.get("GC_AT_SAFE_POINTS", AFFECTED):
        return
    enable_safe_points()

    @app.teardown_appcontext
    def _collect_garbage(_exc=None):
        collect_if_due()
