"""Every mail is safe in both parts: hostile names and reasons stay text, headers cannot be injected."""
from pathlib import Path

import pytest
import sqlalchemy as sa

from ervaringswijzer import create_app
from ervaringswijzer.extensions import db
from ervaringswijzer.mail import queue_mail, render_mail, wait_for_background
from ervaringswijzer.mail.compose import clean_address, header_text
from ervaringswijzer.mail.models import OutgoingMail
from tests.conftest import base_config
from tests.smtp_server import parts
from tests.xss_corpus import PAYLOADS, assert_safe, contains_marker_intact

ROOT = Path(__file__).resolve().parents[2] / "ervaringswijzer"
NOTICE_KINDS = sorted({p.name.split(".")[0] for p in ROOT.glob("*/templates/notices/*.body.html")})
# Mails to an address (not notices): every <package>/templates/<path>/mail/<name>.subject.txt
MAIL_TEMPLATES = sorted("/".join(p.parts[p.parts.index("templates") + 1:]).removesuffix(".subject.txt")
                        for p in ROOT.glob("*/templates/**/mail/*.subject.txt"))
HOSTILE_NAME = 'Kapstok\r\nBcc: stiekem@example.org\r\n\r\n<script>alert(1)</script>'


def test_every_notice_kind_and_mail_is_covered():
    """The kinds below are all there are: a new kind must pass these tests too (they read the templates)."""
    assert {"review_published", "review_held", "review_hidden", "place_review",
            "response_published", "response_removed"} <= set(NOTICE_KINDS)


@pytest.fixture
def render_app(tmp_path):
    """Rendering needs no database: one app, not one per database backend."""
    return create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'unused.sqlite'}"))


def test_the_xss_corpus_stays_text_in_both_parts_of_every_mail(render_app):
    """Every payload as place name and as moderator's reason, in every notice kind, in Dutch and English."""
    with render_app.test_request_context():
        for kind in NOTICE_KINDS:
            # Every payload in Dutch; English (the same templates, other words) with every seventh.
            for lang, payloads in (("nl", PAYLOADS), ("en", PAYLOADS[::7])):
                for payload in payloads:
                    subject, text, html = render_mail("notices/mail", lang, kind=kind, place=payload, reason=payload,
                                                      crisis=False, link="http://ervaringswijzer.test/account")
                    where = f"{kind}/{lang}: {payload!r}"
                    assert_safe(html, where)
                    assert contains_marker_intact(html, payload), where
                    assert payload.replace("\r\n", "\n").strip() in text.replace("\r\n", "\n"), where
                    assert "\n" not in subject and "\r" not in subject
        for template in MAIL_TEMPLATES:
            _subject, _text, html = render_mail(template, "nl", link="http://ervaringswijzer.test/x", minutes=30)
            assert_safe(html, template)


def test_hostile_text_is_shown_verbatim_as_text(render_app):
    """The plain part carries the text exactly (text/plain is never HTML); the HTML part shows it escaped."""
    with render_app.test_request_context():
        _subject, text, html = render_mail("notices/mail", "nl", kind="review_hidden", place="<b>Kapstok</b>",
                                           reason="<img src=x onerror=alert(1)>", link="")
    assert "<img src=x onerror=alert(1)>" in text and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert contains_marker_intact(html, "<img src=x onerror=alert(1)>")
    assert "<img" not in html.replace("&lt;img", "")


@pytest.mark.parametrize("address", ["a@b.nl\r\nBcc: c@d.nl", "Eva <a@b.nl>", "a@b.nl, c@d.nl", "a@b.nl;c@d.nl",
                                     "geen-adres", "", "a@b", "a b@c.nl", "a@b.nl\nx", "\"x\"@b.nl"])
def test_only_one_plain_address_is_accepted(address):
    """Display names, lists, line breaks and broken addresses are refused before anything is queued."""
    assert clean_address(address) is None


def test_header_text_is_one_line():
    """CR, LF, NEL, line and paragraph separators and control characters all become spaces; long text is cut."""
    assert header_text("a\r\nBcc: x\u2028y\x00z\u0085w") == "a Bcc: x y z w"
    assert len(header_text("x" * 500)) == 150


def test_no_header_injection_through_the_real_smtp_path(app, smtp_server):
    """A hostile place name in the subject reaches the server as one subject line; nobody is added as Bcc."""
    with app.app_context():
        assert queue_mail("eva@example.org\r\nBcc: stiekem@example.org", "mail/test") is None
        queue_mail("eva@example.org", "notices/mail", kind="review_hidden", place=HOSTILE_NAME,
                   reason=HOSTILE_NAME, link="")
        db.session.commit()
        message = smtp_server.wait_for(1)[0]
        assert smtp_server.envelopes[0][1] == ["eva@example.org"]
        assert message["Bcc"] is None and message.get_all("To") == ["eva@example.org"]
        assert message["Subject"] == ("Je ervaring over Kapstok Bcc: stiekem@example.org "
                                      "<script>alert(1)</script> is verborgen")
        text, html = parts(message)
        assert "<script>alert(1)</script>" in text
        assert_safe(html, "received mail")
        assert "<img" not in html and "src=" not in html  # no tracking pixels, no images at all
        links = [link for link in html.split('href="')[1:]]
        assert all(link.startswith(("http://ervaringswijzer.test", "tel:")) for link in links)
        wait_for_background()  # the mail arrived; its sender commits "sent" just after
        assert db.session.scalar(sa.select(OutgoingMail.status)) == "sent"
