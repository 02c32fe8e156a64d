"""Prints the median time of a login with a wrong password and with an unknown pseudonym (they should match).

Run: .venv/bin/python benchmarks/login_timing.py [rounds]
Uses a temporary SQLite database; the figures are noisy on a busy machine.
"""
import statistics
import sys
import tempfile
import time
from pathlib import Path

from ervaringswijzer import create_app
from ervaringswijzer.accounts.services import register_member
from ervaringswijzer.db import init_db
from ervaringswijzer.extensions import db


def main(rounds: int = 15) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="ew-login-bench-"))
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite'}",
                      "SEARCH_INDEX_DIR": str(tmp / "index"), "SEARCH_BUILD_ON_START": False})
    with app.app_context():
        init_db()
        register_member("Bestaande Bea", "paarse fiets op zolder")
        db.session.commit()
    client = app.test_client()
    cases = {"wrong password": "Bestaande Bea", "unknown pseudonym": "Niemand Nergens"}
    timings = {name: [] for name in cases}
    client.post("/inloggen", data={"pseudonym": "x", "password": "warm-up"})
    for _ in range(rounds):
        for name, pseudonym in cases.items():
            start = time.perf_counter()
            response = client.post("/inloggen", data={"pseudonym": pseudonym, "password": "niet-het-wachtwoord"})
            timings[name].append(time.perf_counter() - start)
            assert response.status_code == 200
    for name, values in timings.items():
        print(f"{name:>18}: median {statistics.median(values) * 1000:6.1f} ms over {rounds} logins")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
