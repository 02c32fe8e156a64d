"""Place commands: seed-demo, import-places, export-places."""
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from ..extensions import db
from .transfer import export_places, import_file, import_places

DEMO_FILE = Path(__file__).parent / "demo_places.json"


@click.command("import-places")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-bad", is_flag=True, help="Store the good rows even when some rows are wrong.")
def import_places_command(file: Path, skip_bad: bool):
    """Import places from a JSON file (a list, or one place per line)."""
    try:
        result = import_file(file, skip_bad=skip_bad)
    except ValueError as exc:
        raise click.ClickException(str(exc))
    for error in result.errors:
        click.echo(f"{file}:{error.line}: {error.message}", err=True)
    if result.errors and not skip_bad:
        db.session.rollback()
        raise click.ClickException(
            f"{len(result.errors)} foute regel(s); niets opgeslagen. Verbeter ze, of gebruik --skip-bad.")
    db.session.commit()
    click.echo(f"{result.created} plekken toegevoegd, {result.updated} bijgewerkt, "
               f"{len(result.errors)} overgeslagen.")


@click.command("export-places")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--published-only", is_flag=True)
def export_places_command(file: Path, published_only: bool):
    """Export all places to FILE (.json list or .jsonl), in the shape import-places reads."""
    count = export_places(file, include_unpublished=not published_only)
    click.echo(f"{count} plekken geschreven naar {file}")


def seed_places() -> str:
    result = import_places(DEMO_FILE.read_text(encoding="utf-8"))
    if result.errors:
        raise ValueError("; ".join(map(str, result.errors)))
    return f"Demo: {result.created} plekken toegevoegd, {result.updated} bijgewerkt."


def init_app(app: Flask) -> None:
    from ..demo import register_seeder

    for command in (import_places_command, export_places_command):
        app.cli.add_command(command)
    register_seeder(10, "places", seed_places)
