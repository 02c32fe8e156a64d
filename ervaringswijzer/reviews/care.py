"""Care for the writer: the crisis check every member text goes through, and the phrases moderators add to it.

Add and flush; never commit.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..core.audit import record
from ..db import insert_if_absent
from ..extensions import db
from .crisis import DEFAULT_WORDS_FILE, crisis_matches, phrase_problem
from .models import CrisisPhrase
from .sanitize import plain_text


def _words_file():
    return current_app.config["REVIEW_CRISIS_WORDS_FILE"] or DEFAULT_WORDS_FILE


def list_crisis_phrases() -> list[CrisisPhrase]:
    return list(db.session.scalars(sa.select(CrisisPhrase).order_by(CrisisPhrase.id)))


def moderator_phrases() -> list[str]:
    return list(db.session.scalars(sa.select(CrisisPhrase.phrase).order_by(CrisisPhrase.id)))


def crisis_check(text: str) -> list[str]:
    """What in `text` (plain or sanitised HTML) suggests the writer may be in crisis; empty when nothing does.

    The one check for every text members write: reviews, responses, and any other free text. When it
    finds something, hold the text for a moderator and show the writer reviews/_crisis_help.html.
    """
    return crisis_matches(plain_text(text or ""), _words_file(), extra=moderator_phrases())


def add_crisis_phrase(line: str, actor) -> str | None:
    """A moderator adds a phrase to the check. Returns an error (lazy, in plain Dutch) or None. Flush only."""
    line = " ".join((line or "").split())
    if len(line) < 3 or len(line) > 200:
        return _l("Schrijf een zin van 3 tot 200 tekens.")
    if phrase_problem(line, _words_file()):
        return _l("Deze zin kunnen we niet lezen. Gebruik woorden, | tussen woorden die allebei mogen, "
                  "een * aan het eind, of een @GROEP uit de lijst.")
    if not insert_if_absent(CrisisPhrase, {"phrase": line, "added_by_id": getattr(actor, "id", None)}, keys=["phrase"]):
        return _l("Deze zin staat al in de lijst.")
    phrase_id = db.session.scalar(sa.select(CrisisPhrase.id).where(CrisisPhrase.phrase == line))
    record(actor, "crisis.add", "crisis_phrase", phrase_id, line)
    return None


def remove_crisis_phrase(phrase: CrisisPhrase, actor) -> None:
    record(actor, "crisis.remove", "crisis_phrase", phrase.id, phrase.phrase)
    db.session.delete(phrase)
    db.session.flush()
