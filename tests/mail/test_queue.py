"""The mail queue: queued in the caller's transaction, sent after commit to a real SMTP server, retried."""
from datetime import timedelta

import sqlalchemy as sa

from ervaringswijzer.core.time import utcnow
from ervaringswijzer.extensions import db
from ervaringswijzer.mail import queue_mail, send_due, wait_for_background
from ervaringswijzer.mail.models import OutgoingMail
from tests.smtp_server import parts


def _rows():
    return list(db.session.scalars(sa.select(OutgoingMail).order_by(OutgoingMail.id)))


def test_a_committed_mail_arrives_after_commit_in_both_parts(mail_app, smtp_server):
    """queue_mail + commit: the mail reaches the SMTP server with a Dutch plain text and HTML part."""
    with mail_app.app_context():
        queue_mail("lezer@example.org", "mail/test")
        assert smtp_server.messages == []  # nothing leaves before the commit
        db.session.commit()
        wait_for_background()
        message = smtp_server.wait_for(1)[0]
        text, html = parts(message)
        assert message["To"] == "lezer@example.org"
        assert message["Subject"] == "Testbericht van Ervaringswijzer"
        assert "werkt de mail van Ervaringswijzer" in text and "<p>Dit is een testbericht." in html
        assert "<img" not in html and "http" not in html.replace("http://ervaringswijzer.test", "")
        assert _rows()[0].status == "sent"


def test_a_rolled_back_change_sends_nothing(mail_app, smtp_server):
    """A mail queued in a transaction that rolls back never existed."""
    with mail_app.app_context():
        queue_mail("lezer@example.org", "mail/test")
        db.session.rollback()
        wait_for_background()
        assert _rows() == [] and smtp_server.messages == []


def test_english_for_a_reader_who_chose_english(mail_app, smtp_server):
    """lang="en" renders subject and both parts in English."""
    with mail_app.app_context():
        queue_mail("reader@example.org", "mail/test", lang="en")
        db.session.commit()
        message = smtp_server.wait_for(1)[0]
        assert message["Subject"] == "Test message from Ervaringswijzer"
        assert "the mail of Ervaringswijzer works" in parts(message)[0]


def test_a_server_that_is_down_is_retried_from_the_queue_and_nothing_is_lost(mail_app, smtp_server):
    """Server down: mails stay queued with a later attempt; server up again: catch-up sends every one."""
    smtp_server.stop()
    with mail_app.app_context():
        for n in range(3):
            queue_mail(f"lezer{n}@example.org", "mail/test")
        db.session.commit()
        wait_for_background()
        rows = _rows()
        assert [r.status for r in rows] == ["queued"] * 3
        later = (utcnow() + timedelta(seconds=30)).replace(tzinfo=None)
        assert all(r.attempts == 1 and r.next_attempt_at.replace(tzinfo=None) > later for r in rows)
        assert all(r.claimed_by is None and "refused" in r.last_error.lower() for r in rows)
        assert send_due().sent == 0  # not due yet: the backoff holds
        smtp_server.start()
        db.session.execute(sa.update(OutgoingMail).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        runner = mail_app.test_cli_runner()
        result = runner.invoke(args=["mail", "catch-up"])
        assert result.exit_code == 0, result.output
        assert "3 sent" in result.output
        db.session.expire_all()
        assert [r.status for r in _rows()] == ["sent"] * 3
        assert sorted(m["To"] for m in smtp_server.wait_for(3)) == [f"lezer{n}@example.org" for n in range(3)]


def test_two_senders_never_send_one_mail_twice(mail_app, smtp_server):
    """A row claimed by one sender is skipped by another running at the same moment."""
    mail_app.config["MAIL_SEND_AFTER_COMMIT"] = False
    with mail_app.app_context():
        row = queue_mail("lezer@example.org", "mail/test")
        db.session.commit()
        mail_id = row.id
        db.session.execute(sa.update(OutgoingMail).values(claimed_by="other", claimed_until=utcnow() + timedelta(minutes=5)))
        db.session.commit()
        assert send_due().sent == 0
        db.session.execute(sa.update(OutgoingMail).values(claimed_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()  # the other sender died: its claim expired
        assert send_due().sent == 1
        assert send_due().sent == 0
        assert len(smtp_server.wait_for(1)) == 1 and db.session.get(OutgoingMail, mail_id).status == "sent"


def test_three_senders_at_once_send_every_mail_exactly_once(mail_app, smtp_server):
    """Three catch-up runs started together (three machines) share the queue: each mail arrives once."""
    import threading

    mail_app.config["MAIL_SEND_AFTER_COMMIT"] = False
    with mail_app.app_context():
        for n in range(30):
            queue_mail(f"lezer{n}@example.org", "mail/test")
        db.session.commit()
    start = threading.Barrier(3)
    errors = []

    def run():
        try:
            with mail_app.app_context():
                start.wait()
                while send_due(limit=10).sent:
                    pass
                db.session.remove()
        except Exception as exc:  # reported below; a thread must not die silently
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    received = sorted(m["To"] for m in smtp_server.wait_for(30))
    assert received == sorted(f"lezer{n}@example.org" for n in range(30))
    with mail_app.app_context():
        assert {r.status for r in _rows()} == {"sent"}


def test_status_and_prune(mail_app, smtp_server):
    """`flask mail status` tells what waits; sent mails older than MAIL_KEEP_SENT_DAYS are removed by catch-up."""
    with mail_app.app_context():
        queue_mail("lezer@example.org", "mail/test")
        db.session.commit()
        wait_for_background()
        db.session.execute(sa.update(OutgoingMail).values(sent_at=utcnow() - timedelta(days=8)))
        db.session.commit()
    runner = mail_app.test_cli_runner()
    assert "Queued 0 (due now 0), sent and kept 1" in runner.invoke(args=["mail", "status"]).output
    assert "1 old sent mails removed" in runner.invoke(args=["mail", "catch-up"]).output
    with mail_app.app_context():
        assert _rows() == []


def test_send_test_says_whether_the_server_took_it(mail_app, smtp_server):
    """`flask mail send-test` sends at once, and says so; with the server down it fails with the error."""
    runner = mail_app.test_cli_runner()
    result = runner.invoke(args=["mail", "send-test", "beheer@example.org"])
    assert result.exit_code == 0 and "Test mail sent to beheer@example.org." in result.output
    assert smtp_server.wait_for(1)[0]["To"] == "beheer@example.org"
    smtp_server.stop()
    result = runner.invoke(args=["mail", "send-test", "beheer@example.org"])
    assert result.exit_code == 1 and "refused" in result.output.lower()
    assert runner.invoke(args=["mail", "send-test", "Eva <a@b.nl>"]).exit_code == 2


def test_a_rolled_back_savepoint_keeps_the_other_mails_of_the_transaction(mail_app, smtp_server):
    """A mail queued inside a savepoint that is rolled back is gone; the one queued beside it still goes at commit."""
    with mail_app.app_context():
        queue_mail("blijft@example.org", "mail/test")
        savepoint = db.session.begin_nested()
        queue_mail("weg@example.org", "mail/test")
        savepoint.rollback()
        db.session.commit()
        wait_for_background()
        assert [m["To"] for m in smtp_server.wait_for(1)] == ["blijft@example.org"]
        assert [r.to_address for r in _rows()] == ["blijft@example.org"] and _rows()[0].status == "sent"
