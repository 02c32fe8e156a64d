"""Queue a mail in the caller's transaction; send queued mails after commit or from cron, claimed row by row.

`queue_mail` only adds a row (flush, no commit). When the caller's transaction commits, a background
thread sends the mails queued in it; a request never waits for SMTP and never fails because of it.
`send_due` (behind `flask mail catch-up`) sends whatever is still due: mails whose server was down
(retried with growing pauses), and mails whose sender died. Several machines may run it at once:
each row is claimed by one UPDATE that matches only an unclaimed row.
"""
from __future__ import annotations

import atexit
import logging
import secrets
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import make_msgid

import sqlalchemy as sa
from flask import current_app
from flask_mailman import EmailMultiAlternatives
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..core.time import utcnow
from ..extensions import db, mail
from .compose import clean_address, header_text, render_mail
from .models import OutgoingMail

log = logging.getLogger(__name__)
CLAIM_SECONDS = 300  # a sender that has not finished a mail after this long is taken to have died
BACKOFF_FIRST = 60  # seconds before the first retry; doubled each time, at most BACKOFF_MAX
BACKOFF_MAX = 6 * 3600
BATCH = 50
_QUEUED = "mail_queued_ids"


def queue_mail(to: str | None, template: str, lang: str = "nl", member_id: int | None = None,
               **context) -> OutgoingMail | None:
    """Render `template` in `lang` and queue it for `to`. Returns the row, or None when `to` is no address.

    Add-and-flush in the caller's transaction: the mail exists exactly when the change it tells about
    is committed, and is sent after that commit. `context` goes to the templates.
    """
    address = clean_address(to)
    if address is None:
        log.info("mail %s not queued: no usable address", template)
        return None
    subject, text, html = render_mail(template, lang, **context)
    row = OutgoingMail(to_address=address, subject=subject, text_body=text, html_body=html,
                       template=template[:80], member_id=member_id, status="queued", next_attempt_at=utcnow())
    db.session.add(row)
    db.session.flush()
    db.session.info.setdefault(_QUEUED, []).append(row.id)
    log.info("mail queued id=%s template=%s", row.id, template)
    return row


# ---- sending -----------------------------------------------------------------------------------

@dataclass
class SendResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _due(now, only_ids=None, limit: int = BATCH) -> list[int]:
    free = sa.or_(OutgoingMail.claimed_until.is_(None), OutgoingMail.claimed_until < now)
    query = (sa.select(OutgoingMail.id).where(OutgoingMail.status == "queued", OutgoingMail.next_attempt_at <= now,
                                              free).order_by(OutgoingMail.next_attempt_at, OutgoingMail.id))
    if only_ids is not None:
        query = query.where(OutgoingMail.id.in_(list(only_ids)))
    return list(db.session.scalars(query.limit(limit)))


def _claim(mail_ids: list[int], token: str, now) -> list[int]:
    """Claim each row with one conditional UPDATE; only the rows this sender won come back. Commits."""
    won = []
    free = sa.or_(OutgoingMail.claimed_until.is_(None), OutgoingMail.claimed_until < now)
    for mail_id in mail_ids:
        result = db.session.execute(
            sa.update(OutgoingMail).where(OutgoingMail.id == mail_id, OutgoingMail.status == "queued", free)
            .values(claimed_by=token, claimed_until=now + timedelta(seconds=CLAIM_SECONDS)))
        if result.rowcount == 1:
            won.append(mail_id)
    db.session.commit()
    return won


def build_message(row: OutgoingMail, connection=None) -> EmailMultiAlternatives:
    """The MIME message of a queued row: plain text first, the HTML as its alternative."""
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    domain = (clean_address(sender.rpartition("<")[2].rstrip(">")) or "x@ervaringswijzer.invalid").split("@")[1]
    message = EmailMultiAlternatives(
        subject=header_text(row.subject), body=row.text_body, from_email=sender, to=[row.to_address],
        connection=connection,
        headers={"Message-ID": make_msgid(domain=domain), "Auto-Submitted": "auto-generated"})
    message.attach_alternative(row.html_body, "text/html")
    return message


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_MAX))


def _failed_attempt(row: OutgoingMail, error: Exception, now, result: SendResult) -> None:
    row.attempts += 1
    row.last_error = header_text(f"{type(error).__name__}: {error}", 300)
    row.claimed_by = row.claimed_until = None
    if row.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        row.status = "failed"
        result.failed += 1
    else:
        row.next_attempt_at = now + _backoff(row.attempts)
        result.retried += 1
    result.errors.append(row.last_error)
    log.warning("mail id=%s not sent (attempt %s): %s", row.id, row.attempts, row.last_error)


def _log_offline(row: OutgoingMail) -> None:
    log.info("mail (no MAIL_SERVER; written to %s) to=%s subject=%s\n%s", current_app.config["MAIL_FILE_PATH"],
             row.to_address, row.subject, row.text_body)


def send_due(only_ids=None, limit: int = BATCH) -> SendResult:
    """Send the due mails (or only those of `only_ids` that are due). Commits per mail."""
    result = SendResult()
    token = secrets.token_hex(8)
    now = utcnow()
    claimed = _claim(_due(now, only_ids, limit), token, now)
    if not claimed:
        return result
    connection = mail.get_connection()
    try:
        connection.open()
    except Exception as exc:  # the server is down: every claimed mail waits for its next turn
        for row in db.session.scalars(sa.select(OutgoingMail).where(OutgoingMail.id.in_(claimed))):
            _failed_attempt(row, exc, now, result)
        db.session.commit()
        return result
    try:
        for mail_id in claimed:
            row = db.session.get(OutgoingMail, mail_id)
            if row is None or row.claimed_by != token:
                continue
            try:
                build_message(row, connection).send()
            except Exception as exc:
                _failed_attempt(row, exc, utcnow(), result)
            else:
                if current_app.config["MAIL_BACKEND"] == "file":
                    _log_offline(row)
                row.status, row.sent_at, row.attempts = "sent", utcnow(), row.attempts + 1
                row.claimed_by = row.claimed_until = None
                row.last_error = ""
                result.sent += 1
                log.info("mail sent id=%s template=%s", row.id, row.template)
            db.session.commit()
    finally:
        try:
            connection.close()
        except Exception:  # closing a broken connection tells nothing new
            log.debug("closing the mail connection failed", exc_info=True)
    return result


def prune_sent(days: int | None = None) -> int:
    """Remove sent mails older than MAIL_KEEP_SENT_DAYS: they hold addresses and texts we no longer need."""
    days = current_app.config["MAIL_KEEP_SENT_DAYS"] if days is None else days
    old = list(db.session.scalars(sa.select(OutgoingMail).where(
        OutgoingMail.status == "sent", OutgoingMail.sent_at < utcnow() - timedelta(days=days))))
    for row in old:
        db.session.delete(row)
    db.session.flush()
    return len(old)


def retry_failed() -> int:
    """Put mails that used up their attempts back in the queue (after the mail server was fixed)."""
    rows = list(db.session.scalars(sa.select(OutgoingMail).where(OutgoingMail.status == "failed")))
    for row in rows:
        row.status, row.attempts, row.next_attempt_at = "queued", 0, utcnow()
    db.session.flush()
    return len(rows)


def queue_status() -> dict:
    now = utcnow()
    counts = dict(db.session.execute(sa.select(OutgoingMail.status, sa.func.count()).group_by(OutgoingMail.status)).all())
    due = db.session.scalar(sa.select(sa.func.count()).select_from(OutgoingMail).where(
        OutgoingMail.status == "queued", OutgoingMail.next_attempt_at <= now)) or 0
    oldest = db.session.scalar(sa.select(sa.func.min(OutgoingMail.created_at)).where(OutgoingMail.status == "queued"))
    last_error = db.session.scalar(sa.select(OutgoingMail.last_error).where(
        OutgoingMail.status != "sent", OutgoingMail.last_error != "").order_by(OutgoingMail.id.desc()).limit(1))
    return {"queued": counts.get("queued", 0), "due": due, "sent": counts.get("sent", 0),
            "failed": counts.get("failed", 0), "oldest_queued": oldest, "last_error": last_error or ""}


# ---- after commit ------------------------------------------------------------------------------

_threads: set[threading.Thread] = set()
_threads_lock = threading.Lock()


def _send_in_background(app, ids: list[int]) -> None:
    try:
        with app.app_context():
            try:
                send_due(only_ids=ids)
            finally:
                db.session.remove()
    except Exception:  # never let a mail problem escape a thread; the queue keeps the mail for cron
        log.exception("sending mails %s after commit failed; `flask mail catch-up` will retry", ids)
    finally:
        with _threads_lock:
            _threads.discard(threading.current_thread())


def _after_commit(session: Session) -> None:
    ids = session.info.pop(_QUEUED, None)
    if not ids:
        return
    app = current_app._get_current_object()
    if not app.config["MAIL_SEND_AFTER_COMMIT"]:
        return
    thread = threading.Thread(target=_send_in_background, args=(app, ids), name="mail-after-commit", daemon=True)
    with _threads_lock:
        _threads.add(thread)
    thread.start()


def _after_transaction_end(session: Session, transaction) -> None:
    """A rolled-back transaction took its mails with it. Only the outermost counts: a rolled-back
    savepoint takes only its own rows (their ids are then simply not found), the rest still goes."""
    if transaction.parent is None:
        session.info.pop(_QUEUED, None)


def wait_for_background(timeout: float = 10.0) -> None:
    """Wait until the mails handed to background threads are sent (tests; the end of a CLI command)."""
    with _threads_lock:
        threads = list(_threads)
    for thread in threads:
        thread.join(timeout)


def listen(session_class) -> None:
    if not event.contains(session_class, "after_commit", _after_commit):
        event.listen(session_class, "after_commit", _after_commit)
        event.listen(session_class, "after_transaction_end", _after_transaction_end)


atexit.register(wait_for_background, 10.0)
