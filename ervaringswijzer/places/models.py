"""Place: what a client looks up, with address, flags, first-visit card and opening hours."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db
from .categories import FLAG_KEYS


class PlaceCategory(db.Model):
    __tablename__ = "place_category"
    place_id: Mapped[int] = mapped_column(sa.ForeignKey("place.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(40), primary_key=True, index=True)


class Place(db.Model):
    __tablename__ = "place"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True, index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(20), default="published", index=True)
    suggested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("member.id", ondelete="SET NULL", name="fk_place_suggested_by_id_member"))

    street: Mapped[str] = mapped_column(sa.String(200), default="")
    house_number: Mapped[str] = mapped_column(sa.String(20), default="")
    postcode: Mapped[str] = mapped_column(sa.String(10), default="")
    city: Mapped[str] = mapped_column(sa.String(100), default="", index=True)
    wijk: Mapped[str] = mapped_column(sa.String(100), default="", index=True)
    lat: Mapped[float | None] = mapped_column(sa.Float)
    lon: Mapped[float | None] = mapped_column(sa.Float)
    # ok (geocoded) | manual (pin set by hand) | pending (geocoder not reached yet) | not_found
    location_status: Mapped[str] = mapped_column(sa.String(20), default="pending")

    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    email: Mapped[str] = mapped_column(sa.String(200), default="")
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    contact_name: Mapped[str] = mapped_column(sa.String(100), default="")
    contact_role: Mapped[str] = mapped_column(sa.String(100), default="")
    # The contact person's own phone and e-mail (wegwijzer): shown to logged-in social workers and
    # coordinators only, used for check mails and look-first requests; never in the public API.
    contact_phone: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    contact_email: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")

    walk_in: Mapped[bool] = mapped_column(default=False)
    no_referral: Mapped[bool] = mapped_column(default=False)
    free: Mapped[bool] = mapped_column(default=False)
    client_run: Mapped[bool] = mapped_column(default=False)
    peer_experts: Mapped[bool] = mapped_column(default=False)
    wheelchair: Mapped[bool] = mapped_column(default=False)
    bring_someone: Mapped[bool] = mapped_column(default=False)
    look_first: Mapped[bool] = mapped_column(default=False)
    quiet_space: Mapped[bool] = mapped_column(default=False)

    languages: Mapped[str] = mapped_column(sa.String(100), default="nl")  # comma-separated ISO codes
    participation_rung: Mapped[int | None] = mapped_column(sa.SmallInteger)

    # First-visit card ("je eerste keer").
    first_arrival: Mapped[str] = mapped_column(sa.Text, default="")
    first_greeter: Mapped[str] = mapped_column(sa.Text, default="")
    first_coffee_free: Mapped[bool | None] = mapped_column()
    first_signup_required: Mapped[bool | None] = mapped_column()
    first_quiet_times: Mapped[str] = mapped_column(sa.String(200), default="")
    first_busy_times: Mapped[str] = mapped_column(sa.String(200), default="")

    # OSM opening_hours syntax; NULL means honestly unknown ("bel even").
    opening_hours: Mapped[str | None] = mapped_column(sa.Text)
    # Schedule text from an imported source that cannot be read as OSM hours (kept, shown as is).
    opening_hours_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    last_checked: Mapped[date | None] = mapped_column(sa.Date)
    # How often the contact person is asked whether the data still holds (see places/checks.py).
    check_interval_months: Mapped[int] = mapped_column(sa.SmallInteger, default=6, server_default="6")
    # Where an imported place came from: a repeated import of the same source updates it (migration 0017).
    source: Mapped[str | None] = mapped_column(sa.String(100))
    source_id: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    # Bumped by every ORM update; an UPDATE that finds another version raises StaleDataError, so an
    # edit based on an older read cannot silently overwrite a newer one (see places/editing.py).
    version: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    category_rows: Mapped[list[PlaceCategory]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by=PlaceCategory.key
    )

    @property
    def categories(self) -> list[str]:
        return [row.key for row in self.category_rows]

    @categories.setter
    def categories(self, keys) -> None:
        wanted = list(dict.fromkeys(keys))
        self.category_rows = [row for row in self.category_rows if row.key in wanted]
        have = {row.key for row in self.category_rows}
        self.category_rows.extend(PlaceCategory(key=k) for k in wanted if k not in have)
        if have != set(wanted):
            # Category rows are their own table: without this the place row (and with it the data
            # version behind ETags, see places.version) would not change.
            self.updated_at = utcnow()

    @property
    def search_place_id(self) -> int | None:
        """The place whose search document changes when this object changes (see search/)."""
        return self.id

    @property
    def flags(self) -> dict[str, bool]:
        return {key: bool(getattr(self, key)) for key in FLAG_KEYS}

    @property
    def street_line(self) -> str:
        return " ".join(part for part in (self.street, self.house_number) if part)

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def language_list(self) -> list[str]:
        return [code for code in (self.languages or "").split(",") if code]

    def __repr__(self) -> str:
        return f"<Place {self.slug}>"


sa.UniqueConstraint(Place.source, Place.source_id, name="uq_place_source_source_id")
# Paging by name and max(updated_at) as the data version (migration 0010).
sa.Index("ix_place_status_name", Place.status, Place.name, Place.id)
sa.Index("ix_place_updated_at", Place.updated_at)


class PlaceChange(db.Model):
    """One change to a place: who (NULL for imports and deleted accounts), when, and what (field: [old, new])."""
    __tablename__ = "place_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(sa.ForeignKey("place.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(sa.String(20))  # created | updated | suggested | published | checked ...
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)

    member = relationship("Member", lazy="joined")


class PlaceConfirmation(db.Model):
    """A peer expert vouches that a suggested place exists and is what it says."""
    __tablename__ = "place_confirmation"

    place_id: Mapped[int] = mapped_column(sa.ForeignKey("place.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class PlaceCounter(db.Model):
    """How often a place was reached in one month: plain totals, one upsert per event.

    Nothing about who: no member, no IP, no cookie, no day or time — only the place, the month and
    four numbers (see the privacy text).
    """
    __tablename__ = "place_counter"

    place_id: Mapped[int] = mapped_column(sa.ForeignKey("place.id", ondelete="CASCADE"), primary_key=True)
    month: Mapped[str] = mapped_column(sa.String(7), primary_key=True, index=True)  # 2026-12
    page_views: Mapped[int] = mapped_column(default=0, server_default="0")
    map_adds: Mapped[int] = mapped_column(default=0, server_default="0")
    route_taps: Mapped[int] = mapped_column(default=0, server_default="0")
    reviews: Mapped[int] = mapped_column(default=0, server_default="0")


class AreaCounter(db.Model):
    """The same totals per city, wijk and month (the place's at the time of the event): the dashboard's
    month chart reads a few rows here instead of every place's counters."""
    __tablename__ = "area_counter"

    city: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    wijk: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    month: Mapped[str] = mapped_column(sa.String(7), primary_key=True)
    page_views: Mapped[int] = mapped_column(default=0, server_default="0")
    map_adds: Mapped[int] = mapped_column(default=0, server_default="0")
    route_taps: Mapped[int] = mapped_column(default=0, server_default="0")
    reviews: Mapped[int] = mapped_column(default=0, server_default="0")


class PlaceReach(db.Model):
    """Each place's totals over the closed months of the last year (through `through_month`), summed once
    a month: with the current month's counter row it gives a year's reach without reading twelve rows."""
    __tablename__ = "place_reach"

    place_id: Mapped[int] = mapped_column(sa.ForeignKey("place.id", ondelete="CASCADE"), primary_key=True)
    through_month: Mapped[str] = mapped_column(sa.String(7))
    page_views: Mapped[int] = mapped_column(default=0, server_default="0")
    map_adds: Mapped[int] = mapped_column(default=0, server_default="0")
    route_taps: Mapped[int] = mapped_column(default=0, server_default="0")
    reviews: Mapped[int] = mapped_column(default=0, server_default="0")


class PlaceOpenBlocks(db.Model):
    """A place's usual week as a bit mask of open (weekday, hour block) cells, for the gap map.

    Computed once per place version and week (places/openblocks.py), so the dashboard sums bits in
    SQL instead of evaluating opening hours of every place per request.
    """
    __tablename__ = "place_open_blocks"

    place_id: Mapped[int] = mapped_column(sa.ForeignKey("place.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(sa.Integer)
    week: Mapped[str] = mapped_column(sa.String(8))  # the ISO week evaluated, e.g. 2026-W49
    mask: Mapped[int] = mapped_column(sa.Integer, default=0)  # bit weekday*BLOCKS + block
    known: Mapped[bool] = mapped_column(default=True)  # False when the hours are unknown
    open_hours: Mapped[int] = mapped_column(sa.Integer, default=0)  # whole hours open that week


class PlaceCheck(db.Model):
    """One round of asking a place's contact person whether the data still holds.

    A round is named by the last_checked date it started from ("never" when none), so a confirmed
    place starts a fresh round when it comes due again. The row is the claim: whoever inserts it
    sends the mail, whoever sets reminded_on sends the reminder — one machine each, however many run.
    """
    __tablename__ = "place_check"

    place_id: Mapped[int] = mapped_column(sa.ForeignKey("place.id", ondelete="CASCADE"), primary_key=True)
    round_key: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    sent_on: Mapped[date] = mapped_column(sa.Date)
    reminded_on: Mapped[date | None] = mapped_column(sa.Date)
    # The contact proposed changes: the round is answered (no reminder, no warning) while they wait
    # for a moderator, whose save marks the place checked and so starts the next round.
    answered_on: Mapped[date | None] = mapped_column(sa.Date)


class PlaceCheckToken(db.Model):
    """A signed link in a check mail. Only the SHA-256 of the token is stored; it works once, until it expires."""
    __tablename__ = "place_check_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(sa.ForeignKey("place.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    purpose: Mapped[str] = mapped_column(sa.String(10))  # confirm | edit
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
