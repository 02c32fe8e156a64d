"""An admin imports the HSDS example data package through /beheer/import after a dry run, in real Chromium."""
from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from ervaringswijzer.extensions import db
from ervaringswijzer.places.models import Place
from tests.places.hsds_examples import example_package

from .conftest import PASSWORD, LiveServer, add_member, axe_clean, demo_server_app, save_screenshot



@pytest.fixture(scope="module")
def import_server(tmp_path_factory):
    app = demo_server_app(tmp_path_factory, "importpage")
    add_member(app, "admin-import", "admin")
    with LiveServer(app) as server:
        yield server


def _package(tmp_path: Path) -> Path:
    path = tmp_path / "hsds-voorbeeld.zip"
    path.write_bytes(example_package())
    return path


def _count(app, name: str) -> int:
    with app.app_context():
        found = db.session.scalar(sa.select(sa.func.count()).select_from(Place).where(Place.name == name))
        db.session.remove()
        return found


def test_admin_imports_hsds_package_after_dry_run(page, import_server, tmp_path):
    """Upload, read the dry run (nothing stored yet), confirm, and find the place; axe clean at 320 and 1280 px."""
    base, app = import_server.url, import_server.app
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    page.goto(base + "/inloggen")
    page.get_by_label("Schuilnaam").fill("admin-import")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(base + "/")

    page.goto(base + "/beheer/import")
    axe_clean(page, "empty form")
    page.get_by_role("button", name="Proefimport bekijken").click()  # nothing chosen: the error summary
    expect(page.get_by_role("alert").filter(has_text="Kies een bestand")).to_be_visible()
    axe_clean(page, "form with error")

    page.get_by_label("Bestand").set_input_files(str(_package(tmp_path)))
    page.get_by_role("button", name="Proefimport bekijken").click()
    table = page.get_by_role("table", name="Wat er per regel zou gebeuren")
    row = table.get_by_role("row").filter(has_text="Community Counselling")
    expect(row).to_be_visible()
    assert "nieuw" in row.inner_text() and "services.csv regel 2" in row.inner_text()
    assert "de tekst is bewaard" in row.inner_text()
    assert _count(app, "Community Counselling") == 0
    axe_clean(page, "dry run")
    save_screenshot(page, "import-dry-run")

    page.get_by_role("button", name="Importeren").click()
    expect(page.get_by_role("status").filter(has_text="Ingelezen: 1 nieuw")).to_be_visible()
    assert _count(app, "Community Counselling") == 1
    axe_clean(page, "after import")
