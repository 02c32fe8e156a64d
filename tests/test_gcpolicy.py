"""The CPython 3.11 garbage-collector crash stays fixed (docs/known-issues.md).

The stress runs in child processes (benchmarks/gc_stress.py): a crash there is a failed
assertion here, not a dead test run.
"""
from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from ervaringswijzer import gcpolicy

STRESS = Path(__file__).resolve().parent.parent / "benchmarks" / "gc_stress.py"


def _stress(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(STRESS), *args], capture_output=True, text=True,
                          timeout=600)


def test_collect_if_due_follows_the_thresholds():
    was_enabled = gc.isenabled()
    old = gc.get_threshold()
    try:
        gc.disable()
        gc.collect()
        gc.set_threshold(1_000_000, 10, 10)
        assert gcpolicy.collect_if_due() is None  # nothing due: nothing collected
        gc.set_threshold(1, 10, 10)
        junk = [[] for _ in range(5)]
        assert gcpolicy.collect_if_due() == 0
        del junk
    finally:
        gc.set_threshold(*old)
        if was_enabled:
            gc.enable()


@pytest.mark.skipif(not gcpolicy.AFFECTED, reason="only CPython 3.11 needs the policy")
def test_app_switches_automatic_collection_off_and_collects_after_each_context(app, monkeypatch):
    assert not gc.isenabled()
    calls = []
    monkeypatch.setattr(gcpolicy, "collect_if_due", lambda: calls.append(1))
    with app.app_context():
        pass
    app.test_client().get("/")
    assert len(calls) == 2


def test_pattern_stress_runs_clean_with_safe_points():
    done = _stress("--workload", "pattern", "--rounds", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("4000 requests, 0 crashes")


@pytest.mark.slow
def test_app_stress_runs_clean():
    done = _stress("--workload", "app", "--rounds", "1", "--requests", "15")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("15 requests, 0 crashes")
