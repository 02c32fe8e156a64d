"""Going along the first time: per place on a shared map, the worker's note, the day they go along (or an
expert by experience does, through a meegaan request), a follow-up day, and the reminder the day before."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.audit import record
from ..core.time import today
from ..experts.guard import identity_problem
from ..experts.services import IDENTITY_MESSAGES, file_request
from ..extensions import db
from ..reviews.sanitize import plain_text
from .shared import SharedMap, SharedMapItem

log = logging.getLogger(__name__)

WORKER_NOTE_MAX = 500


@dataclass
class Plan:
    note: str = ""
    going_along_on: date | None = None
    expert_along: bool = False
    follow_up_on: date | None = None
    client_initial: str = ""
    language: str = "nl"


def save_plan(item: SharedMapItem, worker, plan: Plan) -> dict:
    """Store the plan for one place. 'Een ervaringsdeskundige gaat mee' files one meegaan request."""
    errors: dict = {}
    note = plain_text(plan.note)  # shown to the client on the shared map: text only
    if len(note) > WORKER_NOTE_MAX:
        errors["note"] = _l("Dit is te lang (hoogstens %(limit)d tekens).", limit=WORKER_NOTE_MAX)
    elif identity_problem(note):
        errors["note"] = IDENTITY_MESSAGES[identity_problem(note)]
    for key in ("going_along_on", "follow_up_on"):
        day = getattr(plan, key)
        if day is not None and day < today():
            errors[key] = _l("Kies een datum vanaf vandaag, of laat het leeg.")
    request = None
    if plan.expert_along and item.expert_request_id is None and not errors:
        request, request_errors = file_request(worker, {
            "kind": "meegaan", "topic": str(_l("Meegaan naar %(place)s", place=item.place.name)),
            "place_text": item.place.name, "wanted_on": plan.going_along_on, "language": plan.language,
            "client_initial": plan.client_initial}, place_id=item.place_id)
        errors.update(request_errors)
    if errors:
        return errors
    item.worker_note, item.going_along_on, item.follow_up_on = note, plan.going_along_on, plan.follow_up_on
    if request is not None:
        item.expert_request_id = request.id
    if plan.follow_up_on != item.follow_up_reminded_on:
        item.follow_up_reminded_on = None
    db.session.flush()
    return {}


@dataclass
class Coming:
    shared_map: SharedMap
    item: SharedMapItem
    what: str  # going_along | follow_up
    day: date


def coming_for(owner_id: int, days: int = 30) -> list[Coming]:
    """Visits in the coming days and follow-ups that are due (or overdue), soonest first."""
    start = today()
    rows = db.session.execute(sa.select(SharedMap, SharedMapItem).join(SharedMapItem).where(
        SharedMap.owner_id == owner_id,
        sa.or_(SharedMapItem.going_along_on.between(start, start + timedelta(days=days)),
               SharedMapItem.follow_up_on <= start + timedelta(days=days))))
    found = []
    for shared, item in rows:
        if item.going_along_on and start <= item.going_along_on <= start + timedelta(days=days):
            found.append(Coming(shared, item, "going_along", item.going_along_on))
        if item.follow_up_on and item.follow_up_on <= start + timedelta(days=days):
            found.append(Coming(shared, item, "follow_up", item.follow_up_on))
    return sorted(found, key=lambda c: (c.day, c.shared_map.id, c.item.position))


def due_reminders(on: date) -> list[tuple[SharedMap, SharedMapItem]]:
    """Follow-ups on the day after `on` that were not reminded of yet."""
    rows = db.session.execute(sa.select(SharedMap, SharedMapItem).join(SharedMapItem).where(
        SharedMapItem.follow_up_on == on + timedelta(days=1),
        sa.or_(SharedMapItem.follow_up_reminded_on.is_(None),
               SharedMapItem.follow_up_reminded_on != SharedMapItem.follow_up_on)))
    return [(shared, item) for shared, item in rows]


def mark_reminded(item: SharedMapItem) -> bool:
    """Claim the reminder once, also when two machines run the command at the same minute."""
    claimed = db.session.execute(sa.update(SharedMapItem).where(
        SharedMapItem.shared_map_id == item.shared_map_id, SharedMapItem.place_id == item.place_id,
        sa.or_(SharedMapItem.follow_up_reminded_on.is_(None),
               SharedMapItem.follow_up_reminded_on != SharedMapItem.follow_up_on))
        .values(follow_up_reminded_on=item.follow_up_on)).rowcount
    if claimed:
        record(None, "shared_map.follow_up_reminder", "shared_map", item.shared_map_id, place=item.place_id)
    return bool(claimed)
