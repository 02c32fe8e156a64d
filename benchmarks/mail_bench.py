"""Prints figures for mail and the crisis check: what a request pays, and how fast the queue empties.

    .venv/bin/python benchmarks/mail_bench.py
"""
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("EW_SEARCH_FOLLOWER", "inline")  # no index follower thread on the bench database

from ervaringswijzer import create_app  # noqa: E402
from ervaringswijzer.db import init_db  # noqa: E402
from ervaringswijzer.extensions import db  # noqa: E402
from ervaringswijzer.mail import queue_mail, send_due  # noqa: E402
from ervaringswijzer.reviews.crisis import crisis_matches  # noqa: E402
from tests.reviews.crisis_texts import HELD, PASS  # noqa: E402
from tests.smtp_server import SmtpServer  # noqa: E402


def crisis_figures() -> None:
    for size in (200, 2000):
        text = " ".join(PASS + HELD)[:size]
        crisis_matches(text)
        runs = 50
        started = time.perf_counter()
        for _ in range(runs):
            crisis_matches(text)
        print(f"crisis check, {size} characters: {(time.perf_counter() - started) / runs * 1000:.1f} ms")


def queue_figures() -> None:
    tmp = Path(tempfile.mkdtemp())
    with SmtpServer() as smtp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite'}", "MAIL_SERVER": "127.0.0.1",
                          "MAIL_PORT": smtp.port, "MAIL_BACKEND": "smtp", "MAIL_SEND_AFTER_COMMIT": False,
                          "SERVER_NAME": "localhost", "SECRET_KEY": "bench"})
        with app.app_context():
            init_db()
            count = 200
            started = time.perf_counter()
            for n in range(count):
                queue_mail(f"lezer{n}@example.org", "mail/test")
            db.session.commit()
            queued = time.perf_counter() - started
            started = time.perf_counter()
            while send_due().sent:
                pass
            sent = time.perf_counter() - started
            smtp.wait_for(count)
        print(f"queue_mail (render both parts + insert): {queued / count * 1000:.2f} ms per mail")
        print(f"send_due to a local SMTP server: {count / sent:.0f} mails/s ({count} mails, one connection per 50)")


if __name__ == "__main__":
    crisis_figures()
    queue_figures()
