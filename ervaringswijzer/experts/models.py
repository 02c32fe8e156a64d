"""The databank: expert profiles, the editable theme list, requests, proposals and the notes after a request."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db

# What an expert offers, and the kind of a request: the same four keys.
OFFERS = {
    "voorlichting": _l("Voorlichting"),
    "meegaan": _l("Meegaan de eerste keer"),
    "training": _l("Training geven"),
    "meedenken": _l("Meedenken in beleid"),
}
KINDS = OFFERS
# nieuw -> voorgesteld -> afgesproken -> gedaan | geannuleerd
STATUSES = {
    "nieuw": _l("Nieuw"),
    "voorgesteld": _l("Voorgesteld"),
    "afgesproken": _l("Afgesproken"),
    "gedaan": _l("Gedaan"),
    "geannuleerd": _l("Geannuleerd"),
}
OPEN_STATUSES = ("nieuw", "voorgesteld")
# A proposal: the coordinator asked the expert (asked); the expert said yes or no; the requester agreed.
PROPOSAL_STATUSES = ("asked", "accepted", "declined", "agreed")
DEFAULT_THEMES = ("psychose", "depressie", "verslaving", "dakloosheid", "LVB", "trauma", "schulden",
                  "eenzaamheid", "autisme", "angst")

NAME_MAX, REGION_MAX, TEXT_MAX, SHORT_MAX, CONTACT_MAX = 60, 200, 2000, 200, 200
CLIENT_INITIAL_MAX = 20


profile_theme = sa.Table(
    "expert_profile_theme", db.Model.metadata,
    sa.Column("profile_id", sa.ForeignKey("expert_profile.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("theme_id", sa.ForeignKey("expert_theme.id", ondelete="CASCADE"), primary_key=True),
)


class Theme(db.Model):
    """One theme of experience; a coordinator or admin keeps the list."""
    __tablename__ = "expert_theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60), unique=True)


class ExpertProfile(db.Model):
    """A peer expert's own profile: shown only while `visible`, to the public only when also `public`."""
    __tablename__ = "expert_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    region: Mapped[str] = mapped_column(sa.String(REGION_MAX), default="")
    offers: Mapped[str] = mapped_column(sa.String(100), default="")  # comma-separated OFFERS keys
    languages: Mapped[str] = mapped_column(sa.String(100), default="nl")  # comma-separated codes
    availability: Mapped[str] = mapped_column(sa.String(SHORT_MAX), default="")
    text: Mapped[str] = mapped_column(sa.Text, default="")  # sanitised HTML (reviews.sanitize)
    # How the requester can reach the expert; shown only after both sides agreed on a request.
    contact: Mapped[str] = mapped_column(sa.String(CONTACT_MAX), default="")
    visible: Mapped[bool] = mapped_column(default=False)  # the expert's own choice
    public: Mapped[bool] = mapped_column(default=False)
    # Set when the crisis check found words of concern: nobody sees the profile until a moderator looked.
    held_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    themes: Mapped[list[Theme]] = relationship(secondary=profile_theme, lazy="selectin", order_by=Theme.name)

    just_held = False  # set by save_profile when this save was held (not stored)

    @property
    def held(self) -> bool:
        return self.held_at is not None

    @property
    def shown(self) -> bool:
        return self.visible and self.held_at is None
    member = relationship("Member", lazy="joined")

    @property
    def offer_list(self) -> list[str]:
        return [key for key in (self.offers or "").split(",") if key in OFFERS]

    @property
    def language_list(self) -> list[str]:
        return [code for code in (self.languages or "").split(",") if code]


class ExpertRequest(db.Model):
    """A request for an expert by experience. Never a client's full name, birth date or diagnosis."""
    __tablename__ = "expert_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    topic: Mapped[str] = mapped_column(sa.String(SHORT_MAX), default="")
    audience: Mapped[str] = mapped_column(sa.String(SHORT_MAX), default="")
    place_text: Mapped[str] = mapped_column(sa.String(SHORT_MAX), default="")
    place_id: Mapped[int | None] = mapped_column(sa.ForeignKey("place.id", ondelete="SET NULL"))
    wanted_on: Mapped[date | None] = mapped_column(sa.Date)
    period: Mapped[str] = mapped_column(sa.String(SHORT_MAX), default="")
    language: Mapped[str] = mapped_column(sa.String(10), default="nl")
    client_initial: Mapped[str] = mapped_column(sa.String(CLIENT_INITIAL_MAX), default="")
    details: Mapped[str] = mapped_column(sa.Text, default="")  # sanitised HTML
    contact: Mapped[str] = mapped_column(sa.String(CONTACT_MAX), default="")  # shown to the expert after agreeing
    status: Mapped[str] = mapped_column(sa.String(20), default="nieuw", index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    requester = relationship("Member", lazy="joined")
    place = relationship("Place", lazy="joined")
    needs_care = False  # set by file_request when the crisis check found something (not stored)
    proposals: Mapped[list[Proposal]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="Proposal.id", back_populates="request")
    notes: Mapped[list[RequestNote]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="RequestNote.id")

    @property
    def agreed(self) -> Proposal | None:
        return next((p for p in self.proposals if p.status == "agreed"), None)


class Proposal(db.Model):
    """The coordinator proposes one expert for a request; the expert answers in one tap."""
    __tablename__ = "expert_proposal"
    __table_args__ = (sa.UniqueConstraint("request_id", "profile_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("expert_request.id", ondelete="CASCADE"), index=True)
    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("expert_profile.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="asked")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    request: Mapped[ExpertRequest] = relationship(back_populates="proposals")
    profile: Mapped[ExpertProfile] = relationship(lazy="joined")


class RequestNote(db.Model):
    """After 'gedaan': a short private note for the coordinator, one per side."""
    __tablename__ = "expert_request_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("expert_request.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="SET NULL"), index=True)
    side: Mapped[str] = mapped_column(sa.String(20))  # requester | expert
    text: Mapped[str] = mapped_column(sa.Text)  # sanitised HTML
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
