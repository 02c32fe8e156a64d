"""Import and export of places in the PLACE shape."""
import json

import sqlalchemy as sa
from click.testing import CliRunner

from ervaringswijzer.extensions import db
from ervaringswijzer.places.models import Place
from ervaringswijzer.places.transfer import import_places, read_rows

GOOD = {"name": "Repair Café Lombok", "categories": ["repair_reuse"],
        "address": {"street": "Kanaalstraat 100", "postcode": "3531 CL", "city": "Utrecht", "wijk": "Lombok"},
        "location": {"lat": 52.0915, "lon": 5.1003}, "opening_hours": "Sa[1] 10:00-13:00",
        "id": 999, "open_now": True, "rating": {"count": 9}, "url": "http://elsewhere"}


def place_count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Place))


def test_json_list_rows_carry_their_line_numbers():
    """Each element of a pretty-printed list is reported at the line where it starts."""
    text = '[\n  {"name": "a"},\n\n  {\n    "name": "b"\n  }\n]\n'
    rows, errors = read_rows(text)
    assert errors == []
    assert [(line, row["name"]) for line, row in rows] == [(2, "a"), (4, "b")]


def test_good_file_is_stored_and_computed_fields_ignored(ctx):
    """A good JSON-lines file is stored; id/open_now/rating/url from the file are ignored."""
    result = import_places(json.dumps(GOOD) + "\n")
    db.session.commit()
    assert (result.created, result.updated, result.errors) == (1, 0, [])
    place = db.session.scalar(sa.select(Place))
    assert place.id != 999 and place.name == "Repair Café Lombok"
    assert (place.lat, place.lon, place.location_status) == (52.0915, 5.1003, "manual")
    assert place.status == "published"


def test_file_with_bad_rows_stores_nothing(ctx):
    """Every bad row is reported with its line number, and nothing is stored."""
    lines = [json.dumps(GOOD), "{not json", json.dumps({**GOOD, "name": "x", "categories": ["bar"]}),
             json.dumps({**GOOD, "opening_hours": "Mo-Fx 10:00-12:00"})]
    result = import_places("\n".join(lines))
    db.session.commit()
    assert [e.line for e in result.errors] == [2, 3, 4]
    assert "bar" in result.errors[1].message and "opening_hours" in result.errors[2].message
    assert result.created == 0 and place_count() == 0


def test_cli_refuses_bad_file_and_skip_bad_keeps_good_rows(app, tmp_path):
    """import-places stores nothing from a bad file, and only the good rows with --skip-bad."""
    path = tmp_path / "places.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + json.dumps({"name": ""}) + "\n", encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import-places", str(path)])
    assert result.exit_code != 0
    assert "places.jsonl:2" in result.output and "niets opgeslagen" in result.output
    with app.app_context():
        assert place_count() == 0
    result = runner.invoke(args=["import-places", "--skip-bad", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalars(sa.select(Place.name)).all() == ["Repair Café Lombok"]


def test_export_then_import_round_trips_every_field(demo_app, tmp_path):
    """Exporting the demo data and importing it into an empty database gives the same export."""
    first = tmp_path / "first.json"
    runner = demo_app.test_cli_runner()
    assert runner.invoke(args=["export-places", str(first)]).exit_code == 0
    exported = json.loads(first.read_text(encoding="utf-8"))
    assert len(exported) >= 80
    with demo_app.app_context():
        for place in db.session.scalars(sa.select(Place)):
            db.session.delete(place)
        db.session.commit()
        result = import_places(first.read_text(encoding="utf-8"))
        assert result.errors == []
        db.session.commit()
    second = tmp_path / "second.json"
    assert runner.invoke(args=["export-places", str(second)]).exit_code == 0
    assert json.loads(second.read_text(encoding="utf-8")) == exported


def test_demo_file_imports_cleanly(demo_app):
    """The demo data covers every category and includes unknown and past-midnight hours."""
    from ervaringswijzer.places.categories import CATEGORY_KEYS
    with demo_app.app_context():
        places = db.session.scalars(sa.select(Place)).all()
        assert len(places) >= 80
        assert {k for p in places for k in p.categories} == set(CATEGORY_KEYS)
        assert any(p.opening_hours is None for p in places)
        assert all(p.has_location for p in places)
