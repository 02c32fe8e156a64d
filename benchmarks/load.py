"""Load benchmark: gunicorn (2 sync workers) on PostgreSQL with the demo data plus generated places, driven by wrk.

    .venv/bin/python benchmarks/load.py                        # 10,000 places, 10 s per route
    .venv/bin/python benchmarks/load.py --places 2000 --duration 5 --skip-storm

In one run it prints, per route, requests/s, p50 and p99 latency and the ratio to a static file
served by the same gunicorn (the floor, measured first), then:

- a write storm: 16 members log in and post reviews at once (posted, stored, findable, time to findable);
- a crash drill: gunicorn (and the follower) is killed with SIGKILL in the middle of a storm and started again; every
  acknowledged review must be stored exactly once, and it is reported (not asserted) whether each
  became findable through search within the wait;
- time to findable: during the storm and the drill, searches run beside the writers, so each
  acknowledged review gets the time from its acknowledgement (for the drill: from the restart, when
  it was acknowledged before it) to the first search answer that finds it (median, p95, max);
- two nodes: a second gunicorn with its own index directory and follower on the same PostgreSQL;
  reviews are written on A and searched on B (p95 time to visible);
- index trouble under load: while wrk reads pages, the index directory is deleted, and later its
  files are garbled; the slowest page answer is printed (pages must never wait for a rebuild).

    --parts routes,storm,drill,nodes,garble   (default: all) selects what runs.

Everything runs on 127.0.0.1 in a private PostgreSQL schema that is dropped at the end. Every loop
is bounded by a count or a deadline. Figures on a shared machine are noisy: run it twice.
Not a test: nothing is asserted, figures are printed.
"""
from __future__ import annotations

import argparse
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from dataclasses import dataclass, field
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
DEFAULT_DB = os.environ.get("EW_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CITIES = {"Utrecht": (52.09, 5.12), "Amsterdam": (52.37, 4.90), "Rotterdam": (51.92, 4.48),
          "Groningen": (53.22, 6.57), "Leiden": (52.16, 4.49), "Zwolle": (52.51, 6.09)}
WIJKEN = ["Noord", "Oost", "Zuid", "West", "Centrum", "Overvecht", "Lombok", "Zuilen"]
CATEGORIES = ["walk_in_centre", "day_activities", "volunteering", "help_advice", "self_help", "sport",
              "creative", "food_coffee", "repair_reuse", "community_centre"]
FLAGS = ["walk_in", "no_referral", "free", "client_run", "peer_experts", "wheelchair", "quiet_space"]
HOURS = ["Mo-Fr 09:00-17:00", "Mo-Fr 10:00-16:00; Sa 10:00-13:00", "Tu,Th 13:00-21:00", "Mo-Su 08:00-22:00",
         "We 10:00-12:00,13:00-16:00", "Mo-Fr 09:00-12:30; PH off", None]
WORDS = ("koffie thee soep samen welkom gratis buurt rustig praatje tuin fiets kleding taal computer "
         "werkplaats moestuin schilderen muziek wandelen lunch lotgenoten herstel maatje").split()
STORM_CLIENTS = 16
PLACE_PAGES = 1000
# What people type: plain words, several words, typos, a place kind with a city.
SEARCHES = ["koffie", "koffie zonder afspraak", "kofie", "gratis lunch", "moestuin", "schilderen samen",
            "lotgenotem", "huiskamer utrecht", "wandelen", "computer taal"]


def search_paths() -> list[str]:
    return [f"/plekken?q={q.replace(' ', '+')}" + (f"&page={n}" if n > 1 else "") for q in SEARCHES for n in (1, 2)]


# --- data -----------------------------------------------------------------------------------------

def make_schema(base_url: str) -> tuple[str, str]:
    schema = f"ew_load_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(base_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in base_url else "?"
    return schema, f"{base_url}{sep}options=-csearch_path%3D{schema}"


def drop_schema(base_url: str, schema: str) -> None:
    engine = sa.create_engine(base_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def app_env(db_url: str, instance: Path, follower: str = "thread") -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "EW_SQLALCHEMY_DATABASE_URI": db_url, "EW_INSTANCE_PATH": str(instance),
        "EW_SECRET_KEY": "load-benchmark-" + uuid.uuid4().hex,
        # Throughput is measured, not the limiter: it would answer 429 to 8 clients from one address.
        "EW_RATELIMIT_ENABLED": "false", "EW_REVIEW_PREMODERATION_DAYS": "0", "EW_MAP_TILE_URL": '""',
        "PYTHONWARNINGS": "ignore", "EW_SEARCH_FOLLOWER": follower,
    })
    return env


def flask_cli(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "ervaringswijzer", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, timeout=1800)


def generate(db_url: str, count: int, seed: int = 11) -> None:
    """count published places in six cities (about 1/6 each), 1-3 categories, 0-4 published reviews each."""
    rng = random.Random(seed)
    engine = sa.create_engine(db_url)
    meta = sa.MetaData()
    meta.reflect(engine, only=["place", "place_category", "review"])
    place, category, review = meta.tables["place"], meta.tables["place_category"], meta.tables["review"]
    with engine.begin() as conn:
        first = (conn.scalar(sa.select(sa.func.max(place.c.id))) or 0) + 1
        now = sa.func.now()
        rows, cats, reviews = [], [], []
        for i in range(first, first + count):
            city = rng.choice(list(CITIES))
            lat, lon = CITIES[city]
            words = " ".join(rng.choices(WORDS, k=40))
            rows.append({
                "id": i, "slug": f"bench-plek-{i}", "name": f"{rng.choice(['Huiskamer', 'Inloop', 'Werkplaats', 'Buurthuis'])} {i}",
                "description": words.capitalize() + ".", "status": "published", "street": "Teststraat",
                "house_number": str(i % 300 + 1), "postcode": "3500 AA", "city": city, "wijk": rng.choice(WIJKEN),
                "lat": lat + rng.uniform(-0.05, 0.05), "lon": lon + rng.uniform(-0.08, 0.08),
                "location_status": "manual", "phone": "", "email": "", "website": "", "contact_name": "",
                "contact_role": "", **{f: rng.random() < 0.4 for f in FLAGS}, "bring_someone": False,
                "look_first": False, "languages": "nl", "first_arrival": "", "first_greeter": "",
                "first_quiet_times": "", "first_busy_times": "", "opening_hours": rng.choice(HOURS),
            })
            cats += [{"place_id": i, "key": key} for key in rng.sample(CATEGORIES, rng.randint(1, 3))]
            for _ in range(rng.randint(0, 4)):
                reviews.append({"place_id": i, "member_id": None, "welcome": rng.randint(1, 5),
                                "respect": rng.randint(1, 5), "calm": rng.randint(1, 5), "access": rng.randint(1, 5),
                                "recommend": rng.random() < 0.7, "status": "published", "hold_reason": "",
                                "text": "<p>" + " ".join(rng.choices(WORDS, k=25)) + "</p>",
                                "visit_month": date(2026, 10, 1)})
        conn.execute(place.insert().values(created_at=now, updated_at=now), rows)
        conn.execute(category.insert(), cats)
        conn.execute(review.insert().values(created_at=now, updated_at=now), reviews)
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('place', 'id'), (SELECT max(id) FROM place))"))
        conn.execute(sa.text("ANALYZE"))
    engine.dispose()


def make_members(db_url: str, instance: Path, count: int) -> list[tuple[str, str]]:
    from ervaringswijzer import create_app
    from ervaringswijzer.accounts.services import register_member
    from ervaringswijzer.extensions import db

    # No follower thread here: it would build the index that `search rebuild` builds right after.
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SEARCH_INDEX_DIR": str(instance / "search-index"),
                      "SEARCH_FOLLOWER": "external"})
    members = [(f"storm lid {k}", "storm-wachtwoord-123") for k in range(count)]
    with app.app_context():
        for pseudonym, password in members:
            _member, errors = register_member(pseudonym, password)[:2]
            assert not errors, errors
        db.session.commit()
        db.engine.dispose()
    return members


# --- gunicorn -------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with 2 sync workers; with follower=True also `flask search follow`, its node's own follower
    process (docs/deploy.md), started, killed and stopped together with it."""

    def __init__(self, env: dict, port: int, log: Path, follower: bool = False, workers: int = 2):
        self.env, self.port, self.log, self.workers = env, port, log, workers
        self.proc: subprocess.Popen | None = None
        self.follower: subprocess.Popen | None = None
        self.with_follower = follower
        self.base = f"http://127.0.0.1:{port}"

    def start(self, timeout: float = 90) -> None:
        if self.with_follower:
            with open(self.log.with_suffix(".follower.log"), "ab") as out:
                self.follower = subprocess.Popen([str(BIN / "flask"), "--app", "ervaringswijzer", "search", "follow"],
                                                 cwd=ROOT, env=self.env, stdout=out, stderr=out)
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                [str(BIN / "gunicorn"), "-w", str(self.workers), "-k", "sync", "-b", f"127.0.0.1:{self.port}", "--timeout", "120",
                 "wsgi:app"], cwd=ROOT, env=self.env, stdout=out, stderr=out)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/plekken", timeout=10).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.proc.returncode}; see {self.log}")
            time.sleep(0.5)
        raise SystemExit(f"gunicorn did not answer within {timeout} s; see {self.log}")

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(x) for x in path.read_text().split()] if path.exists() else []

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the workers have used so far: a figure the machine's other load
        hardly changes, unlike requests per second."""
        total = 0
        for pid in self.children():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        return total / os.sysconf("SC_CLK_TCK")

    def kill_hard(self) -> None:
        """SIGKILL the master and its workers (only the processes this script started)."""
        pids = [self.proc.pid] + self.children() + ([self.follower.pid] if self.follower else [])
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=30)
        if self.follower:
            self.follower.wait(timeout=30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            workers = self.children()
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill_hard()
            for pid in workers:  # a worker orphaned by an earlier kill -9 of its master
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        if self.follower and self.follower.poll() is None:
            self.follower.terminate()
            try:
                self.follower.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.follower.kill()


# --- wrk ------------------------------------------------------------------------------------------

LUA = """
local paths = {%s}
local bust = %s
local counter = 0
local tag = 0
setup = function(thread) tag = tag + 1; thread:set("tag", tag) end
request = function()
  counter = counter + 1
  local path = paths[(counter %% #paths) + 1]
  if bust then
    local sep = string.find(path, "?", 1, true) and "&" or "?"
    path = path .. sep .. "_=" .. tostring(tag) .. "-" .. tostring(counter)
  end
  return wrk.format("GET", path)
end
"""


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    max_ms: float = float("nan")
    requests: int = 0


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(base: str, paths: list[str], duration: int, connections: int, bust: bool, workdir: Path) -> WrkResult:
    script = workdir / "paths.lua"
    script.write_text(LUA % (", ".join('"%s"' % p.replace('"', "") for p in paths), "true" if bust else "false"))
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency",
                          "-s", str(script), base], capture_output=True, text=True, timeout=duration + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    top = re.search(r"^\s+Latency\s+\S+\s+\S+\s+(\S+)", out, re.M)
    done = re.search(r"(\d+) requests in", out)
    return WrkResult(rps, _ms(p50.group(1)) if p50 else float("nan"), _ms(p99.group(1)) if p99 else float("nan"), errors,
                     _ms(top.group(1)) if top else float("nan"), int(done.group(1)) if done else 0)


def routes(db_url: str) -> list[tuple[str, list[str], bool]]:
    """(label, paths, cache-busting) per route; paths rotate so pages and places differ."""
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        # Spread over many places (a fixed random sample), so no page is answered from one warm cache.
        slugs = list(conn.scalars(sa.text(
            "SELECT slug FROM place WHERE status = 'published' ORDER BY md5(slug) LIMIT :n"), {"n": PLACE_PAGES}))
        city = conn.scalar(sa.text("SELECT city FROM place GROUP BY city ORDER BY count(*) DESC LIMIT 1"))
    engine.dispose()
    static = "/static/css/site.css"
    api = [f"/api/v1/places?page={n}" for n in range(1, 51)]
    listing = [f"/plekken?walk_in=1&category={c}&city={city}&page={n}" for c in CATEGORIES[:5] for n in (1, 2, 3)]
    listing += [f"/plekken?open_now=1&free=1&page={n}" for n in (1, 2, 3)]
    feed = f"/api/v1/places.geojson?city={city}"
    return [
        ("static file (floor)", [static], False),
        ("/api/v1/places (50 pages)", api, False),
        ("/api/v1/places, every answer built", api, True),
        (f"place page ({len(slugs)} places)", [f"/plek/{s}" for s in slugs], False),
        # What a page costs when it is not kept (a first read, or one in a new minute).
        ("place page, every answer built", [f"/plek/{s}" for s in slugs], True),
        # Visitors read a few places far more often than the rest: the most-read pages, read again.
        ("place page (50 places, read again)", [f"/plek/{s}" for s in slugs[:50]], False),
        ("/plekken with filters", listing, False),
        ("/plekken with filters, every answer built", listing, True),
        (f"search page ({len(SEARCHES)} queries x 2 pages)", search_paths(), False),
        ("/plekken?sort=rating (pages 1-5)", [f"/plekken?sort=rating&page={n}" for n in range(1, 6)], False),
        ("/plekken near me, nearest first", [f"/plekken?near={lat:.2f},{lon:.2f}&sort=distance"
                                             for lat, lon in CITIES.values()], False),
        (f"city map /kaart/{city}", [f"/kaart/{city}"], False),
        ("its marker feed", [feed], False),
        ("its marker feed, every answer built", [feed], True),
    ]


# --- write storm and crash drill -------------------------------------------------------------------

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class StormResult:
    acked: dict[str, float] = field(default_factory=dict)  # marker -> time acknowledged
    failed: int = 0  # answered, but not with the redirect that confirms a stored review
    retries: int = 0  # connection failures, each followed by another try of the same review
    attempts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _login(session: requests.Session, base: str, pseudonym: str, password: str) -> None:
    page = session.get(base + "/inloggen", timeout=10).text
    session.post(base + "/inloggen", data={"csrf_token": CSRF.search(page).group(1), "pseudonym": pseudonym,
                                           "password": password}, allow_redirects=False, timeout=10)


def _client(base: str, member: tuple[str, str], slugs: list[str], tag: str, k: int, result: StormResult,
            deadline: float) -> None:
    """Post one review per place; when the server cannot be reached, try the same review again (as a person
    would), until the deadline. One review per member and place, so a repeat edits instead of adding."""
    session = requests.Session()
    logged_in = False
    for j, slug in enumerate(slugs):
        marker = f"zq{tag}x{k}x{j}"
        with result.lock:
            result.attempts += 1
        while time.monotonic() < deadline:
            try:
                if not logged_in:
                    _login(session, base, *member)
                    logged_in = True
                form = session.get(f"{base}/plek/{slug}/ervaring", timeout=10).text
                response = session.post(f"{base}/plek/{slug}/ervaring", allow_redirects=False, timeout=10, data={
                    "csrf_token": CSRF.search(form).group(1), "welcome": "4", "respect": "5", "calm": "3",
                    "access": "4", "recommend": "yes", "visit_month": "2026-11",
                    "text": f"Een fijne plek om binnen te lopen, rustig en welkom. Kenmerk {marker}."})
            except (requests.RequestException, AttributeError):
                # Down (crash drill), or an answer without a form: not acknowledged; try again shortly.
                with result.lock:
                    result.retries += 1
                time.sleep(0.3)
                continue
            with result.lock:
                if response.status_code == 302 and "/plek/" in response.headers.get("Location", ""):
                    result.acked[marker] = time.monotonic()
                else:
                    result.failed += 1
            break


def storm(base: str, members, slugs: list[str], per_client: int, tag: str, seconds: float,
          during=None, result: StormResult | None = None) -> StormResult:
    result = result or StormResult()
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=_client, daemon=True, args=(
        base, members[k], slugs[k * per_client:(k + 1) * per_client], tag, k, result, deadline))
        for k in range(len(members))]
    for t in threads:
        t.start()
    if during:
        during()
    for t in threads:
        t.join(timeout=seconds + 30)
    return result


class Watcher:
    """Searches beside the writers: each acknowledged marker gets the moment a search first finds it.

    Up to eight pending markers go into one query (no place has them all, so search answers with the
    places that have any); each marker was written on its own place, so a place in the answer means
    its marker is in the index."""

    def __init__(self, base: str, result: StormResult, marker_place: dict[str, int]):
        self.base, self.result = base, result
        self.place_marker = {pid: m for m, pid in marker_place.items()}
        self.found: dict[str, float] = {}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def pending(self) -> list[str]:
        with self.result.lock:
            return [m for m in self.result.acked if m not in self.found]

    def run(self) -> None:
        session = requests.Session()
        while not self.stopping.is_set():
            pending = self.pending()
            for start in range(0, len(pending), 8):
                try:
                    data = session.get(f"{self.base}/api/v1/search", timeout=10, params={
                        "q": " ".join(pending[start:start + 8]), "per_page": 100}).json()
                except (requests.RequestException, ValueError):
                    time.sleep(0.2)
                    continue
                now = time.monotonic()
                for item in data.get("items", []):
                    marker = self.place_marker.get(item["id"])
                    if marker and marker not in self.found and marker in self.result.acked:
                        self.found[marker] = now
            time.sleep(0.05)

    def start(self) -> "Watcher":
        self.thread.start()
        return self

    def finish(self, wait: float) -> dict[str, float]:
        """Keep searching until every acknowledged marker was found or `wait` seconds passed."""
        deadline = time.monotonic() + wait
        while self.pending() and time.monotonic() < deadline:
            time.sleep(0.1)
        self.stopping.set()
        self.thread.join(timeout=15)
        return dict(self.found)


def marker_places(db_url: str, tag: str, slugs: list[str], clients: int, per_client: int) -> dict[str, int]:
    """marker -> id of the place its review was written on (one marker per place)."""
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        ids = dict(conn.execute(sa.text("SELECT slug, id FROM place WHERE slug = ANY(:s)"), {"s": slugs}).all())
    engine.dispose()
    return {f"zq{tag}x{k}x{j}": ids[slugs[k * per_client + j]] for k in range(clients) for j in range(per_client)}


def _spread(times: list[float]) -> str:
    times = sorted(times)
    if not times:
        return "none found"
    p95 = times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)]
    return f"median {statistics.median(times):.2f} s, p95 {p95:.2f} s, max {times[-1]:.2f} s"


def stored_counts(db_url: str, tag: str) -> dict[str, int]:
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        texts = conn.scalars(sa.text("SELECT text FROM review WHERE text LIKE :p"), {"p": f"%zq{tag}x%"}).all()
    engine.dispose()
    counts: dict[str, int] = {}
    for text in texts:
        for marker in re.findall(rf"zq{tag}x\d+x\d+", text):
            counts[marker] = counts.get(marker, 0) + 1
    return counts


def report_findable(result: StormResult, found_at: dict[str, float], wait: float, since: float | None = None) -> None:
    """Time from acknowledgement to findable; with `since` (the moment the restarted server answered),
    split into reviews found before it and after it, and the late ones counted."""
    acked = result.acked
    missing = len(acked) - sum(1 for m in acked if m in found_at)
    lost = f", {missing} not within {wait:.0f} s" if missing else ""
    print(f"  findable through /api/v1/search (searched while they write): {len(acked) - missing}/{len(acked)}{lost}")
    if since is None:
        print(f"  time from acknowledgement to findable: {_spread([found_at[m] - acked[m] for m in acked if m in found_at])}")
        return
    # Before: acknowledged before the kill (or while the server was down: the follower was back before the
    # web workers) and found while the server was restarting; after: from the restart's end, or from the
    # acknowledgement when that came later. Late: found more than 2 s after the later of the two.
    before = [found_at[m] - acked[m] for m in acked if m in found_at and found_at[m] < since]
    after = [found_at[m] - max(acked[m], since) for m in acked if m in found_at and found_at[m] >= since]
    late = sum(1 for t in after if t > 2.0) + missing
    print(f"  found before the restarted server answered: {len(before)}, time from acknowledgement: {_spread(before)}")
    print(f"  found after: {len(after)}, time from the restart's end (or the acknowledgement, when later): "
          f"{_spread(after)}")
    print(f"  acknowledged reviews not findable within 2 s after the restart: {late}")


def report_storm(label: str, result: StormResult, stored: dict[str, int], elapsed: float) -> None:
    acked = result.acked
    once = sum(1 for m in acked if stored.get(m) == 1)
    twice = sum(1 for m in acked if stored.get(m, 0) > 1)
    lost = sum(1 for m in acked if not stored.get(m))
    unacked_stored = sum(1 for m in stored if m not in acked)
    print(f"\n{label}: {result.attempts} attempts by {STORM_CLIENTS} clients in {elapsed:.1f} s (load average "
          f"{os.getloadavg()[0]:.1f})")
    print(f"  acknowledged {len(acked)} ({len(acked) / elapsed:.1f}/s), refused {result.failed}, "
          f"retried after a connection failure {result.retries}")
    print(f"  stored exactly once {once}/{len(acked)}, stored twice or more {twice}, acknowledged but lost {lost}, "
          f"stored without acknowledgement {unacked_stored}")


# --- two nodes, index trouble --------------------------------------------------------------------

def wait_for_search(base: str, ready, limit: float, pause: float) -> tuple[float | None, dict]:
    """Ask base's /health until ready(its search check) holds: (the monotonic time it held, or None
    after `limit` seconds; the last search check seen)."""
    deadline, check = time.monotonic() + limit, {}
    while time.monotonic() < deadline:
        try:
            check = requests.get(base + "/health", timeout=10).json()["checks"].get("search", {})
            if ready(check):
                return time.monotonic(), check
        except (requests.RequestException, ValueError, KeyError):
            pass
        time.sleep(pause)
    return None, check


def two_nodes(server_a: Server, server_b: Server, db_url: str, members, slugs: list[str], count: int,
              wait: float) -> None:
    """One member writes `count` reviews on A, one after another; B is searched for each (B has its own index).

    B starts from the index copied at setup, so first its follower catches up on everything written
    since (the storms): that is timed and printed on its own, and the writes start once B is current,
    as a second node that has been running would be."""
    start = time.monotonic()
    current, check = wait_for_search(server_b.base, lambda c: c.get("detail") == "ok", wait, 0.1)
    print("\nnode B started from the index copied at setup; its follower " +
          (f"caught up in {current - start:.1f} s after B answered" if current is not None else
           f"had not caught up after {wait:.0f} s (search health: {check.get('detail')!r})"))
    tag = uuid.uuid4().hex[:6]
    result = StormResult()
    watcher = Watcher(server_b.base, result, marker_places(db_url, tag, slugs, 1, count)).start()
    t0 = time.monotonic()
    storm(server_a.base, members[:1], slugs, count, tag, seconds=120, result=result)
    elapsed = time.monotonic() - t0
    found = watcher.finish(wait)
    times = [found[m] - t for m, t in result.acked.items() if m in found]
    print(f"two nodes (each its own index and follower, one PostgreSQL): {len(result.acked)} reviews written on A "
          f"in {elapsed:.1f} s, visible in B's search {len(times)}/{len(result.acked)}; time from acknowledgement on A "
          f"to findable on B: {_spread(times)} (load average {os.getloadavg()[0]:.1f})")


def garble(root: Path) -> int:
    """Overwrite every file of the live index generation with junk (names kept); returns how many."""
    count = 0
    for path in root.rglob("*"):
        if path.is_file() and path.name != "CURRENT" and not path.name.endswith(".json"):
            path.write_bytes(os.urandom(max(64, min(path.stat().st_size, 4096))))
            count += 1
    return count


def index_trouble(server: Server, index_dir: Path, paths: list[str], duration: int, connections: int,
                  workdir: Path) -> None:
    """While wrk reads pages, delete the index (then, once it is back, garble it): the slowest answer counts."""
    calm = run_wrk(server.base, paths, duration, connections, False, workdir)
    print(f"index intact, same pages ({len(paths)}: place pages, searches, home): {calm.rps:.1f} req/s, "
          f"p99 {calm.p99_ms:.0f} ms, slowest page {calm.max_ms:.0f} ms, errors {calm.errors} "
          f"(load average {os.getloadavg()[0]:.1f})", flush=True)
    for label, harm in (("index directory deleted", lambda: shutil.rmtree(index_dir, ignore_errors=True)),
                        ("index files garbled", lambda: garble(index_dir))):
        box: list = []
        runner = threading.Thread(target=lambda: box.append(
            run_wrk(server.base, paths, duration, connections, False, workdir)))
        runner.start()
        time.sleep(min(3, duration / 4))
        harm()
        harmed = time.monotonic()
        runner.join(timeout=duration + 90)
        healthy, _check = wait_for_search(server.base, lambda c: bool(c.get("ok")), 180, 1)
        back = healthy - harmed if healthy is not None else None
        result = box[0] if box else None
        if result is None:
            print(f"{label}: wrk gave no result")
            continue
        print(f"{label} under load ({len(paths)} pages: place pages, searches, home): {result.rps:.1f} req/s, "
              f"p99 {result.p99_ms:.0f} ms, slowest page {result.max_ms:.0f} ms, errors {result.errors}; "
              f"search healthy again after {f'{back:.0f} s' if back is not None else 'more than 180 s'} "
              f"(load average {os.getloadavg()[0]:.1f})", flush=True)


# --- main -----------------------------------------------------------------------------------------

PARTS = ("routes", "storm", "drill", "nodes", "garble")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DB, help="PostgreSQL; a private schema is made in it")
    parser.add_argument("--places", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per route")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--per-client", type=int, default=8, help="reviews each storm client posts")
    parser.add_argument("--findable-wait", type=float, default=30.0)
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated, from {', '.join(PARTS)}")
    parser.add_argument("--watch", choices=("reader", "same"), default="reader",
                        help="where the storm's searches run: reader = a gunicorn of its own (1 worker, no follower) "
                             "on node A's index, so time to findable is the index's and not the storm's queue; "
                             "same = node A itself, behind the 16 writers")
    parser.add_argument("--only", default="", help="run only the routes whose label contains one of these "
                                                   "comma-separated words (the floor always runs)")
    parser.add_argument("--skip-storm", action="store_true", help="the same as --parts routes")
    parser.add_argument("--follower", choices=("external", "thread"), default="external",
                        help="external: `flask search follow` as its own process per node, as docs/deploy.md "
                             "runs it (the crash drill kills it too); thread: a thread of a gunicorn worker")
    args = parser.parse_args()
    parts = {"routes"} if args.skip_storm else {p.strip() for p in args.parts.split(",") if p.strip()}
    if parts - set(PARTS):
        raise SystemExit(f"unknown parts: {', '.join(sorted(parts - set(PARTS)))}")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian package wrk)")

    workdir = Path(tempfile.mkdtemp(prefix="ew-load-"))
    schema, db_url = make_schema(args.database_url)
    external = args.follower == "external"
    env = app_env(db_url, workdir / "instance", args.follower)
    server = Server(env, free_port(), workdir / "gunicorn.log", follower=external)
    env_b = app_env(db_url, workdir / "instance-b", args.follower)
    server_b = Server(env_b, free_port(), workdir / "gunicorn-b.log", follower=external)
    reader = Server(app_env(db_url, workdir / "instance", "external"), free_port(), workdir / "gunicorn-reader.log",
                    workers=1)
    try:
        steps = [time.monotonic()]
        flask_cli(env, "init-db")
        flask_cli(env, "seed-demo")
        steps.append(time.monotonic())
        generate(db_url, args.places)
        members = make_members(db_url, workdir / "instance", STORM_CLIENTS)
        steps.append(time.monotonic())
        flask_cli(env, "search", "rebuild")
        if "nodes" in parts:  # node B starts from a copy of the same index; its own follower keeps it current
            shutil.copytree(workdir / "instance" / "search-index", workdir / "instance-b" / "search-index")
        steps.append(time.monotonic())
        print(f"setup in schema {schema}: demo data {steps[1] - steps[0]:.0f} s, {args.places} places and "
              f"{STORM_CLIENTS} members {steps[2] - steps[1]:.0f} s, search index {steps[3] - steps[2]:.0f} s")
        server.start()
        print(f"search follower: {'flask search follow, a process per node' if external else 'a thread in a gunicorn worker'}")

        if "routes" in parts:
            print(f"\nwrk: 1 thread, {args.connections} connections, {args.duration} s per route after a 2 s warm-up; "
                  f"gunicorn 2 sync workers; {os.cpu_count()} CPUs shared with wrk (and anything else running)")
            print("cpu ms = CPU time of the two workers per answer (user + system; PostgreSQL and wrk not counted): "
                  "unlike req/s it hardly depends on what else runs; 'of floor (cpu)' is the static file's cpu ms "
                  "divided by the route's, the ratio a quiet machine would show if the workers were the bottleneck")
            print(f"{'route':<44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'of floor':>9} {'errors':>7} {'load':>5} "
                  f"{'cpu ms':>7} {'of floor (cpu)':>15}")
            floor = floor_cpu = None
            only = [w.strip() for w in args.only.split(",") if w.strip()]
            for label, paths, bust in routes(db_url):
                if floor is not None and only and not any(w in label for w in only):
                    continue
                run_wrk(server.base, paths, 2, args.connections, bust, workdir)
                cpu_before = server.cpu_seconds()
                result = run_wrk(server.base, paths, args.duration, args.connections, bust, workdir)
                cpu_ms = 1000 * (server.cpu_seconds() - cpu_before) / max(1, result.requests)
                floor = floor or result.rps
                floor_cpu = floor_cpu or cpu_ms
                print(f"{label:<44} {result.rps:>8.1f} {result.p50_ms:>8.1f} {result.p99_ms:>8.1f} "
                      f"{100 * result.rps / floor:>8.1f}% {result.errors:>7} {os.getloadavg()[0]:>5.1f} "
                      f"{cpu_ms:>7.2f} {100 * floor_cpu / cpu_ms if cpu_ms else float('nan'):>14.1f}%", flush=True)

        engine = sa.create_engine(db_url)
        with engine.connect() as conn:
            slugs = list(conn.scalars(sa.text("SELECT slug FROM place WHERE status = 'published' ORDER BY id")))
        engine.dispose()
        need = STORM_CLIENTS * args.per_client
        storm_slugs, drill_slugs, node_slugs = slugs[:need], slugs[need:2 * need], slugs[2 * need:2 * need + 40]
        watch = server
        if parts & {"storm", "drill"} and args.watch == "reader":
            reader.start()
            watch = reader
            print("\nstorm searches run on a reader of node A's index (its own gunicorn, 1 worker, no follower), "
                  "so time to findable is the index's, not the wait behind 16 writers on 2 workers")

        if "storm" in parts:
            tag = uuid.uuid4().hex[:6]
            result = StormResult()
            watcher = Watcher(watch.base, result, marker_places(db_url, tag, storm_slugs, STORM_CLIENTS,
                                                                 args.per_client)).start()
            t0 = time.monotonic()
            storm(server.base, members, storm_slugs, args.per_client, tag, seconds=120, result=result)
            elapsed = time.monotonic() - t0
            found = watcher.finish(args.findable_wait)
            report_storm("write storm", result, stored_counts(db_url, tag), elapsed)
            report_findable(result, found, args.findable_wait)

        if "drill" in parts:
            tag = uuid.uuid4().hex[:6]
            restarted, killed_at_acks = {}, {}
            result = StormResult()
            watcher = Watcher(watch.base, result, marker_places(db_url, tag, drill_slugs, STORM_CLIENTS,
                                                                 args.per_client)).start()

            def crash():
                deadline = time.monotonic() + 30
                while len(result.acked) < STORM_CLIENTS and time.monotonic() < deadline:
                    time.sleep(0.1)  # kill once posting is well under way
                killed_at_acks["n"] = len(result.acked)
                server.kill_hard()
                restarted["killed"] = time.monotonic()
                server.start()
                restarted["up"] = time.monotonic()

            t0 = time.monotonic()
            storm(server.base, members, drill_slugs, args.per_client, tag, seconds=120, during=crash, result=result)
            elapsed = time.monotonic() - t0
            found = watcher.finish(args.findable_wait)
            report_storm(f"crash drill (kill -9 of gunicorn, its workers{' and the follower' if external else ''} after {killed_at_acks['n']} acknowledged "
                         "reviews, then restart)", result, stored_counts(db_url, tag), elapsed)
            report_findable(result, found, args.findable_wait, since=restarted["up"])
            print(f"  server down for {restarted['up'] - restarted['killed']:.1f} s")

        reader.stop()
        if "nodes" in parts:
            server_b.start()
            two_nodes(server, server_b, db_url, members, node_slugs, 30, args.findable_wait)
            server_b.stop()

        if "garble" in parts:
            r = routes(db_url)
            pages = [p for label, paths, _bust in r if label.startswith("place page") for p in paths][:200]
            pages += search_paths() + ["/"]
            print()
            index_trouble(server, workdir / "instance" / "search-index", pages, max(args.duration, 15),
                          args.connections, workdir)
    finally:
        server.stop()
        server_b.stop()
        reader.stop()
        drop_schema(args.database_url, schema)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
