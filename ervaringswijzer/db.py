"""Database setup: SQLite pragmas, migrations, the init-db command."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db, migrate

MIGRATIONS_DIR = str(Path(__file__).parent / "migrations")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite enforces foreign keys only when asked, per connection; WAL lets readers run beside a writer."""
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def init_app(app) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    app.cli.add_command(init_db_command)


def init_db() -> None:
    """Bring the schema to the newest migration (creates it on an empty database)."""
    upgrade(directory=MIGRATIONS_DIR)


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or upgrade the database schema."""
    init_db()
    click.echo(f"Database ready: {current_app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
