"""Hostile text through search: typed queries and indexed descriptions come back inert, snippets included."""
from ervaringswijzer.extensions import db
from ervaringswijzer.places.services import upsert_place
from ervaringswijzer.search import rebuild_index
from tests.xss_corpus import PAYLOADS, assert_response_safe


def test_every_payload_as_query_is_inert(relevance_app):
    """Each payload typed as the search words renders as text on the results page and in the API."""
    client = relevance_app.test_client()
    for i, payload in enumerate(PAYLOADS):
        response = client.get("/plekken", query_string={"q": payload})
        assert response.status_code == 200, i
        assert_response_safe(response, f"/plekken?q=payload {i}")
        assert client.get("/api/v1/search", query_string={"q": payload}).status_code in (200, 400)


def test_snippets_of_hostile_descriptions_are_inert(app):
    """Places whose description is a payload plus a search word: their snippets are escaped text with <mark>."""
    with app.app_context():
        for i, payload in enumerate(PAYLOADS):
            _place, errors, _ = upsert_place({
                "slug": f"xss-zoek-{i}", "name": f"Plek {i}", "description": f"zeepbel {payload} zeepbel",
                "categories": ["walk_in_centre"]})
            assert not errors, (i, errors)
        db.session.commit()
        rebuild_index()
    client = app.test_client()
    pages = len(PAYLOADS) // 100 + 1
    for page in range(1, pages + 1):
        response = client.get(f"/plekken?q=zeepbel&per_page=100&page={page}")
        assert_response_safe(response, f"/plekken?q=zeepbel page {page}")
        assert response.get_data(as_text=True).count("<mark>zeepbel</mark>") >= 1
    data = client.get("/api/v1/search?q=zeepbel&per_page=100").get_json()
    assert data["total"] == len(PAYLOADS)
    for item in data["items"]:
        assert "<mark>zeepbel</mark>" in item["snippet"]
        stripped = item["snippet"].replace("<mark>", "").replace("</mark>", "")
        assert "<" not in stripped, item["snippet"]
