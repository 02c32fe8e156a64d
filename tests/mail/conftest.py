"""In these tests every app sends its mail to the test's own SMTP server, so the usual factories work with it."""
import pytest


@pytest.fixture
def app(mail_app):
    return mail_app
