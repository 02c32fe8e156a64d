"""Browser tests: the app served on 127.0.0.1 with demo data, driven in Debian's Chromium by Playwright."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from axe_playwright_python.sync_playwright import Axe

from ervaringswijzer import create_app
from ervaringswijzer.accounts.models import Member
from ervaringswijzer.extensions import db

from ..conftest import _templates, base_config

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


PASSWORD = "browser-wachtwoord"
AXE = Axe()


def add_member(app, pseudonym: str, role: str, password: str = PASSWORD) -> None:
    """A member who can log in through the login form (a cheap hash: tests need no strong one)."""
    with app.app_context():
        db.session.add(Member(pseudonym=pseudonym, pseudonym_key=pseudonym, role=role,
                              password_hash=generate_password_hash(password, method="pbkdf2:sha256:1000")))
        db.session.commit()


def axe_clean(page, where: str, widths=(320, 1280)) -> None:
    """axe-core finds nothing at each width (none given: at the page's own viewport)."""
    for width in widths or (None,):
        if width:
            page.set_viewport_size({"width": width, "height": 900})
        results = AXE.run(page)
        assert results.violations_count == 0, f"{where} at {width or 'its own width'} px:\n{results.generate_report()}"


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(5)
        with self.app.app_context():
            db.engine.dispose()


def demo_server_app(tmp_path_factory, name: str, **config_overrides):
    """An app on its own copy of the demo database, configured to be served over real HTTP."""
    tmp = tmp_path_factory.mktemp(name)
    target = tmp / f"{name}.sqlite"
    shutil.copyfile(_templates.get("demo"), target)
    config = base_config(tmp, f"sqlite:///{target}")
    config.pop("SERVER_NAME")
    config.update(TESTING=False, **config_overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app with demo data, served by a real HTTP server in a thread."""
    app = demo_server_app(tmp_path_factory, "live")
    with LiveServer(app) as server:
        yield server


def keep_local(page):
    """Let the page reach only servers on this machine; every other request is aborted and recorded
    in page.outside_requests."""
    outside: list[str] = []

    def guard(route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.outside_requests = outside
    return page


@pytest.fixture
def offline_page(page, live_server):
    """A page that may reach only our own server; every other request is aborted and recorded."""
    return keep_local(page)


def save_screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
