"""The OpenAPI 3.1 document of API v1: every endpoint, parameter, answer and error (served at /api/v1/openapi.json).

Tests validate real answers against it and fuzz the API from it (tests/api/test_openapi.py), so
a field added to an answer must be added here too.
"""
from __future__ import annotations

from copy import deepcopy
from functools import lru_cache

from ..places.categories import CATEGORY_KEYS, FLAG_KEYS
from ..places.filters import MAX_PAGE
from ..places.mapfeed import MAX_ZOOM

VERSION = "1.1.0"


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict, required: list[str] | None = None, **extra) -> dict:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required,
            "additionalProperties": False, **extra}


STRING, INTEGER, NUMBER, BOOLEAN = ({"type": t} for t in ("string", "integer", "number", "boolean"))
DATE_TIME = {"type": "string", "format": "date-time"}
PERIOD = _object({"start": DATE_TIME, "end": DATE_TIME})

SCHEMAS = {
    "Error": _object({"error": _object({
        "code": {**STRING, "description": "Machine-readable: bad_parameter, not_found, too_many_requests, internal_error, ..."},
        "message": {**STRING, "description": "What was wrong, in plain English; names the parameter."}})}),
    "Place": _object({
        "id": INTEGER, "slug": STRING, "name": STRING, "description": STRING,
        "categories": {"type": "array", "items": {"enum": list(CATEGORY_KEYS)}},
        "address": _object({"street": STRING, "postcode": STRING, "city": STRING, "wijk": STRING}),
        "location": _nullable(_object({"lat": {"type": "number", "minimum": -90, "maximum": 90},
                                       "lon": {"type": "number", "minimum": -180, "maximum": 180}})),
        "contact": _object({"phone": _nullable(STRING), "email": _nullable(STRING), "website": _nullable(STRING)}),
        "flags": _object({key: BOOLEAN for key in FLAG_KEYS}),
        "opening_hours": {**_nullable(STRING), "description": "OpenStreetMap opening_hours syntax; null = unknown"},
        "first_visit": _object({
            "arrival": {**STRING, "description": "What happens when you walk in"},
            "greeter": {**STRING, "description": "Who greets you"},
            "coffee_free": _nullable(BOOLEAN), "signup_required": _nullable(BOOLEAN),
            "quiet_times": STRING, "busy_times": STRING},
            description="The first-visit card ('je eerste keer'); empty text and null mean not known"),
        "contact_person": {**_nullable(_object({"name": STRING, "role": STRING})),
                           "description": "The public contact person (wegwijzer); never their own phone or e-mail"},
        "languages": {"type": "array", "items": {**STRING, "description": "ISO 639-1 code"}},
        "participation_rung": {**_nullable({"type": "integer", "minimum": 1, "maximum": 6}),
                               "description": "Participation ladder rung 1 (isolation) to 6 (paid work)"},
        "last_checked": _nullable({"type": "string", "format": "date"}),
        "open_now": {**_nullable(BOOLEAN), "description": "Europe/Amsterdam, at request time or `at`; null = hours unknown"},
        "next_change": _nullable(DATE_TIME),
        "rating": _object({
            "count": {"type": "integer", "minimum": 0},
            "recommend_pct": _nullable({"type": "integer", "minimum": 0, "maximum": 100}),
            "aspects": _object({a: _nullable(NUMBER) for a in ("welcome", "respect", "calm", "access")})}),
        "url": {"type": "string", "format": "uri", "description": "The place's HTML page"},
        "open_periods": {"type": "array", "items": PERIOD,
                         "description": "Only with open_at/open_between/time words: when it is open in the window"},
    }, required=["id", "slug", "name", "description", "categories", "address", "location", "contact", "flags",
                 "opening_hours", "first_visit", "contact_person", "languages", "participation_rung",
                 "last_checked", "open_now", "next_change", "rating", "url"]),
    "PlaceList": _object({"items": {"type": "array", "items": {"$ref": "#/components/schemas/Place"}},
                          "total": {"type": "integer", "minimum": 0}, "page": {"type": "integer", "minimum": 1},
                          "per_page": {"type": "integer", "minimum": 1, "maximum": 100}}),
    "SearchResult": _object({
        "items": {"type": "array", "items": _object(
            {"id": INTEGER, "name": STRING, "score": _nullable(NUMBER), "snippet": STRING,
             "open_periods": {"type": "array", "items": PERIOD}}, required=["id", "name", "score", "snippet"])},
        "total": {"type": "integer", "minimum": 0}, "did_you_mean": _nullable(STRING),
        "facets": {"type": "object", "description": "Counts per facet value: category, flag, city/wijk",
                   "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer"}}}}),
    "Suggestions": _object({"q": STRING, "suggestions": {"type": "array", "items": STRING}}),
    "MapFeed": _object({
        "type": {"const": "FeatureCollection"},
        "total": {"type": "integer", "minimum": 0, "description": "Located places in the box"},
        "zoom": {"type": "integer", "minimum": 0, "maximum": MAX_ZOOM},
        "clustered": {**BOOLEAN, "description": "True when some features are clusters"},
        "place_url": {**STRING, "description": "Prefix of a place's page: place_url + slug"},
        "statuses": {"type": "array", "items": STRING, "description": "Status lines; places refer to them by index"},
        "categories": {"type": "array", "items": STRING, "description": "Category labels in the order of the keys"},
        "features": {"type": "array", "items": {"oneOf": [
            {"$ref": "#/components/schemas/MapPlace"}, {"$ref": "#/components/schemas/MapCluster"}]}},
    }, description="RFC 7946 FeatureCollection with a few foreign members"),
    "MapPlace": _object({
        "type": {"const": "Feature"}, "id": INTEGER,
        "geometry": {"$ref": "#/components/schemas/Point"},
        "properties": _object({
            "name": STRING, "slug": STRING,
            "status": {"type": "integer", "minimum": 0, "description": "Index into statuses"},
            "state": {"enum": [0, 1, 2], "description": "0 closed, 1 open, 2 hours unknown"},
            "categories": {"type": "array", "items": {"type": "integer", "minimum": 0},
                           "description": "Indexes into categories"},
            "reviews": {"type": "integer", "minimum": 1, "description": "Published reviews; absent when none"},
            "recommend_pct": {**_nullable({"type": "integer", "minimum": 0, "maximum": 100}),
                              "description": "Only with reviews"}},
            required=["name", "slug", "status", "state", "categories"])}),
    "MapCluster": _object({
        "type": {"const": "Feature"}, "bbox": {"type": "array", "items": NUMBER, "minItems": 4, "maxItems": 4},
        "geometry": {"$ref": "#/components/schemas/Point"},
        "properties": _object({"cluster": {"const": True}, "count": {"type": "integer", "minimum": 2}})},
        description="Several places counted together; zoom into bbox to see them"),
    "Point": _object({"type": {"const": "Point"},
                      "coordinates": {"type": "array", "items": NUMBER, "minItems": 2, "maxItems": 2,
                                      "description": "[lon, lat]"}}),
}


def _param(name: str, schema: dict, description: str, **extra) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description, **extra}


FILTERS = [
    _param("q", STRING, "Words to look for (typos forgiven); time words such as 'zondagavond' become a window"),
    _param("category", {"type": "array", "items": {"enum": list(CATEGORY_KEYS)}},
           "Category key; repeat for several (any of them)", style="form", explode=True),
    _param("city", STRING, "City (case and accents do not matter)"),
    _param("wijk", STRING, "Neighbourhood, only within its city: with city=, or as CITY/WIJK; alone it is a 400"),
    _param("open_now", {"enum": ["", "0", "1", "true", "false", "on"]}, "1: only places open now (or at `at`)"),
    _param("flags", STRING, "Comma-separated flag keys, all required: " + ", ".join(FLAG_KEYS)),
    _param("near", STRING, "LAT,LON: sort by distance from here", example="52.09,5.12"),
    _param("radius_km", {"type": "number", "exclusiveMinimum": 0, "maximum": 500}, "Only within this distance; needs near"),
    _param("at", DATE_TIME, "The moment open_now and next_change refer to (ISO 8601); default now"),
    _param("open_at", DATE_TIME, "Only places open at this instant (also sets `at`)"),
    _param("open_between", STRING, "START/END (ISO 8601, at most 8 days): open at some time inside it",
           example="2026-12-06T18:00:00+01:00/2026-12-06T23:00:00+01:00"),
    *(_param(key, STRING, f"Form style for flags={key}: 1, on or true turns it on") for key in FLAG_KEYS),
    _param("wanneer", STRING, "Form style for a window: nu, vandaag, morgen, weekend, dag (with dag, tijd)"),
    _param("dag", STRING, "Form style: a date (YYYY-MM-DD) with wanneer=dag"),
    _param("tijd", STRING, "Form style: a part of the day or HH:MM with wanneer=dag"),
]
PAGING = [
    _param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "Page, from 1"),
    _param("per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "Items per page, at most 100 (default 20)"),
]
SORT = _param("sort", {"enum": ["relevance", "distance", "rating"]}, "Order; distance needs near")
MAP_VIEW = [
    _param("bbox", STRING, "WEST,SOUTH,EAST,NORTH in degrees: only places in this box", example="4.4,52.1,4.6,52.2"),
    _param("zoom", {"type": "integer", "minimum": 0, "maximum": MAX_ZOOM},
           "The map's zoom level: decides the cluster grid (cells of about 80 screen pixels)"),
]

CACHE_HEADERS = {
    "ETag": {"schema": STRING, "description": "Send it back as If-None-Match for a 304"},
    "Last-Modified": {"schema": STRING, "description": "Send it back as If-Modified-Since for a 304 (exact to the second)"},
    "Access-Control-Allow-Origin": {"schema": {"const": "*"}},
}


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _ok(schema_name: str, description: str, media: str = "application/json", cached: bool = False) -> dict:
    return {"description": description, "headers": CACHE_HEADERS if cached else {},
            "content": {media: {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}}}


ERRORS = {
    "400": _error("A parameter is wrong; the message starts with its name"),
    "429": {**_error("Too many requests from this address (RATELIMIT_API, default 600 a minute)"),
            "headers": {"Retry-After": {"schema": STRING, "description": "Seconds to wait"}}},
}
NOT_MODIFIED = {"304": {"description": "Not modified since the ETag or date the request sent", "headers": CACHE_HEADERS}}


def _operation(op_id: str, summary: str, parameters: list, responses: dict, description: str = "") -> dict:
    return {"get": {"operationId": op_id, "summary": summary, "description": description,
                    "parameters": parameters, "responses": responses}}


@lru_cache(maxsize=1)
def _document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Ervaringswijzer API", "version": VERSION,
                 "description": "Read-only JSON API of Ervaringswijzer, a social map of places where people "
                                "with mental-health problems, addiction or homelessness are welcome. UTF-8; "
                                "errors are {\"error\": {\"code\", \"message\"}} with a 4xx status. Any site may "
                                "read it (CORS *); a per-address rate limit answers 429.",
                 "license": {"name": "Open data"}},
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/places": _operation(
                "listPlaces", "Places, filtered and paged", FILTERS + PAGING + [SORT],
                {"200": _ok("PlaceList", "One page of places", cached=True), **NOT_MODIFIED, **ERRORS}),
            "/places/{place_id}": {**_operation(
                "getPlace", "One place", [_param("at", DATE_TIME, "The moment open_now refers to")],
                {"200": _ok("Place", "The place", cached=True), **NOT_MODIFIED, **ERRORS,
                 "404": _error("No published place with this id")}),
                "parameters": [{"name": "place_id", "in": "path", "required": True,
                                "schema": {"type": "integer", "minimum": 0}}]},
            "/places.geojson": _operation(
                "placesGeoJSON", "The map feed: places in a box, clustered when many", FILTERS + PAGING + MAP_VIEW,
                {"200": _ok("MapFeed", "Markers and clusters", "application/geo+json", cached=True),
                 **NOT_MODIFIED, **ERRORS},
                "Up to MAP_CLUSTER_ABOVE (2,000) places in the box come one by one; more are counted per grid "
                "cell at `zoom`, and a cell with one place is that place. page and per_page are ignored."),
            "/search": _operation(
                "search", "Ranked search with snippets and facets", FILTERS + PAGING + [SORT],
                {"200": _ok("SearchResult", "Ranked hits"), **ERRORS}, "q is required."),
            "/suggest": _operation(
                "suggest", "Search-as-you-type suggestions", [_param("q", STRING, "What was typed so far")],
                {"200": _ok("Suggestions", "Up to ten suggestions"), "429": ERRORS["429"]}),
            "/openapi.json": _operation("openapi", "This document", [], {
                "200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}},
                "429": ERRORS["429"]}),
            "/docs": _operation("docs", "This document as a readable page", [], {
                "200": {"description": "HTML", "content": {"text/html": {"schema": STRING}}}, "429": ERRORS["429"]}),
        },
        "components": {"schemas": SCHEMAS},
    }


def openapi_document() -> dict:
    """A copy, so a caller can never change the cached document."""
    return deepcopy(_document())
