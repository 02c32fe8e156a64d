"""flask mail catch-up | status | send-test: the queue's commands for cron and for checking the setup."""
import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from . import queue
from .models import OutgoingMail

mail_cli = AppGroup("mail", help="Send and inspect the outgoing mail queue.")


@mail_cli.command("catch-up")
@click.option("--retry-failed", is_flag=True, help="First put mails that used up their attempts back in the queue.")
@click.option("--prune/--no-prune", default=True, help="Remove sent mails older than MAIL_KEEP_SENT_DAYS.")
def catch_up_command(retry_failed, prune):
    """Send every mail that is due (server down before, sender died); safe on several machines at once."""
    if retry_failed:
        click.echo(f"{queue.retry_failed()} failed mails queued again.")
        db.session.commit()
    total = queue.SendResult()
    while True:
        result = queue.send_due()
        total.sent, total.retried, total.failed = (total.sent + result.sent, total.retried + result.retried,
                                                   total.failed + result.failed)
        if result.sent == 0 or result.retried or result.failed:
            break  # nothing more due, or the server is failing: the rest waits for the next run
    pruned = queue.prune_sent() if prune else 0
    db.session.commit()
    click.echo(f"Mail: {total.sent} sent, {total.retried} to retry later, {total.failed} failed for good, "
               f"{pruned} old sent mails removed.")
    if total.retried or total.failed:
        raise SystemExit(1)


@mail_cli.command("status")
def status_command():
    """How many mails wait, how many are due, the oldest waiting one and the last error."""
    status = queue.queue_status()
    backend = current_app.config["MAIL_BACKEND"]
    where = (f"{current_app.config['MAIL_SERVER']}:{current_app.config['MAIL_PORT']}" if backend == "smtp"
             else current_app.config["MAIL_FILE_PATH"])
    click.echo(f"Mail goes to {where} ({backend}).")
    click.echo(f"Queued {status['queued']} (due now {status['due']}), sent and kept {status['sent']}, "
               f"failed {status['failed']}; oldest queued {status['oldest_queued'] or '-'}.")
    if status["last_error"]:
        click.echo(f"Last error: {status['last_error']}")


@mail_cli.command("send-test")
@click.argument("address")
def send_test_command(address):
    """Queue one test mail to ADDRESS and send it now (exit 1 when the server refuses or is down)."""
    row = queue.queue_mail(address, "mail/test")
    if row is None:
        raise click.BadParameter("not one plain e-mail address", param_hint="ADDRESS")
    mail_id = row.id
    db.session.commit()
    queue.wait_for_background()  # the after-commit sender may have taken it already
    db.session.expire_all()
    row = db.session.get(OutgoingMail, mail_id)
    if row.status != "sent":
        queue.send_due(only_ids=[mail_id])
        db.session.expire_all()
        row = db.session.get(OutgoingMail, mail_id)
    if row.status == "sent":
        click.echo(f"Test mail sent to {address}.")
    else:
        click.echo(f"Test mail not sent; it stays queued for `flask mail catch-up`. Error: {row.last_error}")
        raise SystemExit(1)


def init_app(app) -> None:
    app.cli.add_command(mail_cli)
