"""Member: a pseudonym, a password hash and a role. Nothing else by default."""
from __future__ import annotations

import hmac
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.time import utcnow
from ..extensions import db

ROLES = ("member", "peer_expert", "social_worker", "coordinator", "moderator", "admin")


class Member(UserMixin, db.Model):
    __tablename__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(sa.String(40))
    # Lower-cased pseudonym: 'Kees' and 'kees' are the same person to a reader.
    pseudonym_key: Mapped[str] = mapped_column(sa.String(40), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(20), default="member")
    # The language of the mails and notices this member gets ("nl" or "en"); chosen on /account.
    language: Mapped[str] = mapped_column(sa.String(5), default="nl", server_default="nl")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # Part of the id in every signed session cookie: changing it ends all sessions of this member
    # (logout, password or role change) while sessions stay stateless cookies.
    session_secret: Mapped[str] = mapped_column(sa.String(32), default=lambda: secrets.token_urlsafe(16))

    contact: Mapped[PlaceContact | None] = relationship(
        cascade="all, delete-orphan", uselist=False, lazy="selectin")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def end_sessions(self) -> None:
        """Every session cookie issued so far stops working."""
        self.session_secret = secrets.token_urlsafe(16)

    def get_id(self) -> str:
        if not self.session_secret:  # a member not yet flushed gets its secret here, not at insert
            self.end_sessions()
        return f"{self.id}:{self.session_secret}"

    def session_matches(self, secret: str) -> bool:
        return bool(self.session_secret) and hmac.compare_digest(self.session_secret.encode(), secret.encode())

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: str) -> bool:
        return self.role == "admin" or self.role in roles

    @property
    def contact_place_id(self) -> int | None:
        return self.contact.place_id if self.contact else None

    @property
    def is_peer_expert(self) -> bool:
        return self.role == "peer_expert"

    def __repr__(self) -> str:
        return f"<Member {self.pseudonym}>"


class PlaceContact(db.Model):
    """Set by an admin: this member speaks for that place and may answer its reviews."""
    __tablename__ = "place_contact"

    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    place_id: Mapped[int] = mapped_column(sa.ForeignKey("place.id", ondelete="CASCADE"), index=True)


class PasswordReset(db.Model):
    """A mailed "new password" link: only the SHA-256 of its random part is stored; it works once, briefly."""
    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    member: Mapped[Member] = relationship(lazy="joined")
