"""Load benchmark: gunicorn (2 sync workers) on PostgreSQL with the demo data plus generated places, driven by wrk.

    .venv/bin/python benchmarks/load.py                        # 10,000 places, 10 s per route
    .venv/bin/python benchmarks/load.py --places 2000 --duration 5 --skip-storm

In one run it prints, per route, requests/s, p50 and p99 latency and the ratio to a static file
served by the same gunicorn (the floor, measured first), then:

- a write storm: 16 members log in and post reviews at once (posted, stored, findable, time to findable);
- a crash drill: gunicorn is killed with SIGKILL in the middle of a storm and started again; every
  acknowledged review must be stored exactly once, and it is reported (not asserted) whether each
  became findable through search within the wait.

Everything runs on 127.0.0.1 in a private PostgreSQL schema that is dropped at the end. Every loop
is bounded by a count or a deadline. Figures on a shared machine are noisy: run it twice.
Not a test: nothing is asserted, figures are printed.
"""
from __future__ import annotations

import argparse
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


def app_env(db_url: str, instance: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "EW_SQLALCHEMY_DATABASE_URI": db_url, "EW_INSTANCE_PATH": str(instance),
        "EW_SECRET_KEY": "load-benchmark-" + uuid.uuid4().hex,
        # Throughput is measured, not the limiter: it would answer 429 to 8 clients from one address.
        "EW_RATELIMIT_ENABLED": "false", "EW_REVIEW_PREMODERATION_DAYS": "0", "EW_MAP_TILE_URL": '""',
        "PYTHONWARNINGS": "ignore",
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

    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SEARCH_INDEX_DIR": str(instance / "search-index")})
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
    def __init__(self, env: dict, port: int, log: Path):
        self.env, self.port, self.log = env, port, log
        self.proc: subprocess.Popen | None = None
        self.base = f"http://127.0.0.1:{port}"

    def start(self, timeout: float = 90) -> None:
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                [str(BIN / "gunicorn"), "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{self.port}", "--timeout", "120",
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

    def kill_hard(self) -> None:
        """SIGKILL the master and its workers (only the processes this script started)."""
        pids = [self.proc.pid] + self.children()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=30)

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
    return WrkResult(rps, _ms(p50.group(1)) if p50 else float("nan"), _ms(p99.group(1)) if p99 else float("nan"), errors)


def routes(db_url: str) -> list[tuple[str, list[str], bool]]:
    """(label, paths, cache-busting) per route; paths rotate so pages and places differ."""
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        slugs = list(conn.scalars(sa.text("SELECT slug FROM place WHERE status = 'published' ORDER BY id DESC LIMIT 200")))
        city = conn.scalar(sa.text("SELECT city FROM place GROUP BY city ORDER BY count(*) DESC LIMIT 1"))
    engine.dispose()
    static = "/static/css/site.css"
    api = [f"/api/v1/places?page={n}" for n in range(1, 51)]
    listing = [f"/plekken?walk_in=1&category={c}&city={city}&page={n}" for c in CATEGORIES[:5] for n in (1, 2, 3)]
    listing += [f"/plekken?open_now=1&free=1&page={n}" for n in (1, 2, 3)]
    feed = f"/kaart/markers.json?city={city}"
    return [
        ("static file (floor)", [static], False),
        ("/api/v1/places (50 pages)", api, False),
        ("/api/v1/places, every answer built", api, True),
        ("place page (200 places)", [f"/plek/{s}" for s in slugs], False),
        ("/plekken with filters", listing, False),
        ("/plekken with filters, every answer built", listing, True),
        ("/plekken?q=koffie (search page)", ["/plekken?q=koffie"], False),
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
          during=None, box: list | None = None) -> StormResult:
    result = StormResult()
    if box is not None:
        box.append(result)
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


def wait_findable(base: str, acked: dict[str, float], wait: float) -> dict[str, float]:
    """marker -> seconds from acknowledgement to the first search answer that finds it (within `wait`)."""
    found: dict[str, float] = {}
    deadline = time.monotonic() + wait
    session = requests.Session()
    while len(found) < len(acked) and time.monotonic() < deadline:
        for marker, t_ack in acked.items():
            if marker in found:
                continue
            try:
                data = session.get(f"{base}/api/v1/search", params={"q": marker}, timeout=10).json()
            except (requests.RequestException, ValueError):
                continue
            if data.get("total"):
                found[marker] = time.monotonic() - t_ack
        time.sleep(0.5)
    return found


def report_storm(label: str, result: StormResult, stored: dict[str, int], found: dict[str, float], wait: float,
                 elapsed: float) -> None:
    acked = result.acked
    once = sum(1 for m in acked if stored.get(m) == 1)
    twice = sum(1 for m in acked if stored.get(m, 0) > 1)
    lost = sum(1 for m in acked if not stored.get(m))
    unacked_stored = sum(1 for m in stored if m not in acked)
    times = sorted(found.values())
    print(f"\n{label}: {result.attempts} attempts by {STORM_CLIENTS} clients in {elapsed:.1f} s")
    print(f"  acknowledged {len(acked)} ({len(acked) / elapsed:.1f}/s), refused {result.failed}, "
          f"retried after a connection failure {result.retries}")
    print(f"  stored exactly once {once}/{len(acked)}, stored twice or more {twice}, acknowledged but lost {lost}, "
          f"stored without acknowledgement {unacked_stored}")
    if times:
        print(f"  findable through /api/v1/search by {wait:.0f} s after the storm: {len(found)}/{len(acked)}; "
              f"time from acknowledgement to findable p50 {statistics.median(times):.2f} s, max {times[-1]:.2f} s "
              "(searching starts when the storm ends)")
    else:
        print(f"  findable through /api/v1/search by {wait:.0f} s after the storm: 0/{len(acked)}")


# --- main -----------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DB, help="PostgreSQL; a private schema is made in it")
    parser.add_argument("--places", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per route")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--per-client", type=int, default=8, help="reviews each storm client posts")
    parser.add_argument("--findable-wait", type=float, default=30.0)
    parser.add_argument("--skip-storm", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian package wrk)")

    workdir = Path(tempfile.mkdtemp(prefix="ew-load-"))
    schema, db_url = make_schema(args.database_url)
    env = app_env(db_url, workdir / "instance")
    server = Server(env, free_port(), workdir / "gunicorn.log")
    try:
        steps = [time.monotonic()]
        flask_cli(env, "init-db")
        flask_cli(env, "seed-demo")
        steps.append(time.monotonic())
        generate(db_url, args.places)
        members = make_members(db_url, workdir / "instance", STORM_CLIENTS)
        steps.append(time.monotonic())
        flask_cli(env, "search", "rebuild")
        steps.append(time.monotonic())
        print(f"setup in schema {schema}: demo data {steps[1] - steps[0]:.0f} s, {args.places} places and "
              f"{STORM_CLIENTS} members {steps[2] - steps[1]:.0f} s, search index {steps[3] - steps[2]:.0f} s")
        server.start()

        print(f"\nwrk: 1 thread, {args.connections} connections, {args.duration} s per route after a 2 s warm-up; "
              f"gunicorn 2 sync workers; {os.cpu_count()} CPUs shared with wrk (and anything else running)")
        print(f"{'route':<44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'of floor':>9} {'errors':>7}")
        floor = None
        for label, paths, bust in routes(db_url):
            run_wrk(server.base, paths, 2, args.connections, bust, workdir)
            result = run_wrk(server.base, paths, args.duration, args.connections, bust, workdir)
            floor = floor or result.rps
            print(f"{label:<44} {result.rps:>8.1f} {result.p50_ms:>8.1f} {result.p99_ms:>8.1f} "
                  f"{100 * result.rps / floor:>8.1f}% {result.errors:>7}", flush=True)

        if args.skip_storm:
            return
        engine = sa.create_engine(db_url)
        with engine.connect() as conn:
            slugs = list(conn.scalars(sa.text("SELECT slug FROM place WHERE status = 'published' ORDER BY id")))
        engine.dispose()
        need = STORM_CLIENTS * args.per_client
        storm_slugs, drill_slugs = slugs[:need], slugs[need:2 * need]

        tag = uuid.uuid4().hex[:6]
        t0 = time.monotonic()
        result = storm(server.base, members, storm_slugs, args.per_client, tag, seconds=120)
        elapsed = time.monotonic() - t0
        found = wait_findable(server.base, result.acked, args.findable_wait)
        report_storm("write storm", result, stored_counts(db_url, tag), found, args.findable_wait, elapsed)

        tag = uuid.uuid4().hex[:6]
        restarted, killed_at_acks, result_box = {}, {}, []

        def crash():
            deadline = time.monotonic() + 30
            while len(result_box[0].acked) < STORM_CLIENTS and time.monotonic() < deadline:
                time.sleep(0.1)  # kill once posting is well under way
            killed_at_acks["n"] = len(result_box[0].acked)
            server.kill_hard()
            restarted["killed"] = time.monotonic()
            server.start()
            restarted["up"] = time.monotonic()

        t0 = time.monotonic()
        result = storm(server.base, members, drill_slugs, args.per_client, tag, seconds=120, during=crash,
                       box=result_box)
        elapsed = time.monotonic() - t0
        found = wait_findable(server.base, result.acked, args.findable_wait)
        report_storm(f"crash drill (kill -9 of gunicorn and its workers after {killed_at_acks['n']} acknowledged "
                     "reviews, then restart)",
                     result, stored_counts(db_url, tag), found, args.findable_wait, elapsed)
        print(f"  server down for {restarted['up'] - restarted['killed']:.1f} s")
    finally:
        server.stop()
        drop_schema(args.database_url, schema)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
