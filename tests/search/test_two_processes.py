"""Two app processes on one PostgreSQL database, each with its own index directory and follower, converge."""
import json
import os
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path

import pytest

from ervaringswijzer import create_app
from ervaringswijzer.extensions import db

from ..conftest import _truncate_pg, base_config
from .helpers import wait_until

ROOT = Path(__file__).resolve().parents[2]

SERVER = textwrap.dedent("""
    import sys, threading
    from werkzeug.serving import make_server
    from ervaringswijzer import create_app
    from ervaringswijzer.extensions import db
    from ervaringswijzer.places.models import Place
    from ervaringswijzer.places.services import upsert_place

    app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SEARCH_INDEX_DIR": sys.argv[2],
                      "SEARCH_FOLLOWER": "thread", "SEARCH_LISTEN_POLL_SECONDS": 60, "TESTING": True,
                      "RATELIMIT_ENABLED": False})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_port, flush=True)
    for line in sys.stdin:  # changes made inside this process, as its views or CLI commands would
        command, _, arg = line.strip().partition(" ")
        with app.app_context():
            if command == "add":
                upsert_place({"name": arg, "categories": ["sport"], "description": "Roeien op de Vecht."})
            elif command == "describe":
                name, _, text = arg.partition("|")
                db.session.scalars(db.select(Place).where(Place.name == name)).one().description = text
            elif command == "archive":
                db.session.scalars(db.select(Place).where(Place.name == arg)).one().status = "archived"
            db.session.commit()
        print("done", flush=True)
    server.shutdown()
""")


class AppProcess:
    def __init__(self, url: str, index_dir: Path):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen([sys.executable, "-c", SERVER, url, str(index_dir)], cwd=ROOT, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())

    def send(self, command: str) -> None:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline().strip() == "done"

    def names(self, q: str) -> list[str]:
        url = f"http://127.0.0.1:{self.port}/api/v1/search?q={q}"
        with urllib.request.urlopen(url, timeout=10) as response:
            return [item["name"] for item in json.load(response)["items"]]

    def stop(self) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()


@pytest.mark.postgres
@pytest.mark.slow
def test_two_processes_converge(pg_schema_url, tmp_path):
    """A change committed by one process is soon in the other's own index (woken by NOTIFY, not a periodic check), both ways."""
    app = create_app(base_config(tmp_path, pg_schema_url))
    _truncate_pg(app)
    with app.app_context():
        db.engine.dispose()
    a = AppProcess(pg_schema_url, tmp_path / "index-a")
    b = AppProcess(pg_schema_url, tmp_path / "index-b")
    try:
        # Each follower builds its index at start-up; until then search answers from SQL.
        wait_until(lambda: (tmp_path / "index-a" / "CURRENT").exists() and (tmp_path / "index-b" / "CURRENT").exists())
        assert a.names("roeiclub") == b.names("roeiclub") == []
        a.send("add Roeiclub Vechtzicht")
        # Only NOTIFY can wake B within the wait: its safety-net poll is a minute and nothing writes
        # through B. How fast it is belongs to benchmarks/load.py, not to an assertion on a busy machine.
        wait_until(lambda: b.names("roeiclb") == ["Roeiclub Vechtzicht"], timeout=20)
        assert a.names("roeiclub") == ["Roeiclub Vechtzicht"]
        # B's result came from B's own index: a typo only the index forgives.
        assert b.names("roeiclb") == ["Roeiclub Vechtzicht"]
        b.send("describe Roeiclub Vechtzicht|Kanoën en sloepvaren op de Vecht.")
        wait_until(lambda: a.names("sloepvaren") == ["Roeiclub Vechtzicht"], timeout=20)
        a.send("archive Roeiclub Vechtzicht")
        wait_until(lambda: a.names("roeiclub") == [] and b.names("roeiclub") == [], timeout=20)
        assert (tmp_path / "index-a" / "CURRENT").exists() and (tmp_path / "index-b" / "CURRENT").exists()
    finally:
        a.stop()
        b.stop()
