"""Plan an import row by row, then apply it: new / changed (with a diff) / unchanged / refused.

Planning reads the database and writes nothing. Nothing is written until `apply_plan`, which adds
and flushes every row in the caller's one transaction (the caller commits once).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..extensions import db
from .importing import Problem, Row
from .models import Place
from .services import apply_place_data, place_snapshot, record_change, unique_slug, validate_place_data

_HTML = re.compile(r"<\s*[a-zA-Z/!?]|javascript:", re.IGNORECASE)
NEW, CHANGED, UNCHANGED, REFUSED = "new", "changed", "unchanged", "refused"


@dataclass
class RowPlan:
    where: str
    line: int
    kind: str
    name: str
    clean: dict = field(default_factory=dict)
    diff: dict[str, tuple] = field(default_factory=dict)
    messages: list[Problem] = field(default_factory=list)
    place_id: int | None = None
    source: str | None = None
    source_id: str | None = None


@dataclass
class ImportPlan:
    fmt: str
    source: str
    rows: list[RowPlan]

    def count(self, kind: str) -> int:
        return sum(1 for r in self.rows if r.kind == kind)

    @property
    def refused(self) -> list[RowPlan]:
        return [r for r in self.rows if r.kind == REFUSED]

    @property
    def problems(self) -> list[Problem]:
        return [m for r in self.rows for m in r.messages]

    def summary(self) -> str:
        return (f"{self.count(NEW)} nieuw, {self.count(CHANGED)} gewijzigd, {self.count(UNCHANGED)} ongewijzigd, "
                f"{self.count(REFUSED)} geweigerd")


def _html_warnings(clean: dict) -> list[tuple[str, str]]:
    return [(key, "bevat HTML- of scriptcode; die wordt als gewone tekst getoond en nooit uitgevoerd")
            for key, value in clean.items() if isinstance(value, str) and _HTML.search(value)]


def _stored(place: Place, key: str):
    value = getattr(place, key)
    return value.isoformat() if hasattr(value, "isoformat") else value


def _diff(place: Place, clean: dict) -> dict[str, tuple]:
    diff = {}
    for key, new in clean.items():
        if key in ("slug", "source", "source_id"):
            continue
        old = list(place.categories) if key == "categories" else _stored(place, key)
        new = new.isoformat() if hasattr(new, "isoformat") else new
        if old != new and not (old in (None, "") and new in (None, "")):
            diff[key] = (old, new)
    return diff


def _find(source: str | None, source_id: str | None, slug: str | None) -> tuple[Place | None, bool]:
    """(stored place, matched by source) for a row: its external id first, then its slug."""
    if source and source_id:
        place = db.session.scalar(sa.select(Place).where(Place.source == source, Place.source_id == source_id))
        if place is not None:
            return place, True
    if slug:
        return db.session.scalar(sa.select(Place).where(Place.slug == slug)), False
    return None, False


def plan_import(fmt: str, rows: list[Row], source: str | None = None) -> ImportPlan:
    """What importing these rows would do, row by row; reads the database, writes nothing."""
    source = source or ("hsds" if fmt.startswith("hsds") else fmt)
    plan = ImportPlan(fmt, source, [])
    seen: dict[tuple, str] = {}
    for row in rows:
        name = str(row.data.get("name") or "")[:200] if isinstance(row.data, dict) else ""
        item = RowPlan(row.where, row.line, REFUSED, name)
        plan.rows.append(item)
        if row.error:
            item.messages.append(Problem(row.where, *row.error))
            continue
        clean, errors = validate_place_data(row.data)
        if errors:
            item.messages += [Problem(row.where, k, v) for k, v in errors.items()]
            continue
        item.source = clean.pop("source", None) or (source if clean.get("source_id") else None)
        item.source_id = clean.pop("source_id", None)
        keys = [k for k in (("id", item.source, item.source_id) if item.source_id else None,
                            ("slug", clean.get("slug")) if clean.get("slug") else None) if k]
        twin = next((seen[k] for k in keys if k in seen), None)
        if twin:
            item.messages.append(Problem(row.where, "id" if keys[0][0] == "id" else "slug",
                                         f"dezelfde plek staat al op {twin}; een plek komt maar één keer in een bestand"))
            continue
        seen.update({k: row.where for k in keys})
        item.messages += [Problem(row.where, f, m) for f, m in row.warnings + _html_warnings(clean)]
        place, _by_source = _find(item.source, item.source_id, clean.get("slug"))
        item.clean = clean
        if place is None:
            item.kind = NEW
        else:
            item.place_id = place.id
            item.diff = _diff(place, clean)
            item.kind = CHANGED if item.diff else UNCHANGED
    return plan


def apply_plan(plan: ImportPlan, skip_refused: bool = False) -> tuple[int, int]:
    """Write the planned rows (add and flush; the caller commits once). Returns (created, updated).

    Refuses a plan with refused rows unless skip_refused: an import is whole or not at all.
    """
    if plan.refused and not skip_refused:
        raise ValueError("plan has refused rows")
    created = updated = 0
    for item in plan.rows:
        if item.kind not in (NEW, CHANGED):
            continue
        if item.kind == NEW:
            place = Place(slug=item.clean.get("slug") or unique_slug(item.clean["name"], item.clean["city"]),
                          source=item.source if item.source_id else None, source_id=item.source_id)
            db.session.add(place)
            before = {}
        else:
            place = db.session.get(Place, item.place_id)
            before = place_snapshot(place)
        apply_place_data(place, item.clean)
        db.session.flush()
        record_change(place, None, "created" if item.kind == NEW else "updated", before)
        created += item.kind == NEW
        updated += item.kind == CHANGED
    return created, updated
