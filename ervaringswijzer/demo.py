"""seed-demo: each domain answers core.signals.demo_seeders with how it adds its fictional demo data; one commit."""
import click
from flask.cli import with_appcontext

from .core import signals
from .db import init_db
from .extensions import db


def seed_demo() -> list[str]:
    """Run every domain's demo seeder, lowest order first (places before the reviews of them). Flush only."""
    init_db()
    seeders = sorted(signals.ask(signals.demo_seeders), key=lambda answer: answer[0])
    return [seed() for _order, seed in seeders]


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Load the fictional demo data (safe to run again: it updates what is there)."""
    try:
        lines = seed_demo()
        db.session.commit()
    except ValueError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc))
    except Exception:
        db.session.rollback()
        raise
    for line in lines:
        click.echo(line)


def init_app(app) -> None:
    app.cli.add_command(seed_demo_command)
