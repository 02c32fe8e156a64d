"""Without a mail server (make run, offline): mails go to the log and to files in the instance folder."""
import logging
from pathlib import Path

from ervaringswijzer.extensions import db
from ervaringswijzer.mail import queue_mail, wait_for_background


def test_without_a_server_mails_land_in_the_instance_folder_and_the_log(app, caplog):
    """MAIL_SERVER unset: the file backend keeps the whole message, the log shows who and what."""
    assert app.config["MAIL_BACKEND"] == "file"
    folder = Path(app.config["MAIL_FILE_PATH"])
    with caplog.at_level(logging.INFO, logger="ervaringswijzer.mail.queue"), app.app_context():
        queue_mail("lezer@example.org", "mail/test")
        db.session.commit()
        wait_for_background()
    files = list(folder.glob("*.log"))
    assert len(files) == 1
    content = files[0].read_text(encoding="utf-8")
    assert "To: lezer@example.org" in content and "Subject: Testbericht van Ervaringswijzer" in content
    assert any("no MAIL_SERVER" in record.getMessage() and "lezer@example.org" in record.getMessage()
               for record in caplog.records)
