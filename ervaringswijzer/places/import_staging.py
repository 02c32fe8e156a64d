"""An upload kept between the dry run and the admin's yes, so what is written is exactly what was shown.

The bytes sit in the instance folder under a random name, with the plan's fingerprint beside them;
they are removed after the import or when they are older than a day.
"""
from __future__ import annotations

import hashlib
import json
import secrets
import time
from pathlib import Path

MAX_AGE = 24 * 3600
_TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def plan_fingerprint(plan) -> str:
    """Changes when the rows, their kinds or their changes change (someone else edited a place meanwhile)."""
    text = json.dumps([(r.where, r.kind, r.place_id, sorted(r.diff.items())) for r in plan.rows], default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _folder(instance_path: str) -> Path:
    folder = Path(instance_path) / "imports"
    folder.mkdir(exist_ok=True)
    return folder


def stage(instance_path: str, data: bytes, meta: dict) -> str:
    folder = _folder(instance_path)
    for old in folder.glob("*"):
        if time.time() - old.stat().st_mtime > MAX_AGE:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.data").write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def load(instance_path: str, token: str, member_id: int) -> tuple[bytes, dict] | None:
    """The staged upload, only for the admin who made it; None when gone or not theirs."""
    if not token or set(token) - _TOKEN_CHARS or len(token) > 64:
        return None
    folder = _folder(instance_path)
    try:
        meta = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
        data = (folder / f"{token}.data").read_bytes()
    except (OSError, ValueError):
        return None
    return (data, meta) if meta.get("member_id") == member_id else None


def drop(instance_path: str, token: str) -> None:
    folder = _folder(instance_path)
    for suffix in (".data", ".json"):
        (folder / f"{token}{suffix}").unlink(missing_ok=True)
