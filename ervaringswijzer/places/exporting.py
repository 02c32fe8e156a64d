"""Export places as JSON, GeoJSON, CSV, HSDS JSON or an HSDS data package, streamed in constant memory.

Places are read in keyset pages of BATCH rows (ordered by id) and let go of after each page, so
100,000 places cost no more memory than 500. Each writer is a generator of text (or, for the zip,
writes to a binary file), so the command line writes to a file and the API streams the response.
"""
from __future__ import annotations

import json
from typing import IO, Callable, Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..extensions import db
from .filters import PlaceFilters, filtered_query, find_map_places, refined_in_python
from .hsds import place_to_service
from .hsds_tabular import write_package
from .models import Place
from .serialize import place_to_export
from .spreadsheet import csv_lines, place_row

FORMATS = ("json", "geojson", "csv", "hsds", "hsds-csv")
MEDIA_TYPES = {"json": "application/json", "geojson": "application/geo+json", "csv": "text/csv; charset=utf-8",
               "hsds": "application/json", "hsds-csv": "application/zip"}
EXTENSIONS = {"json": "json", "geojson": "geojson", "csv": "csv", "hsds": "hsds.json", "hsds-csv": "hsds.zip"}
BATCH = 500
BOM = "\ufeff"


def iter_places(filters: PlaceFilters | None = None, include_unpublished: bool = False) -> Iterator[Place]:
    """Every place to export, by id, one page of BATCH in memory at a time.

    Without filters every place (or every published one); with filters the published places the
    list page shows for them. Filters that SQL cannot decide (text, distance, open now) first
    find the matching ids with the list's own lean query, then load those in pages. The places are
    read in a session of their own that forgets each page after it is written, so the caller's
    session keeps nothing and letting go costs one call per page.
    """
    with Session(db.engine) as session:
        if filters is not None and refined_in_python(filters):
            ids = sorted(p.id for p in find_map_places(filters))
            for start in range(0, len(ids), BATCH):
                chunk = ids[start:start + BATCH]
                yield from _let_go(session, session.scalars(
                    sa.select(Place).where(Place.id.in_(chunk)).order_by(Place.id)).all())
            return
        query = filtered_query(filters) if filters is not None else sa.select(Place)
        if filters is None and not include_unpublished:
            query = query.where(Place.status == "published")
        last = 0
        while True:
            page = session.scalars(query.where(Place.id > last).order_by(Place.id).limit(BATCH)).all()
            if not page:
                return
            last = page[-1].id
            yield from _let_go(session, page)


def _let_go(session: Session, page: list[Place]) -> Iterator[Place]:
    yield from page
    page.clear()
    session.expunge_all()


def export_dicts(places: Iterable[Place]) -> Iterator[dict]:
    return (place_to_export(p) for p in places)


def json_chunks(items: Iterable[dict]) -> Iterator[str]:
    """A JSON list, pretty-printed exactly as json.dumps(items, indent=2) would print it."""
    first = True
    for item in items:
        yield ("[\n  " if first else ",\n  ") + json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        first = False
    yield "[]\n" if first else "\n]\n"


def jsonl_chunks(items: Iterable[dict]) -> Iterator[str]:
    """JSON lines: one place a line."""
    return (json.dumps(item, ensure_ascii=False) + "\n" for item in items)


def geojson_feature(data: dict) -> dict:
    location = data.get("location")
    properties = {k: v for k, v in data.items() if k != "location"}
    return {"type": "Feature", "id": data["slug"],
            "geometry": {"type": "Point", "coordinates": [location["lon"], location["lat"]]} if location else None,
            "properties": properties}


def geojson_chunks(items: Iterable[dict]) -> Iterator[str]:
    """An RFC 7946 FeatureCollection, one feature a line; places without a pin have geometry null."""
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for data in items:
        yield ("\n" if first else ",\n") + json.dumps(geojson_feature(data), ensure_ascii=False)
        first = False
    yield "\n]}\n"


def csv_chunks(items: Iterable[dict], delimiter: str = ",") -> Iterator[str]:
    """UTF-8 CSV with a byte order mark, so Excel reads the accents right."""
    yield BOM
    yield from csv_lines((place_row(d) for d in items), delimiter)


def hsds_chunks(items: Iterable[dict]) -> Iterator[str]:
    """A JSON list of HSDS services, one a line: compact JSON goes through the C encoder (indenting
    does not), about three times faster and half the size for services with many attributes."""
    first = True
    for data in items:
        yield ("[\n" if first else ",\n") + json.dumps(place_to_service(data), ensure_ascii=False)
        first = False
    yield "[]\n" if first else "\n]\n"


TEXT_WRITERS: dict[str, Callable[..., Iterator[str]]] = {
    "json": json_chunks, "jsonl": jsonl_chunks, "geojson": geojson_chunks, "csv": csv_chunks, "hsds": hsds_chunks}


def write_export(fmt: str, places: Iterable[Place], out: IO[bytes], delimiter: str = ",") -> int:
    """Write places in format fmt to a binary file; returns how many places."""
    count = 0

    def counted():
        nonlocal count
        for data in export_dicts(places):
            count += 1
            yield data
    if fmt == "hsds-csv":
        write_package((place_to_service(d) for d in counted()), out)
        return count
    chunks = csv_chunks(counted(), delimiter) if fmt == "csv" else TEXT_WRITERS[fmt](counted())
    for chunk in chunks:
        out.write(chunk.encode("utf-8"))
    return count
