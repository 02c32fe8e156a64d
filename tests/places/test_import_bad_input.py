"""Hostile and broken import files: each gets a plain Dutch message naming row and field, and nothing is half-imported."""
from __future__ import annotations

import io
import json
import zipfile
import zlib

import pytest
import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.places.import_plan import plan_import
from ervaringswijzer.places.importing import ImportFileError, read_rows
from ervaringswijzer.places.models import Place

GOOD = {"name": "Inloop De Brug", "categories": ["walk_in_centre"], "address": {"city": "Utrecht"}}
CSV_HEAD = "name;categories;city;lat;lon;id\r\n"


def plan(data: bytes, fmt=None):
    fmt, rows = read_rows(data, fmt)
    return plan_import(fmt, rows)


def refusals(p) -> list[tuple[str, str]]:
    return [(m.where, m.field) for r in p.refused for m in r.messages]


def file_error(data: bytes, fmt=None) -> str:
    with pytest.raises(ImportFileError) as caught:
        read_rows(data, fmt)
    return str(caught.value.problem)


def test_broken_json_names_the_line(ctx):
    """A broken list stops at its line; broken JSON lines refuse that line only."""
    p = plan(b'[\n {"name": "a", "categories": ["sport"]},\n {"name": \n')
    assert refusals(p) == [("regel 4", "JSON")] and p.count("new") == 1  # the end of the text
    lines = [json.dumps(GOOD), '{"name": "kapot"', json.dumps(dict(GOOD, name="Drie"))]
    p = plan("\n".join(lines).encode())
    assert refusals(p) == [("regel 2", "JSON")] and p.count("new") == 2
    assert "regel 1" in file_error(b'{"type": "FeatureCollection", "features": [}', "geojson")


def test_broken_csv_rows(ctx):
    """Extra cells and live formulas are refused per row and column; a row of NULs is an encoding message."""
    text = CSV_HEAD + "Goed;sport;Utrecht;;;\r\nTe veel;sport;Utrecht;;;;x;y\r\n=HYPERLINK(\"http://x\");sport;U;;;\r\n"
    p = plan(text.encode())
    assert refusals(p) == [("regel 3", "kolommen"), ("regel 4", "name")]
    assert "formule" in p.refused[1].messages[0].message
    assert "nul-tekens" in file_error(b"name,city\n\x00\x00\n", "csv")


def test_wrong_encodings_and_boms(ctx):
    """Windows-1252 is refused with its line; UTF-8 and UTF-16 with a byte order mark are read."""
    latin = (CSV_HEAD + "Caf\u00e9 Sport;sport;Utrecht;;;\r\n").encode("cp1252")
    assert file_error(latin).startswith("regel 2, bestand: dit bestand is geen UTF-8")
    for encoded in ((CSV_HEAD + "Caf\u00e9;sport;Utrecht;;;\r\n").encode("utf-8-sig"),
                    (CSV_HEAD + "Caf\u00e9;sport;Utrecht;;;\r\n").encode("utf-16"),
                    ("\ufeff" + json.dumps([dict(GOOD, name="Caf\u00e9")])).encode("utf-8")):
        p = plan(encoded)
        assert p.count("new") == 1 and p.rows[0].name == "Caf\u00e9", encoded[:10]


def test_formulas_are_neutralised_on_export_and_restored_on_import(app, make_place, tmp_path):
    """A name that starts with = leaves as '=..., so spreadsheets show text; it comes back unchanged."""
    make_place(name="=HYPERLINK(\"http://x\",\"klik\")", categories=["sport"], contact={"phone": "+31 30 123 45 67"})
    path = tmp_path / "out.csv"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["export-places", str(path), "--format", "csv"]).exit_code == 0
    text = path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'+31 30" in text
    with app.app_context():
        p = plan(path.read_bytes())
        assert p.count("unchanged") == 1, [str(m) for m in p.problems]


def test_coordinates_out_of_range(ctx):
    """Out-of-range coordinates refuse the row in our formats (HSDS leaves the pin out and says so)."""
    assert refusals(plan(json.dumps([dict(GOOD, location={"lat": 91, "lon": 5})], indent=1).encode())) == [("regel 2", "location")]
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [200, 52]}, "properties": GOOD}
    geo = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    assert refusals(plan(geo)) == [("regel 1", "location")]  # one feature a line
    assert refusals(plan((CSV_HEAD + "X;sport;Utrecht;-95;5;\r\n").encode())) == [("regel 2", "location")]


def test_duplicate_ids_in_one_file(ctx):
    """The same slug or the same source id twice in one file: the second is refused, naming the first."""
    p = plan(json.dumps([dict(GOOD, slug="brug"), dict(GOOD, slug="brug")], indent=1).encode())
    assert refusals(p) == [("regel 12", "slug")] and "regel 2" in p.refused[0].messages[0].message
    one_line = plan(json.dumps([GOOD, dict(GOOD, location={"lat": 91, "lon": 5})]).encode())
    assert refusals(one_line) == [("plek 2 (regel 1)", "location")]
    p = plan((CSV_HEAD + "A;sport;U;;;7\r\nB;sport;U;;;7\r\n").encode())
    assert refusals(p) == [("regel 3", "id")]


def _bomb(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("services.csv", "w") as target:
            chunk = b"0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                target.write(chunk)
    return out.getvalue()


def _spoil_data(package: bytes) -> bytes:
    """The package with its compressed data overwritten, its directory intact: unpacking it fails."""
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        info = zf.infolist()[0]
    header = package[info.header_offset:info.header_offset + 30]
    start = info.header_offset + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
    return package[:start] + b"\xff" * 4096 + package[start + 4096:]


def test_zip_bomb_is_refused_before_unpacking(ctx):
    """A package that unpacks far beyond the limit is refused from its directory alone: with its data
    spoilt (unpacking would fail with another error) it is still refused as a zip bomb."""
    bomb = _bomb(64 * 1024 * 1024)
    assert len(bomb) < 200_000
    with pytest.raises(ImportFileError) as caught:
        read_rows(_spoil_data(bomb), None, max_bytes=20_000_000)
    assert "zip-bom" in str(caught.value)
    with pytest.raises((zipfile.BadZipFile, zlib.error)):  # the spoilt data really cannot be unpacked
        with zipfile.ZipFile(io.BytesIO(_spoil_data(bomb))) as zf:
            zf.read("services.csv")
    small = _bomb(2 * 1024 * 1024)  # under the size limit, but compressed a thousandfold
    with pytest.raises(ImportFileError) as caught:
        read_rows(small, None, max_bytes=20_000_000)
    assert "zip-bom" in str(caught.value)


def test_200_mb_file_refused_by_its_size(app, tmp_path):
    """import-places looks at the size first: a 200 MB (sparse) file is refused without reading it."""
    path = tmp_path / "groot.json"
    with path.open("wb") as f:
        f.truncate(200 * 1024 * 1024)
    result = app.test_cli_runner().invoke(args=["import-places", str(path)])
    assert result.exit_code != 0 and "het bestand is 209 MB; hoogstens 20 MB" in result.output


def test_nothing_half_imported_from_the_command_line(app, tmp_path):
    """One bad row in a CSV: the good rows are not stored either."""
    path = tmp_path / "plekken.csv"
    path.write_text(CSV_HEAD + "Goed;sport;Utrecht;;;\r\nFout;bestaat_niet;Utrecht;;;\r\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-places", str(path)])
    assert result.exit_code != 0 and "plekken.csv:3: categories: onbekende categorie: bestaat_niet" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Place)) == 0
