"""Tables of the search package: the outbox the index follows, and the log of searches that found little."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.time import utcnow
from ..extensions import db


class SearchOutbox(db.Model):
    """One row per change to a place's search document, written in the same transaction as the change.

    Rows are never marked as done: every process keeps its own index and remembers how far it got
    (see outbox.py), so rows stay until they are old enough to prune.
    """
    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(index=True)  # no foreign key: a deleted place keeps its row
    op: Mapped[str] = mapped_column(sa.String(10))  # upsert | delete (applying looks at the database anyway)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)


class SearchLogEntry(db.Model):
    """Zero- and low-result searches counted per normalised query, filters and ISO week. No IP, no account."""
    __tablename__ = "search_log"
    __table_args__ = (sa.UniqueConstraint("query", "filters", "week", name="uq_search_log_query_week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(sa.String(200))
    filters: Mapped[str] = mapped_column(sa.String(300), default="")
    week: Mapped[str] = mapped_column(sa.String(8), index=True)  # ISO week, e.g. 2026-W48
    last_day: Mapped[date] = mapped_column(sa.Date)
    searches: Mapped[int] = mapped_column(default=0)
    zero_results: Mapped[int] = mapped_column(default=0)
    last_hits: Mapped[int] = mapped_column(default=0)
    # The city and wijk chosen (also inside `filters`), as columns so the dashboard groups in SQL.
    city: Mapped[str] = mapped_column(sa.String(100), default="", server_default="", index=True)
    wijk: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
