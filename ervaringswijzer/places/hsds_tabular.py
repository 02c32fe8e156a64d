"""HSDS 3.0 in its tabular form: a zip data package of CSV files and datapackage.json, both ways.

Writing takes one pass over the services: each table goes to its own temporary file, which are
then put into the zip in a fixed order with a fixed date, so the same data gives the same bytes.
Reading is guarded against zip bombs: sizes are checked before anything is unpacked, and what is
unpacked is counted while it is read, never trusted from the zip's own headers alone.
"""
from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from collections import defaultdict
from typing import IO, Iterable

from .hsds import TAXONOMY, taxonomy_terms

TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "organization": ("organizations.csv", ("id", "name", "alternate_name", "description", "email", "website")),
    "service": ("services.csv", ("id", "organization_id", "name", "description", "url", "email", "status",
                                 "assured_date")),
    "service_at_location": ("service_at_location.csv", ("id", "service_id", "location_id", "description")),
    "location": ("locations.csv", ("id", "location_type", "organization_id", "name", "latitude", "longitude")),
    "address": ("addresses.csv", ("id", "location_id", "address_1", "city", "region", "state_province",
                                  "postal_code", "country", "address_type")),
    "phone": ("phones.csv", ("id", "location_id", "service_id", "number", "type")),
    "contact": ("contacts.csv", ("id", "service_id", "name", "title")),
    "schedule": ("schedules.csv", ("id", "service_id", "location_id", "service_at_location_id", "freq", "interval",
                                   "byday", "wkst", "opens_at", "closes_at", "description", "notes")),
    "language": ("languages.csv", ("id", "service_id", "location_id", "code")),
    "accessibility": ("accessibility.csv", ("id", "location_id", "description")),
    "attribute": ("attributes.csv", ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value")),
    "taxonomy": ("taxonomies.csv", ("id", "name", "description", "uri", "version")),
    "taxonomy_term": ("taxonomy_terms.csv", ("id", "code", "name", "description", "taxonomy", "taxonomy_id")),
}
NUMBERS = {"latitude", "longitude", "interval"}
# Machine-read files: only what a spreadsheet would run is neutralised ('+31 ...' stays a phone number).
_LIVE = ("=", "@", "\t", "\r")
FIXED_DATE = (2000, 1, 1, 0, 0, 0)


class PackageError(ValueError):
    def __init__(self, field: str, message: str, line: int = 0):
        super().__init__(message)
        self.field, self.message, self.line = field, message, line


def _cell(value) -> str:
    if value is None:
        return ""
    text = repr(value) if isinstance(value, float) else str(value)
    return "'" + text if text.startswith(_LIVE) else text


def service_rows(service: dict) -> dict[str, list[dict]]:
    """The rows one full service adds to each table."""
    rows: dict[str, list[dict]] = defaultdict(list)
    rows["organization"].append(service["organization"])
    rows["service"].append(service)
    rows["phone"] += service.get("phones", [])
    rows["contact"] += service.get("contacts", [])
    rows["schedule"] += service.get("schedules", [])
    rows["language"] += service.get("languages", [])
    rows["attribute"] += service.get("attributes", [])
    for sal in service.get("service_at_locations", []):
        rows["service_at_location"].append(sal)
        location = dict(sal["location"], organization_id=service["organization_id"])
        rows["location"].append(location)
        rows["address"] += location.get("addresses", [])
        rows["accessibility"] += location.get("accessibility", [])
    return rows


def write_package(services: Iterable[dict], out: IO[bytes]) -> int:
    """Write the zip data package for services to a binary file; returns how many services."""
    files = {name: tempfile.TemporaryFile("w+", encoding="utf-8", newline="") for name in TABLES}
    try:
        writers = {name: csv.writer(f, lineterminator="\r\n") for name, f in files.items()}
        for name, (_path, columns) in TABLES.items():
            writers[name].writerow(columns)
        writers["taxonomy"].writerow([_cell(TAXONOMY.get(c)) for c in TABLES["taxonomy"][1]])
        for term in taxonomy_terms():
            writers["taxonomy_term"].writerow([_cell(term.get(c)) for c in TABLES["taxonomy_term"][1]])
        count = 0
        for service in services:
            count += 1
            for name, rows in service_rows(service).items():
                columns = TABLES[name][1]
                for row in rows:
                    writers[name].writerow([_cell(row.get(c)) for c in columns])
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(zipfile.ZipInfo("datapackage.json", FIXED_DATE), _datapackage(), zipfile.ZIP_DEFLATED)
            for name, (path, _columns) in TABLES.items():
                files[name].seek(0)
                with zf.open(_info(path), "w") as target:
                    while chunk := files[name].read(65536):
                        target.write(chunk.encode("utf-8"))
        return count
    finally:
        for f in files.values():
            f.close()


def _info(path: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, FIXED_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _datapackage() -> str:
    resources = [{"name": name, "path": path, "profile": "tabular-data-resource", "format": "csv",
                  "mediatype": "text/csv", "encoding": "utf-8",
                  "schema": {"fields": [{"name": c, "type": "number" if c in NUMBERS else "string"}
                                        for c in columns], "primaryKey": "id"}}
                 for name, (path, columns) in TABLES.items()]
    return json.dumps({"name": "ervaringswijzer-hsds", "profile": "tabular-data-package",
                       "title": "Ervaringswijzer places in HSDS 3.0", "resources": resources},
                      ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------------------
# Reading a package
# ---------------------------------------------------------------------------------------------------------

MAX_FILES = 100
MAX_RATIO = 200  # a CSV compresses well, but not a thousandfold


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """The member's bytes, stopping as soon as more comes out than the budget (a lying header)."""
    out = io.BytesIO()
    with zf.open(info) as source:
        while chunk := source.read(65536):
            out.write(chunk)
            if out.tell() > budget:
                raise PackageError(info.filename, "pakt uit tot meer dan er mag; dit lijkt een zip-bom")
    return out.getvalue()


def read_package(data: bytes, max_bytes: int) -> tuple[dict[str, list[dict]], dict[str, str]]:
    """({table: [row dicts]}, {table: file name}) from a zip data package. Raises PackageError."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, ValueError) as exc:
        raise PackageError("bestand", f"dit is geen leesbaar zip-bestand ({exc})") from None
    if len(infos) > MAX_FILES:
        raise PackageError("bestand", f"het zip-bestand bevat {len(infos)} bestanden; hoogstens {MAX_FILES}")
    declared = sum(i.file_size for i in infos)
    if declared > max_bytes:
        raise PackageError("bestand", f"uitgepakt is het {declared // 1_000_000} MB; hoogstens "
                                      f"{max_bytes // 1_000_000} MB. Dit lijkt een zip-bom")
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            raise PackageError(info.filename, "is meer dan 200 keer samengeperst; dit lijkt een zip-bom")
    by_name = {path: name for name, (path, _c) in TABLES.items()}
    tables: dict[str, list[dict]] = {}
    names: dict[str, str] = {}
    budget = max_bytes
    for info in infos:
        base = info.filename.rsplit("/", 1)[-1]
        if base not in by_name:
            continue
        raw = _read_member(zf, info, budget)
        budget -= len(raw)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[:exc.start].count(b"\n") + 1
            raise PackageError(base, "is geen UTF-8; sla het op als UTF-8", line) from None
        try:
            tables[by_name[base]] = [
                {k: _unquote(v) for k, v in row.items() if k is not None}
                for row in csv.DictReader(io.StringIO(text, newline=""))]
        except csv.Error as exc:
            raise PackageError(base, f"is geen geldige CSV ({exc})") from None
        names[by_name[base]] = base
    if "service" not in tables:
        raise PackageError("bestand", "services.csv ontbreekt in het zip-bestand")
    return tables, names


def _unquote(value):
    if isinstance(value, str) and value.startswith("'") and value[1:2] and value[1] in _LIVE:
        return value[1:]
    if isinstance(value, str) and value.startswith(("=", "@")):
        raise PackageError("cel", "begint met = of @ en zou in een rekenblad als formule werken")
    return value


def nest_services(tables: dict[str, list[dict]]) -> tuple[list[tuple[int, dict]], dict[str, str]]:
    """[(line in services.csv, full service dict)] joined from the tables, and {term id: code}."""
    def by(table: str, key: str) -> dict[str, list[dict]]:
        index: dict[str, list[dict]] = defaultdict(list)
        for row in tables.get(table, []):
            if row.get(key):
                index[row[key]].append(row)
        return index

    organizations = {row.get("id"): row for row in tables.get("organization", [])}
    locations = {row.get("id"): row for row in tables.get("location", [])}
    sal_by_service, addresses = by("service_at_location", "service_id"), by("address", "location_id")
    phones_s, phones_l = by("phone", "service_id"), by("phone", "location_id")
    schedules_s, schedules_l = by("schedule", "service_id"), by("schedule", "location_id")
    schedules_sal = by("schedule", "service_at_location_id")
    contacts, languages = by("contact", "service_id"), by("language", "service_id")
    accessibility, attributes = by("accessibility", "location_id"), by("attribute", "link_id")
    terms = {row.get("id"): row.get("code") for row in tables.get("taxonomy_term", []) if row.get("id")}
    services = []
    for line, row in enumerate(tables["service"], start=2):
        sid = row.get("id") or ""
        sals = []
        for sal in sal_by_service.get(sid, []):
            location = dict(locations.get(sal.get("location_id")) or {})
            if location:
                lid = location.get("id")
                location.update(addresses=addresses.get(lid, []), phones=phones_l.get(lid, []),
                                schedules=[s for s in schedules_l.get(lid, []) if not s.get("service_id")],
                                accessibility=accessibility.get(lid, []))
            sals.append(dict(sal, location=location,
                             schedules=[s for s in schedules_sal.get(sal.get("id"), []) if not s.get("service_id")]))
        services.append((line, dict(row, organization=organizations.get(row.get("organization_id")) or {},
                                    phones=phones_s.get(sid, []), schedules=schedules_s.get(sid, []),
                                    contacts=contacts.get(sid, []), languages=languages.get(sid, []),
                                    attributes=attributes.get(sid, []), service_at_locations=sals)))
    return services, terms
