"""/beheer/import: an admin uploads a file or gives a URL, sees a dry run, and only then imports."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from ..core.access import requires
from ..core.audit import record
from ..extensions import db
from . import bp
from .fetch import FetchError, fetch
from .forms import ImportConfirmForm, ImportForm
from .import_config import fetch_limits
from .import_staging import drop, load, plan_fingerprint, stage
from .import_plan import apply_plan, plan_import
from .importing import ImportFileError, read_rows
from .wording import field_label, value_text

UPLOAD_MARGIN = 1_000_000  # the form's own fields around the file


def _plan(data: bytes, fmt: str | None, source: str | None, max_bytes: int):
    fmt, rows = read_rows(data, fmt or None, max_bytes)
    return plan_import(fmt, rows, source or None)


def _received(form: ImportForm, limits) -> tuple[bytes | None, str | None]:
    """(bytes, what they are called) of the upload or the URL, or (None, plain reason)."""
    upload, url = form.upload.data, (form.url.data or "").strip()
    if upload and getattr(upload, "filename", "") and url:
        return None, _("Kies een bestand óf een internetadres, niet allebei.")
    if url:
        db.session.rollback()  # hold no transaction open while another server answers (up to IMPORT_TIMEOUT)
        try:
            data, _final = fetch(url, limits)
        except FetchError as exc:
            return None, str(exc)
        return data, url
    if not upload or not getattr(upload, "filename", ""):
        return None, _("Kies een bestand of vul een internetadres in.")
    data = upload.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        return None, _("Het bestand is groter dan %(mb)d MB.", mb=limits.max_bytes // 1_000_000)
    return data, upload.filename


@bp.route("/beheer/import", methods=["GET", "POST"])
@requires("place.import")
def import_page():
    limits = fetch_limits(current_app.config)
    request.max_content_length = limits.max_bytes + UPLOAD_MARGIN
    try:
        form = ImportForm()
        confirm = ImportConfirmForm(prefix="confirm")
    except RequestEntityTooLarge:
        form = ImportForm(formdata=None)
        form.upload.errors = [_("Het bestand is groter dan %(mb)d MB. Niets ingelezen.", mb=limits.max_bytes // 1_000_000)]
        return _page(form=form, plan=None, confirm=None), 413
    if request.method == "POST" and confirm.token.data:
        return _confirm(confirm, limits)
    plan = None
    if form.validate_on_submit():
        data, name = _received(form, limits)
        if data is None:
            (form.url if form.url.data else form.upload).errors = [name]
        else:
            try:
                plan = _plan(data, form.fmt.data, form.source.data, limits.max_bytes)
            except ImportFileError as exc:
                form.upload.errors = [str(exc.problem)]
            else:
                confirm.token.data = stage(current_app.instance_path, data, {
                    "member_id": current_user.id, "fmt": plan.fmt, "source": form.source.data or None,
                    "name": name, "fingerprint": plan_fingerprint(plan)})
    status = 422 if any(f.errors for f in form) or (plan and plan.refused) else 200
    return _page(form=form, plan=plan, confirm=confirm), status


def _confirm(confirm: ImportConfirmForm, limits):
    token = confirm.token.data
    staged = load(current_app.instance_path, token, current_user.id) if confirm.validate() else None
    if staged is None:
        flash(_("Deze proefimport is er niet meer. Begin opnieuw."), "error")
        return redirect(url_for(".import_page"))
    data, meta = staged
    plan = _plan(data, meta["fmt"], meta["source"], limits.max_bytes)
    if plan.refused or plan_fingerprint(plan) != meta["fingerprint"]:
        flash(_("De gegevens zijn veranderd sinds de proefimport. Bekijk hieronder wat er nu zou gebeuren."), "error")
        confirm.token.data = stage(current_app.instance_path, data, dict(meta, fingerprint=plan_fingerprint(plan)))
        drop(current_app.instance_path, token)
        return _page(form=ImportForm(formdata=None), plan=plan, confirm=confirm), 409
    try:
        created, updated = apply_plan(plan)
        record(current_user, "places.import", "place", None, meta["name"] or "", format=plan.fmt,
               source=plan.source, created=created, updated=updated)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    drop(current_app.instance_path, token)
    flash(_("Ingelezen: %(new)d nieuw, %(changed)d bijgewerkt, %(same)d ongewijzigd.",
            new=created, changed=updated, same=plan.count("unchanged")), "success")
    return redirect(url_for(".import_page"))


def _page(**context):
    kinds = {"new": _("nieuw"), "changed": _("gewijzigd"), "unchanged": _("ongewijzigd"), "refused": _("geweigerd")}
    return render_template("places/import.html", kinds=kinds, field_label=_field_name, value_text=value_text,
                           **context)


def _field_name(key: str) -> str:
    """A stored field's Dutch name; fields of the file (address.postcode, services.csv) as they are."""
    return field_label(key)
