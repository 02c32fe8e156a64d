"""Place commands: seed-demo, import-places, export-places, geocode pending."""
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from ..core import signals
from ..extensions import db
from .geocoding import geocode_pending
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


def on_demo_seeders(_sender) -> tuple:
    return 10, seed_places


def init_app(app: Flask) -> None:
    for command in (import_places_command, export_places_command, geocode_group):
        app.cli.add_command(command)
    signals.demo_seeders.connect(on_demo_seeders)


@click.group("geocode")
def geocode_group():
    """Put places on the map from their address."""


@geocode_group.command("pending")
@with_appcontext
@click.option("--retry-not-found", is_flag=True, help="Also try places whose address was not found before.")
@click.option("--limit", type=int, default=None, help="Stop after this many places.")
def geocode_pending_command(retry_not_found: bool, limit: int | None):
    """Geocode every place whose location is still pending (one request per second at most)."""
    def report(place, result):
        name = place.slug if place is not None else "?"
        click.echo(f"{name}: {result.status}{' (cache)' if result.cached else ''}"
                   f"{' ' + result.detail if result.detail else ''}")

    counts = geocode_pending(include_not_found=retry_not_found, limit=limit, report=report)
    click.echo(f"{counts['ok']} gevonden, {counts['not_found']} niet gevonden, "
               f"{counts['error']} nog in de wacht (kaartdienst niet bereikbaar).")
