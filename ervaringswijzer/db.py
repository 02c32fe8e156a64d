"""Database setup: SQLite pragmas, migrations, the init-db command."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from .extensions import db, migrate

MIGRATIONS_DIR = str(Path(__file__).parent / "migrations")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite enforces foreign keys only when asked, per connection; WAL lets readers run beside a writer.

    secure_delete overwrites deleted rows with zeros: a deleted account leaves no readable bytes behind.
    """
    if _is_sqlite(dbapi_connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


def scrub_deleted_rows() -> None:
    """After deleting personal data: copy SQLite's write-ahead log into the database file and empty it.

    secure_delete zeroes the rows in the database file, but until a checkpoint the log still holds
    earlier copies of those pages. Best effort: a checkpoint that readers hold up finishes later.
    """
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def insert_if_absent(model, values: dict, keys: list[str], where=None) -> bool:
    """INSERT … ON CONFLICT DO NOTHING in the session's transaction; True when this call added the row.

    For rows a unique constraint keeps single (one review per member and place, a place once on a
    map): a double submit, or two requests at once, then finds the row that is already there instead
    of raising IntegrityError, and the request's transaction stays usable. No savepoint is needed,
    which matters on SQLite: pysqlite begins no transaction before SAVEPOINT, so releasing one that
    opened the transaction would commit it early. The caller loads the row afterwards.
    `where` names the predicate of a partial unique index.
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = model.__table__
    statement = (insert(table).values(**values).on_conflict_do_nothing(index_elements=keys, index_where=where)
                 .returning(*table.primary_key.columns))  # rowcount says -1 here on psycopg
    return db.session.execute(statement).first() is not None


def upsert_add(model, keys: dict, add: dict, set_: dict | None = None) -> None:
    """INSERT … ON CONFLICT (keys) DO UPDATE: add `add` to the row's counters (and set `set_`).

    One statement per event, in the session's transaction: counters never need a read first, and
    two requests counting at once both land.
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = model.__table__
    set_ = set_ or {}
    statement = insert(table).values(**keys, **add, **set_).on_conflict_do_update(
        index_elements=list(keys),
        set_={**{name: table.c[name] + value for name, value in add.items()}, **set_})
    db.session.execute(statement)


def upsert_add_rows(model, keys: list[str], rows: list[dict]) -> None:
    """upsert_add for many rows in one statement: each row holds its key columns and the same counter
    columns, whose values are added to a row already there. Keys must not repeat within `rows` (a row
    cannot be updated twice by one statement); pass them sorted, so writers at once lock in one order."""
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model.__table__)
    table = model.__table__
    counters = [name for name in rows[0] if name not in keys]
    db.session.execute(insert.values(rows).on_conflict_do_update(
        index_elements=keys, set_={name: table.c[name] + insert.excluded[name] for name in counters}))


def commit() -> None:
    """Commit the request's changes; on failure roll back before the error goes on to the error page."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


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
