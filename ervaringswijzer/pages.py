"""Site pages that belong to no single domain: home, about, health."""
import sqlalchemy as sa
from flask import Blueprint, jsonify, render_template

from .core import signals
from .extensions import db
from .places.categories import CATEGORIES
from .places.models import Place, PlaceCategory

bp = Blueprint("pages", __name__)


@bp.route("/")
def home():
    counts = dict(db.session.execute(
        sa.select(PlaceCategory.key, sa.func.count()).join(Place, Place.id == PlaceCategory.place_id)
        .where(Place.status == "published").group_by(PlaceCategory.key)).all())
    return render_template("home.html", categories=CATEGORIES, counts=counts)


@bp.route("/over")
def about():
    return render_template("about.html")


@bp.route("/health")
def health():
    checks = {}
    try:
        db.session.execute(sa.text("SELECT 1"))
        checks["database"] = {"ok": True, "detail": "ok"}
    except Exception as exc:  # the health page must answer whatever broke
        checks["database"] = {"ok": False, "detail": type(exc).__name__}
    for answer in signals.ask(signals.health_check):  # other packages' checks: {name: (ok, detail)}
        for name, (ok, detail) in answer.items():
            checks[name] = {"ok": ok, "detail": detail}
    ok = all(c["ok"] for c in checks.values())
    status = "ok" if ok else ("down" if not checks["database"]["ok"] else "degraded")
    return jsonify(status=status, checks=checks), (200 if checks["database"]["ok"] else 503)
