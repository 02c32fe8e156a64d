"""flask search rebuild | catch-up | status."""
import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from . import index as idx
from . import outbox

search_cli = AppGroup("search", help="Look after the search index.")


@search_cli.command("rebuild")
def rebuild_command():
    """Build the whole index beside the live one, then swap it in (search keeps answering)."""
    figures = outbox.rebuild(current_app.config["SEARCH_INDEX_DIR"], db.engine)
    result = outbox.catch_up(current_app.config["SEARCH_INDEX_DIR"], db.engine, 30)
    click.echo(f"Search index rebuilt: {figures['documents']} places in {figures['seconds']} s "
               f"({figures['generation']}); {result.applied} later changes applied.")


@search_cli.command("catch-up")
@click.option("--prune/--no-prune", default=True, help="Also remove outbox rows older than SEARCH_OUTBOX_KEEP_DAYS.")
def catch_up_command(prune):
    """Apply changes this index has not seen yet (run from cron if the site is quiet for long)."""
    root = current_app.config["SEARCH_INDEX_DIR"]
    result = outbox.catch_up(root, db.engine, 30)
    if result.status in ("missing", "out_of_step"):
        figures = outbox.rebuild(root, db.engine)
        click.echo(f"Index missing or out of step: rebuilt with {figures['documents']} places.")
        result = outbox.catch_up(root, db.engine, 30)
    click.echo(f"Catch-up: {result.status}, {result.applied} changes applied.")
    if prune:
        click.echo(f"Pruned {outbox.prune(db.engine, int(current_app.config['SEARCH_OUTBOX_KEEP_DAYS']))} old outbox rows.")
    if result.status == "locked":
        raise SystemExit(1)


@search_cli.command("status")
def status_command():
    """Say where the index is, how big, and how far behind the outbox."""
    root = current_app.config["SEARCH_INDEX_DIR"]
    try:
        gen = idx.current_generation(root)
        click.echo(f"Index: {gen.path} ({idx.index_size(root) // 1024} KiB)")
    except idx.IndexUnavailable as exc:
        click.echo(f"Index: {exc.reason} ({root})")
    click.echo(f"Pending changes: {outbox.backlog(root, db.engine)}")


def init_app(app) -> None:
    app.cli.add_command(search_cli)
