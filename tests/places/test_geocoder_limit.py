"""The geocoder's one-request-per-second limit holds for the whole application: two processes share it."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import BACKENDS

ROOT = Path(__file__).resolve().parents[2]

# One geocoding process: waits until its partner is ready too, then looks up each address once.
WORKER = """
import sys, time
from pathlib import Path
from ervaringswijzer import create_app
uri, geocoder, storage, me, partner, *addresses = sys.argv[1:]
app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": uri, "GEOCODER_URL": geocoder,
                  "GEOCODER_MIN_DELAY": 1.0, "GEOCODER_TIMEOUT": 5, "GEOCODER_LIMIT_STORAGE_URI": storage,
                  "SEARCH_INDEX_DIR": str(Path(me).parent / "index")})
with app.app_context():
    from ervaringswijzer.places.geocoding import geocode
    Path(me).touch()
    while not Path(partner).exists():
        time.sleep(0.01)
    print(" ".join(geocode(a).status for a in addresses), flush=True)
"""


def _two_processes(app, geocoder_server, tmp_path, storage: str = "") -> list[float]:
    geocoder_server.requests.clear()
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ready = [tmp_path / "a.ready", tmp_path / "b.ready"]
    procs = [subprocess.Popen(
        [sys.executable, "-c", WORKER, uri, geocoder_server.url, storage, str(ready[i]), str(ready[1 - i]),
         *[f"Limietstraat {i}{n}, Utrecht" for n in range(2)]],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in (0, 1)]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-2000:]
        assert out.split() == ["ok", "ok"], (out, err[-2000:])
    return sorted(r["at"] for r in geocoder_server.requests)


@pytest.mark.slow
def test_two_processes_keep_one_second_between_requests(app, geocoder_server, tmp_path):
    """Two processes geocode two new addresses each at once: the server sees four requests ≥ 1 s apart."""
    arrivals = _two_processes(app, geocoder_server, tmp_path)
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
    assert len(arrivals) == 4 and min(gaps) >= 1.0, gaps


@pytest.mark.slow
@pytest.mark.parametrize("app", [BACKENDS[0]], indirect=True)
def test_two_processes_share_the_limit_through_redis(app, geocoder_server, tmp_path):
    """With a Redis URL configured, the turn is kept in Redis: again ≥ 1 s between the two processes' requests."""
    url = os.environ.get("EW_TEST_REDIS_URL")
    if not url:
        pytest.skip("EW_TEST_REDIS_URL not set")
    arrivals = _two_processes(app, geocoder_server, tmp_path, storage=url)
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
    assert len(arrivals) == 4 and min(gaps) >= 1.0, gaps
