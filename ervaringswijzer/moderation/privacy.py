"""What moderation stores about a member: the reports they made (the link is cut by the database on deletion)."""
from __future__ import annotations

import sqlalchemy as sa

from ..core.time import iso
from ..extensions import db
from .models import InfoReport, ReviewReport


def on_member_export(_sender, *, member) -> dict:
    review_reports = db.session.scalars(
        sa.select(ReviewReport).where(ReviewReport.reporter_id == member.id).order_by(ReviewReport.id))
    place_reports = db.session.scalars(
        sa.select(InfoReport).where(InfoReport.reporter_id == member.id).order_by(InfoReport.id))
    return {
        "review_reports": [{"review_id": r.review_id, "reason": r.reason, "status": r.status,
                            "created_at": iso(r.created_at)} for r in review_reports],
        "place_reports": [{"place_id": r.place_id, "kind": r.kind, "remark": r.remark, "status": r.status,
                           "created_at": iso(r.created_at)} for r in place_reports],
    }
