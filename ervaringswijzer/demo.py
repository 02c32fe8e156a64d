"""seed-demo: each domain registers how it adds its fictional demo data; they run in order, one commit."""
from typing import Callable

import click
from flask.cli import with_appcontext

from .extensions import db

_seeders: list[tuple[int, str, Callable[[], str]]] = []


def register_seeder(order: int, name: str, fn: Callable[[], str]) -> None:
    """fn adds demo rows (flush, no commit) and returns a one-line summary."""
    if all(existing != name for _o, existing, _f in _seeders):
        _seeders.append((order, name, fn))
        _seeders.sort(key=lambda s: s[0])


def seed_demo() -> list[str]:
    from .db import init_db

    init_db()
    summaries = []
    try:
        for _order, _name, fn in _seeders:
            summaries.append(fn())
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return summaries


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Load the fictional demo data (safe to run again: it updates what is there)."""
    try:
        for line in seed_demo():
            click.echo(line)
    except ValueError as exc:
        raise click.ClickException(str(exc))


def init_app(app) -> None:
    app.cli.add_command(seed_demo_command)
