"""What goes into the index for a place: one function builds the document, from the database, at apply time."""
from __future__ import annotations

from typing import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..places.categories import CATEGORIES, FLAG_KEYS, FLAGS
from ..places.models import Place
from .analysis import boost_mark, key, plain_text
from .models import SearchOutbox
from .schema import SECTION_WEIGHTS

# Other packages add functions here that return the published review texts per place:
# fn(session, place_ids) -> {place_id: [text, ...]}. Hidden or pending reviews must not be returned.
review_text_sources: list[Callable[[Session, list[int]], dict[int, list[str]]]] = []


def dutch(label) -> str:
    """The Dutch source text of a lazy label: the index is Dutch whatever language the page is in."""
    return getattr(label, "_args", (label,))[0]


def place_document(place: Place, review_texts: list[str], version: int = 0) -> dict:
    flags = [k for k in FLAG_KEYS if getattr(place, k)]
    labels = " ".join([dutch(CATEGORIES[c]) for c in place.categories if c in CATEGORIES]
                      + [dutch(FLAGS[f]) for f in flags])
    # Everything but the marks is text people typed: plain_text() keeps it from setting a weight.
    body = plain_text(" ".join(part for part in (
        place.description, place.first_arrival, place.first_greeter, labels, place.wijk, place.city) if part))
    reviews = plain_text("\n".join(review_texts))
    own = boost_mark(SECTION_WEIGHTS["name"]) + plain_text(place.name) + boost_mark(SECTION_WEIGHTS["body"]) + body
    return {
        "id": str(place.id),
        "text": own + boost_mark(SECTION_WEIGHTS["reviews"]) + reviews,
        # Exact words and typo corrections come from what the place says; reviews would triple
        # this field for little gain.
        "exact": own,
        "name": plain_text(place.name),
        "description": place.description,
        "category": ",".join(place.categories),
        "wijk": key(place.wijk),
        "city": key(place.city),
        "flag": ",".join(flags),
        "facets": (tuple(place.categories), place.wijk, place.city, tuple(flags), place.lat, place.lon),
        "version": version,
    }


def collect_review_texts(session: Session, place_ids: list[int]) -> dict[int, list[str]]:
    texts: dict[int, list[str]] = {}
    for source in review_text_sources:
        for place_id, found in source(session, place_ids).items():
            texts.setdefault(place_id, []).extend(found)
    return texts


def outbox_versions(session: Session, place_ids: list[int] | None = None) -> dict[int, int]:
    """Place id -> its newest outbox row id (places without rows left out)."""
    query = sa.select(SearchOutbox.place_id, sa.func.max(SearchOutbox.id)).group_by(SearchOutbox.place_id)
    if place_ids is not None:
        query = query.where(SearchOutbox.place_id.in_(place_ids))
    return dict(session.execute(query).all())


def build_documents(session: Session, place_ids: list[int]) -> tuple[list[dict], list[int]]:
    """Documents for the published places among place_ids, and the ids that must leave the index."""
    # Versions first, the places after: a document's content is then at least as new as its
    # version says, so a check can find a document stale when it is not, never the other way.
    versions = outbox_versions(session, place_ids)
    places = list(session.scalars(sa.select(Place).where(Place.id.in_(place_ids), Place.status == "published")))
    texts = collect_review_texts(session, [p.id for p in places]) if places else {}
    documents = [place_document(p, texts.get(p.id, []), versions.get(p.id, 0)) for p in places]
    found = {p.id for p in places}
    return documents, [pid for pid in place_ids if pid not in found]


def iter_all_documents(session: Session, batch: int = 500):
    """Every published place as a document, in batches so a large database is not loaded at once."""
    last = 0
    while True:
        ids = list(session.scalars(sa.select(Place.id).where(Place.status == "published", Place.id > last)
                                   .order_by(Place.id).limit(batch)))
        if not ids:
            return
        documents, _gone = build_documents(session, ids)
        yield from documents
        last = ids[-1]
