"""Hostile place data (names, descriptions, addresses, first-visit text) renders inert everywhere it appears."""
import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.places.models import Place
from ervaringswijzer.places.services import upsert_place
from tests.xss_corpus import PAYLOADS, assert_response_safe, contains_marker_intact


def test_every_payload_is_inert_on_place_and_list_pages(app, client):
    """Each payload stored as name, description, wijk and first-visit text shows as text, never as code."""
    with app.app_context():
        for i, payload in enumerate(PAYLOADS):
            _place, errors, _ = upsert_place({
                "slug": f"xss-{i}", "name": payload[:200], "description": payload,
                "categories": ["walk_in_centre"], "opening_hours": "24/7",
                "address": {"street": payload[:150] + " 1", "city": "Utrecht", "wijk": payload[:100]},
                "first_visit": {"arrival": payload, "greeter": payload},
                "contact_person": {"name": payload[:100], "role": "gastvrouw"},
            })
            assert not errors, (i, errors)
        db.session.commit()
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Place))
    assert total == len(PAYLOADS)

    for i, payload in enumerate(PAYLOADS):
        response = client.get(f"/plek/xss-{i}")
        assert response.status_code == 200
        assert_response_safe(response, f"/plek/xss-{i}")
        assert contains_marker_intact(response.get_data(as_text=True), payload), i

    for page in range(1, len(PAYLOADS) // 100 + 2):
        response = client.get(f"/plekken?per_page=100&page={page}")
        assert_response_safe(response, f"/plekken page {page}")
    response = client.get("/api/v1/places?per_page=100")
    assert response.mimetype == "application/json"
    assert {item["description"] for item in response.get_json()["items"]} <= set(PAYLOADS)
