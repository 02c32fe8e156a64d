"""Every export format: its shape, the HSDS schemas, and export -> import -> export giving the same bytes."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.places.exporting import FORMATS
from ervaringswijzer.places.import_plan import plan_import
from ervaringswijzer.places.importing import read_rows
from ervaringswijzer.places.models import Place
from tests.places.hsds_examples import HSDS, example_package



def _export(app, tmp_path: Path, fmt: str, name: str, *extra: str) -> bytes:
    path = tmp_path / f"{name}.{fmt}"
    result = app.test_cli_runner().invoke(args=["export-places", str(path), "--format", fmt, *extra])
    assert result.exit_code == 0, result.output
    return path.read_bytes()


def _empty(app) -> None:
    with app.app_context():
        for place in db.session.scalars(sa.select(Place)):
            db.session.delete(place)
        db.session.commit()


def test_every_format_round_trips_identically(demo_app, tmp_path):
    """For each format: export the demo data, import it into an empty database, export again: same bytes."""
    runner = demo_app.test_cli_runner()
    firsts = {fmt: _export(demo_app, tmp_path, fmt, "first") for fmt in FORMATS}
    for fmt in FORMATS:
        _empty(demo_app)
        result = runner.invoke(args=["import-places", str(tmp_path / f"first.{fmt}")])  # format detected
        assert result.exit_code == 0, (fmt, result.output)
        assert _export(demo_app, tmp_path, fmt, "second") == firsts[fmt], fmt
    # importing the same file again changes nothing
    result = runner.invoke(args=["import-places", str(tmp_path / "first.hsds-csv")])
    assert "0 plekken toegevoegd, 0 bijgewerkt" in result.output


def test_geojson_and_csv_shapes(demo_app, tmp_path):
    """GeoJSON is a FeatureCollection with [lon, lat] points and every field; CSV has a BOM, flags and hours."""
    collection = json.loads(_export(demo_app, tmp_path, "geojson", "out"))
    assert collection["type"] == "FeatureCollection"
    feature = next(f for f in collection["features"] if f["geometry"])
    lon, lat = feature["geometry"]["coordinates"]
    assert 3 < lon < 8 and 50 < lat < 54
    assert {"name", "slug", "categories", "flags", "first_visit", "opening_hours", "last_checked"} <= set(
        feature["properties"])
    raw = _export(demo_app, tmp_path, "csv", "out", "--semicolon")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == len(collection["features"])
    assert {"walk_in", "quiet_space", "opening_hours", "opening_hours_nl"} <= set(rows[0])
    with_hours = next(r for r in rows if r["opening_hours"].startswith("Mo"))
    assert with_hours["opening_hours_nl"].startswith("ma")
    assert {r["walk_in"] for r in rows} == {"ja", "nee"}


def _schema(name: str) -> dict:
    return json.loads((HSDS / name).read_text(encoding="utf-8"))


def test_hsds_json_validates_against_the_shared_schema(demo_app, tmp_path):
    """Every exported service validates against compiled/service_with_definitions.json."""
    services = json.loads(_export(demo_app, tmp_path, "hsds", "out"))
    validator = jsonschema.Draft7Validator(_schema("compiled/service_with_definitions.json"))
    for service in services:
        errors = sorted(validator.iter_errors(service), key=str)
        assert not errors, (service["name"], errors[:3])
    weekly = [s for service in services for s in service.get("schedules", []) if s.get("freq") == "WEEKLY"]
    assert weekly and all(s["notes"].startswith("OpenStreetMap opening_hours: ") for s in weekly)
    codes = {a["taxonomy_term"]["code"] for a in services[0]["attributes"]}
    assert {"slug", "status", "flag:walk_in", "flag:quiet_space"} <= codes


def _typed(value: str, spec: dict):
    kind = spec.get("type")
    if kind == "number":
        return float(value)
    if kind == "integer":
        return int(value)
    return value


def test_hsds_package_validates_against_tabular_schema(demo_app, tmp_path):
    """The zip holds datapackage.json and CSVs whose rows validate against compiled/tabular.json."""
    raw = _export(demo_app, tmp_path, "hsds-csv", "out")
    tabular = _schema("compiled/tabular.json")
    by_path = {spec["items"]["path"]: name for name, spec in tabular["properties"].items()}
    document = {}
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        package = json.loads(zf.read("datapackage.json"))
        assert {r["path"] for r in package["resources"]} <= set(by_path)
        for resource in package["resources"]:
            name = by_path[resource["path"]]
            fields = tabular["properties"][name]["items"]["properties"]
            text = zf.read(resource["path"]).decode("utf-8")
            # an empty cell is an absent value, except in a plain text column (state_province is required)
            document[name] = [{k: _typed(v, fields[k]) for k, v in row.items()
                               if v != "" or (fields[k].get("type") == "string" and "enum" not in fields[k]
                                              and "format" not in fields[k])}
                              for row in csv.DictReader(io.StringIO(text))]
    assert len(document["service"]) >= 80 and document["taxonomy_term"]
    jsonschema.Draft7Validator(tabular).validate(document)


@pytest.mark.parametrize("example", ["examples/service_full.json", "examples/service_list.json",
                                     "examples/organization_full.json"])
def test_hsds_json_examples_import(app, example):
    """The specification's own JSON examples import, saying what did not fit (foreign postcode, schedules)."""
    with app.app_context():
        fmt, rows = read_rows((HSDS / example).read_bytes())
        assert fmt == "hsds"
        plan = plan_import(fmt, rows)
        assert not plan.refused, [str(p) for p in plan.problems]
        assert plan.count("new") >= 1
        assert "categories" in {p.field for p in plan.problems}  # no category of ours: help_advice, said so


def test_hsds_csv_example_package_imports_and_repeats_as_update(app, tmp_path):
    """The example data package imports; its schedule text is kept; importing it again changes nothing."""
    path = tmp_path / "example.zip"
    path.write_bytes(example_package())
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["import-places", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "1 nieuw" in dry.output and "Niets opgeslagen" in dry.output
    assert runner.invoke(args=["import-places", str(path)]).exit_code == 0
    again = runner.invoke(args=["import-places", str(path)])
    assert "0 plekken toegevoegd, 0 bijgewerkt, 1 ongewijzigd" in again.output, again.output
    with app.app_context():
        place = db.session.scalar(sa.select(Place))
        assert place.name == "Community Counselling" and place.source == "hsds"
        assert place.source_id == "ac148810-d857-441c-9679-408f346de14b"
        assert place.opening_hours is None and "10 am to 6pm" in place.opening_hours_note
        assert place.lat is None  # the example's latitude 100 is out of range
        slug = place.slug
    page = app.test_client().get(f"/plek/{slug}").get_data(as_text=True)
    assert "Wat de bron over de tijden zegt" in page and "10 am to 6pm" in page


def test_export_format_follows_the_file_suffix(demo_app, tmp_path):
    """export-places out.geojson / out.csv / out.zip writes that format without --format."""
    runner = demo_app.test_cli_runner()
    for name, start in (("out.geojson", b'{"type": "FeatureCollection"'), ("out.csv", b"\xef\xbb\xbfslug,"),
                        ("out.zip", b"PK\x03\x04"), ("out.json", b"[\n  {")):
        assert runner.invoke(args=["export-places", str(tmp_path / name)]).exit_code == 0
        assert (tmp_path / name).read_bytes().startswith(start), name
