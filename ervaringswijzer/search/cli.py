"""flask search follow | rebuild | check | catch-up | status."""
import signal

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from . import check as checks
from . import index as idx
from . import locks, outbox
from .follower import Follower

search_cli = AppGroup("search", help="Look after the search index.")


def _root() -> str:
    return current_app.config["SEARCH_INDEX_DIR"]


@search_cli.command("follow")
def follow_command():
    """Keep this index current: apply the outbox as it grows (run one per index directory)."""
    follower = Follower(current_app._get_current_object())
    # A process of its own: its rebuilds run in a thread of lowered priority and take only what the web
    # workers leave, while changes are applied at full priority. (A follower thread in a web worker
    # never lowers a priority: a thread holding the GIL there would hold up requests.)
    follower.rebuild_nice = int(current_app.config["SEARCH_FOLLOWER_NICE"])
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: follower.stop())
    click.echo(f"Following the outbox into {_root()} (stop with SIGTERM).")
    follower.run()


@search_cli.command("rebuild")
def rebuild_command():
    """Build the whole index beside the live one, then swap it in (search keeps answering).

    Waits while another rebuild of this index (the follower's) is under way, then builds anew.
    """
    figures = outbox.rebuild(_root(), db.engine)
    result = outbox.catch_up(_root(), db.engine, 60)
    click.echo(f"Search index rebuilt: {figures['documents']} places in {figures['seconds']} s "
               f"({figures['generation']}); {result.applied} later changes applied.")


@search_cli.command("check")
@click.option("--repair/--no-repair", default=True, help="Rebuild the documents that differ from the database.")
def check_command(repair):
    """Prove the index complete: compare every document's version with the database."""
    try:
        result = checks.check(_root(), db.engine, repair=repair)
    except idx.IndexUnavailable as exc:
        click.echo(f"Index {exc.reason}: run `flask search rebuild` (or let the follower do it).")
        raise SystemExit(2)
    except locks.LockBusy:
        click.echo("The index writer stayed busy; try again.")
        raise SystemExit(1)
    click.echo(f"Checked {result.documents} documents against {result.published} published places: "
               f"{len(result.missing)} missing, {len(result.extra)} extra, {len(result.stale)} stale "
               f"({len(result.lost)} of them already applied, so lost).")
    if result.repaired:
        click.echo(f"Repaired {result.repaired} documents.")
    if result.lost and not repair:
        raise SystemExit(1)


@search_cli.command("catch-up")
@click.option("--prune/--no-prune", default=True, help="Also remove outbox rows older than SEARCH_OUTBOX_KEEP_DAYS.")
def catch_up_command(prune):
    """Apply pending changes now and prune old outbox rows (cron; the follower does the applying)."""
    result = outbox.catch_up(_root(), db.engine, 60)
    if result.status in ("missing", "out_of_step"):
        figures = outbox.rebuild(_root(), db.engine)
        click.echo(f"Index missing or out of step: rebuilt with {figures['documents']} places.")
        result = outbox.catch_up(_root(), db.engine, 60)
    click.echo(f"Catch-up: {result.status}, {result.applied} changes applied.")
    if prune:
        click.echo(f"Pruned {outbox.prune(db.engine, int(current_app.config['SEARCH_OUTBOX_KEEP_DAYS']))} old outbox rows.")
    if result.status == "locked":
        raise SystemExit(1)


@search_cli.command("status")
def status_command():
    """Say where the index is, how big, how far behind the outbox, and who follows it."""
    root = _root()
    try:
        gen = idx.current_generation(root)
        click.echo(f"Index: {gen.path} ({idx.index_size(root) // 1024} KiB)")
    except idx.IndexUnavailable as exc:
        click.echo(f"Index: {exc.reason} ({root})")
    click.echo(f"Pending changes: {outbox.backlog(root, db.engine)}")
    click.echo(f"Follower: {'running' if locks.is_held(root, 'follow') else 'none'}"
               f"{'; rebuilding' if locks.is_held(root, 'rebuild') else ''}")
    checked = checks.last_result(root)
    if checked is not None:
        click.echo(f"Last check: {len(checked.differs)} differences, {len(checked.lost)} lost, "
                   f"{checked.repaired} repaired")


def init_app(app) -> None:
    app.cli.add_command(search_cli)
