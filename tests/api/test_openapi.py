"""The API contract: answers validate against /api/v1/openapi.json, a spec-driven fuzzer finds no 5xx and no
answer that breaks the spec, and the read-only API is cacheable, open to other sites and rate limited."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from schemathesis.checks import (content_type_conformance, not_a_server_error, response_headers_conformance,
                                 response_schema_conformance, status_code_conformance)
from schemathesis.generation import GenerationMode

from ervaringswijzer.extensions import db
from ervaringswijzer.places.models import Place
from tests.conftest import counting_limits, sqlite_app

FUZZ_EXAMPLES = 15  # per operation and mode; with a fixed seed the run is the same every time


def answer_validator(spec: dict, path: str, status: str, media: str = "application/json"):
    """A JSON Schema validator for one documented answer, resolving $refs inside the document."""
    registry = Registry().with_resource("urn:ew-api", DRAFT202012.create_resource(spec))
    schema = spec["paths"][path]["get"]["responses"][status]["content"][media]["schema"]
    if "$ref" in schema:
        schema = {"$ref": "urn:ew-api" + schema["$ref"]}
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


def check_answer(spec: dict, response, path: str, media: str = "application/json") -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in
              answer_validator(spec, path, str(response.status_code), media).iter_errors(response.get_json(force=True))]
    assert not errors, errors


@pytest.fixture
def full_place(make_place):
    return make_place(
        first_visit={"arrival": "Je loopt zo binnen.", "greeter": "Een vrijwilliger", "coffee_free": True,
                     "signup_required": False, "quiet_times": "ochtend", "busy_times": "lunch"},
        contact_person={"name": "Sanne", "role": "wegwijzer", "phone": "06-12345678", "email": "sanne@example.org"},
        participation_rung=2, last_checked="2026-11-02", languages=["nl", "en"])


def test_items_carry_the_whole_place(app, client, full_place):
    """Every item has the first-visit card, the public contact person, rung, last_checked and flags; never the private contact."""
    with app.app_context():
        place = db.session.get(Place, full_place)
        place.contact_phone, place.contact_email = "06-99999999", "prive@example.org"
        db.session.commit()
    one = client.get(f"/api/v1/places/{full_place}").get_json()
    listed = client.get("/api/v1/places").get_json()["items"][0]
    assert one == listed
    assert one["first_visit"] == {"arrival": "Je loopt zo binnen.", "greeter": "Een vrijwilliger", "coffee_free": True,
                                  "signup_required": False, "quiet_times": "ochtend", "busy_times": "lunch"}
    assert one["contact_person"] == {"name": "Sanne", "role": "wegwijzer"}
    assert one["participation_rung"] == 2 and one["last_checked"] == "2026-11-02" and one["languages"] == ["nl", "en"]
    assert one["flags"]["walk_in"] is True
    for url in (f"/api/v1/places/{full_place}", "/api/v1/places", "/api/v1/places.geojson"):
        text = client.get(url).get_data(as_text=True)
        assert "06-99999999" not in text and "prive@example.org" not in text


def test_answers_validate_against_the_document(client, full_place, make_place):
    """Lists, one place, the map feed (places and clusters), search, suggest and the errors match the spec."""
    make_place(name="Zonder Alles", location=None, opening_hours=None, address={"city": "Utrecht"})
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    Draft202012Validator.check_schema(spec["components"]["schemas"]["Place"])
    check_answer(spec, client.get("/api/v1/places?per_page=5&open_between=2026-12-06T18:00:00%2B01:00/"
                                  "2026-12-06T23:00:00%2B01:00"), "/places")
    check_answer(spec, client.get(f"/api/v1/places/{full_place}"), "/places/{place_id}")
    check_answer(spec, client.get("/api/v1/places/424242"), "/places/{place_id}")
    check_answer(spec, client.get("/api/v1/places?per_page=500"), "/places")
    check_answer(spec, client.get("/api/v1/search?q=kapstok&open_now=1"), "/search")
    check_answer(spec, client.get("/api/v1/search"), "/search")
    check_answer(spec, client.get("/api/v1/suggest?q=kap"), "/suggest")
    feed = client.get("/api/v1/places.geojson?bbox=5,52,5.3,52.2&zoom=14")
    assert feed.mimetype == "application/geo+json"
    check_answer(spec, feed, "/places.geojson", "application/geo+json")
    check_answer(spec, client.get("/api/v1/places.geojson?bbox=6,52,5,53"), "/places.geojson")


def test_map_feed_clusters_past_the_limit(app, client, make_place):
    """Past MAP_CLUSTER_ABOVE places in view the feed counts them per grid cell; at the deepest zoom places come singly."""
    app.config["MAP_CLUSTER_ABOVE"] = 3
    for i in range(4):
        make_place(name=f"Noord {i}", location={"lat": 52.30 + i * 0.0001, "lon": 5.10})
    make_place(name="Zuid alleen", location={"lat": 52.00, "lon": 5.30})
    spec = client.get("/api/v1/openapi.json").get_json()
    wide = client.get("/api/v1/places.geojson?bbox=5,51.9,5.4,52.4&zoom=10")
    check_answer(spec, wide, "/places.geojson", "application/geo+json")
    data = wide.get_json()
    assert data["clustered"] is True and data["total"] == 5
    clusters = [f for f in data["features"] if f["properties"].get("cluster")]
    singles = [f for f in data["features"] if "id" in f]
    assert [c["properties"]["count"] for c in clusters] == [4]
    west, south, east, north = clusters[0]["bbox"]
    assert (south, north, west, east) == (52.3, 52.3003, 5.1, 5.1)
    assert [f["properties"]["name"] for f in singles] == ["Zuid alleen"]  # a cell of one is its place
    close = client.get("/api/v1/places.geojson?bbox=5.09,52.29,5.11,52.31&zoom=19").get_json()  # deepest zoom
    assert close["clustered"] is False and len(close["features"]) == 4
    feature = close["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [5.1, 52.3]}
    assert close["statuses"][feature["properties"]["status"]] and feature["properties"]["state"] in (0, 1, 2)


@pytest.mark.parametrize("query, field", [("bbox=1,2,3", "bbox"), ("bbox=5,53,4,52", "bbox"), ("bbox=a,b,c,d", "bbox"),
                                          ("zoom=25", "zoom"), ("zoom=x", "zoom"), ("wijk=Overvecht", "wijk")])
def test_map_feed_bad_view_is_400(client, query, field):
    """A wrong box or zoom is a 400 naming the parameter, in the API's error shape."""
    response = client.get(f"/api/v1/places.geojson?{query}")
    assert response.status_code == 400 and response.get_json()["error"]["message"].startswith(field)


def test_last_modified_and_if_modified_since(client, make_place):
    """Answers carry Last-Modified; If-Modified-Since at or after it gives 304, an older date the body."""
    pid = make_place()
    for url in ("/api/v1/places", f"/api/v1/places/{pid}", "/api/v1/places.geojson"):
        first = client.get(url)
        modified = first.headers["Last-Modified"]
        assert first.last_modified <= datetime.now(timezone.utc)
        again = client.get(url, headers={"If-Modified-Since": modified})
        assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == first.headers["ETag"]
        older = (first.last_modified - timedelta(minutes=5)).strftime("%a, %d %b %Y %H:%M:%S GMT")
        assert client.get(url, headers={"If-Modified-Since": older}).status_code == 200
        # A stale ETag wins over a date that would match (RFC 9110: If-None-Match first).
        both = client.get(url, headers={"If-Modified-Since": modified, "If-None-Match": '"old"'})
        assert both.status_code == 200


def test_cors_on_the_api_only(client, make_place):
    """Any site may read the API (answers and errors); pages and forms get no CORS header."""
    make_place()
    for url in ("/api/v1/places", "/api/v1/places/999", "/api/v1/search?q=koffie", "/api/v1/places.geojson",
                "/api/v1/openapi.json"):
        assert client.get(url).headers["Access-Control-Allow-Origin"] == "*", url
    preflight = client.options("/api/v1/places", headers={"Origin": "https://partner.example",
                                                          "Access-Control-Request-Method": "GET"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    for url in ("/", "/plekken", "/kaart", "/inloggen"):
        assert "Access-Control-Allow-Origin" not in client.get(url).headers, url


@pytest.fixture
def limited_app(tmp_path):
    """An app with the API limit at 3 a minute, on a fresh SQLite copy."""
    with counting_limits(sqlite_app(tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_API="3 per minute")) as app:
        yield app


def test_rate_limit_answers_429_json(limited_app):
    """The fourth API request in a minute from one address is a 429 with the error shape and Retry-After."""
    client = limited_app.test_client()
    codes = [client.get(url).status_code for url in ("/api/v1/places", "/api/v1/openapi.json", "/api/v1/suggest?q=k")]
    assert codes == [200, 200, 200]
    refused = client.get("/api/v1/places.geojson")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    error = refused.get_json()["error"]
    assert error["code"] == "too_many_requests" and "3 per 1 minute" in error["message"]
    assert refused.headers["Access-Control-Allow-Origin"] == "*"
    other = limited_app.test_client()
    assert other.get("/api/v1/places", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 200
    assert client.get("/plekken").status_code == 200  # pages are not counted against the API


def test_docs_page_reads_the_document(client):
    """/api/v1/docs lists every path and parameter of the document, with no script from elsewhere."""
    spec = client.get("/api/v1/openapi.json").get_json()
    page = client.get("/api/v1/docs").get_data(as_text=True)
    for path, item in spec["paths"].items():
        assert f"/api/v1{path}" in page
        for parameter in item["get"]["parameters"]:
            assert f"<code>{parameter['name']}</code>" in page
    assert "http://" not in page.split("<body")[0] and "https://" not in page.split("<body")[0]


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


@pytest.mark.slow
def test_fuzzing_finds_nothing(demo_app):
    """Schemathesis, driven by the document on a fixed seed, gets no 5xx and no answer that breaks the spec."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", demo_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    paths = demo_app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    assert {op.path for op in operations} == set(paths) - {"/openapi.json"}  # Schemathesis leaves its source out
    for operation in operations:
        has_parameters = bool(paths[operation.path]["get"]["parameters"])
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) if has_parameters else (GenerationMode.POSITIVE,):
            @settings(max_examples=FUZZ_EXAMPLES, derandomize=True, database=None, deadline=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                case.validate_response(case.call(), checks=CHECKS)
            run()
