"""/beheer/import: a dry run first, nothing written until the admin confirms, the whole file or nothing."""
from __future__ import annotations

import io
import json
import re

import sqlalchemy as sa

from ervaringswijzer.core.audit import AuditEntry
from ervaringswijzer.extensions import db
from ervaringswijzer.places.models import Place
from tests.conftest import reviews_login
from tests.places.hsds_examples import example_package
from tests.xss_corpus import HTML_CONTEXT_PAYLOADS, assert_response_safe

GOOD = {"name": "Inloop De Brug", "categories": ["walk_in_centre"], "address": {"city": "Utrecht"}}


def _admin(client, reviews_member) -> None:
    reviews_login(client, reviews_member("admin"))


def _upload(client, data: bytes, name: str, **fields):
    return client.post("/beheer/import", data={"upload": (io.BytesIO(data), name), **fields},
                       content_type="multipart/form-data")


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Place))


def test_dry_run_then_confirm_imports_the_hsds_package(app, client, reviews_member):
    """The dry run lists the row as new and writes nothing; confirming writes it once and logs it."""
    _admin(client, reviews_member)
    dry = _upload(client, example_package(), "voorbeeld.zip")
    page = dry.get_data(as_text=True)
    assert dry.status_code == 200, page
    assert "Community Counselling" in page and "nieuw" in page and "services.csv regel 2" in page
    assert "niet om te zetten" in page  # the example's schedule stays text
    assert _count(app) == 0
    token = re.search(r'name="confirm-token" type="hidden" value="([^"]+)"', page).group(1)
    done = client.post("/beheer/import", data={"confirm-token": token})
    assert done.status_code == 302
    assert _count(app) == 1
    with app.app_context():
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "places.import"))
        assert entry.detail["created"] == 1
    again = client.post("/beheer/import", data={"confirm-token": token})  # a used dry run is gone
    assert again.status_code == 302 and _count(app) == 1
    second = _upload(client, example_package(), "voorbeeld.zip").get_data(as_text=True)
    assert "ongewijzigd" in second and "Importeren</button>" not in second


def test_changed_rows_show_a_diff_and_stale_dry_runs_are_shown_again(app, client, reviews_member, make_place):
    """A changed place shows old and new values; if the data changes after the dry run, nothing is written."""
    make_place(name="Inloop De Brug", slug="de-brug", categories=["walk_in_centre"], description="Oud")
    _admin(client, reviews_member)
    row = dict(GOOD, slug="de-brug", description="Nieuw")
    page = _upload(client, json.dumps([row]).encode(), "plekken.json").get_data(as_text=True)
    assert "gewijzigd" in page and "Oud" in page and "Nieuw" in page
    token = re.search(r'name="confirm-token" type="hidden" value="([^"]+)"', page).group(1)
    with app.app_context():
        place = db.session.scalar(sa.select(Place).where(Place.slug == "de-brug"))
        place.description = "Intussen veranderd"
        db.session.commit()
    stale = client.post("/beheer/import", data={"confirm-token": token})
    assert stale.status_code == 409 and "veranderd sinds de proefimport" in stale.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Place.description).where(Place.slug == "de-brug")) == "Intussen veranderd"


def test_a_file_with_one_bad_row_imports_nothing(app, client, reviews_member):
    """Refused rows are listed with row and field, and no import button is offered."""
    _admin(client, reviews_member)
    lines = [json.dumps(GOOD), json.dumps(dict(GOOD, name="Twee", location={"lat": 123, "lon": 5}))]
    response = _upload(client, "\n".join(lines).encode(), "plekken.jsonl")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "regel 2" in page and "geweigerd" in page and "Niets ingelezen" in page
    assert "Importeren</button>" not in page and _count(app) == 0


def test_a_200_mb_upload_is_refused_by_its_size(app, client, reviews_member):
    """The declared length is enough to refuse: the body is never read."""
    _admin(client, reviews_member)
    response = client.post("/beheer/import", data=b"x" * 10, content_type="multipart/form-data; boundary=x",
                           environ_overrides={"CONTENT_LENGTH": str(200 * 1024 * 1024)})
    assert response.status_code == 413
    assert "groter dan 20 MB" in response.get_data(as_text=True)


def test_urls_only_from_allowed_hosts(app, client, reviews_member):
    """A URL whose host the admin did not allow is not fetched, and the form keeps what was typed."""
    _admin(client, reviews_member)
    response = client.post("/beheer/import", data={"url": "http://169.254.169.254/latest/meta-data"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "niet op de lijst van toegestane bronnen" in page and 'value="http://169.254.169.254/latest/meta-data"' in page


def _text_fields(p: str, cut: bool) -> dict:
    """A place with payload p in every text field (cut to each column's length when cut)."""
    c = (lambda n: p[:n]) if cut else (lambda n: p)
    return {"name": c(200), "description": p, "address": {"street": c(200), "city": c(100), "wijk": c(100)},
            "contact": {"phone": p[:40]}, "contact_person": {"name": p[:100], "role": p[:100]},
            "first_visit": {"arrival": p, "greeter": p, "quiet_times": p[:200], "busy_times": p[:200]},
            "opening_hours_note": p, "categories": ["sport"]}


def test_html_in_every_text_field_is_shown_as_text(app, client, reviews_member):
    """Every payload of the XSS corpus in every text field: refused rows and accepted ones are shown as text,
    the dry run names the fields that hold code, and the imported place page runs nothing."""
    _admin(client, reviews_member)
    whole = _upload(client, json.dumps([_text_fields(p, False) for p in HTML_CONTEXT_PAYLOADS]).encode(), "xss.json")
    assert whole.status_code == 422 and "is te lang" in whole.get_data(as_text=True)  # long payloads overflow columns
    assert_response_safe(whole, "import dry run with refused rows")
    response = _upload(client, json.dumps([_text_fields(p, True) for p in HTML_CONTEXT_PAYLOADS]).encode(), "xss.json")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:2000]
    assert_response_safe(response, "import dry run")
    assert "bevat HTML- of scriptcode" in page
    token = re.search(r'name="confirm-token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/beheer/import", data={"confirm-token": token}).status_code == 302
    assert _count(app) == len(HTML_CONTEXT_PAYLOADS)
    with app.app_context():
        slugs = db.session.scalars(sa.select(Place.slug).order_by(Place.id).limit(40)).all()
    for slug in slugs:
        assert_response_safe(client.get(f"/plek/{slug}"), f"place page {slug}")
