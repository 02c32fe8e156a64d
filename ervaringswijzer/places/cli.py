"""Place commands: seed-demo, import-places, export-places, geocode pending."""
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from ..core import signals
from ..extensions import db
from .exporting import FORMATS, iter_places, write_export
from .fetch import FetchError, fetch
from .geocoding import geocode_pending
from .import_plan import apply_plan, plan_import
from .importing import ImportFileError, read_rows
from .import_config import fetch_limits
from .transfer import export_places, import_places, read_limited

DEMO_FILE = Path(__file__).parent / "demo_places.json"
# export-places without --format: the file's suffix says it (anything else is PLACE JSON).
SUFFIX_FORMATS = {".geojson": "geojson", ".csv": "csv", ".zip": "hsds-csv"}


def _echo_plan(plan, name: str, verbose: bool) -> None:
    for row in plan.rows:
        if row.kind == "refused":
            for problem in row.messages:
                place = "" if problem.where == f"regel {row.line}" else f" ({problem.where})"
                click.echo(f"{name}:{row.line}:{place} {problem.field}: {problem.message}", err=True)
        elif verbose:
            click.echo(f"{row.where}: {row.kind} {row.name}"
                       + "".join(f"\n    {k}: {old!r} -> {new!r}" for k, (old, new) in row.diff.items()))
            for problem in row.messages:
                click.echo(f"    let op, {problem.field}: {problem.message}")


@click.command("import-places")
@with_appcontext
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Detected from the content when not given.")
@click.option("--skip-bad", is_flag=True, help="Store the good rows even when some rows are wrong.")
@click.option("--dry-run", is_flag=True, help="Say per row what would happen; store nothing.")
@click.option("--source", help="Name of the source; rows with an id of their own are matched on (source, id).")
@click.option("--follow", "url", metavar="URL", help="Fetch this URL (an allowed host) and import it; for cron.")
def import_places_command(file, fmt, skip_bad, dry_run, source, url):
    """Import places from FILE or --follow URL: PLACE JSON, GeoJSON, CSV, HSDS JSON or an HSDS zip."""
    limits = fetch_limits(current_app.config)
    if bool(file) == bool(url):
        raise click.UsageError("Give a FILE or --follow URL (one of the two).")
    try:
        if url:
            data, _final = fetch(url, limits)
            source = source or url
        else:
            data = read_limited(file, limits.max_bytes)
        fmt, rows = read_rows(data, fmt, limits.max_bytes)
    except (FetchError, ImportFileError) as exc:
        raise click.ClickException(str(exc.problem) if isinstance(exc, ImportFileError) else str(exc))
    plan = plan_import(fmt, rows, source)
    _echo_plan(plan, str(file or url), verbose=dry_run)
    if dry_run:
        click.echo(f"Proefimport ({fmt}): {plan.summary()}. Niets opgeslagen.")
        return
    if plan.refused and not skip_bad:
        raise click.ClickException(
            f"{len(plan.refused)} foute regel(s); niets opgeslagen. Verbeter ze, of gebruik --skip-bad.")
    try:
        created, updated = apply_plan(plan, skip_refused=skip_bad)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"{created} plekken toegevoegd, {updated} bijgewerkt, "
               f"{plan.count('unchanged')} ongewijzigd, {len(plan.refused)} overgeslagen.")


@click.command("export-places")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="json, geojson, csv, hsds or hsds-csv (a zip); by default from FILE's suffix "
                   "(.geojson, .csv, .zip), else json (.jsonl gives JSON lines).")
@click.option("--published-only", is_flag=True)
@click.option("--semicolon", is_flag=True, help="CSV with ; between cells (Excel with Dutch settings).")
def export_places_command(file: Path, fmt, published_only: bool, semicolon: bool):
    """Export all places to FILE ('-' for standard output), in a shape import-places reads back."""
    delimiter = ";" if semicolon else ","
    fmt = fmt or SUFFIX_FORMATS.get(file.suffix.lower(), "json")
    if str(file) == "-":
        count = write_export(fmt, iter_places(include_unpublished=not published_only),
                             sys.stdout.buffer, delimiter)
        sys.stdout.buffer.flush()
        click.echo(f"{count} plekken geschreven", err=True)
        return
    count = export_places(file, include_unpublished=not published_only, fmt=fmt, delimiter=delimiter)
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
