"""The staff import pages: partnership admins at /admin/import (any agency; the file names each
person's agency) and managers at /agencies/<id>/import (their own agency only).

Upload -> preview (every problem, or what will change) -> "Import N people" -> result. The file
waits on the server between preview and confirm (``uploads``) and is checked again at confirm.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from modules.accounts.models import Agency, Role
from modules.admin.staff_import import uploads
from modules.admin.staff_import.applying import AUDIT_ACTION, apply_plan
from modules.admin.staff_import.checking import preview_file
from modules.admin.staff_import.forms import ConfirmImportForm, UploadForm
from modules.admin.staff_import.planning import ImportScope
from modules.admin.staff_import.reading import MAX_BYTES, MAX_ROWS
from modules.core.extensions import db
from modules.core.models import AuditEvent
from modules.core.policies import allow, require_agency

bp = Blueprint("staff_import", __name__)

PROBLEMS_SHOWN = 1000
CHANGES_SHOWN = 200


def _scope(agency_id: int | None) -> ImportScope:
    if agency_id is None:
        return ImportScope(current_user._get_current_object(), None)
    require_agency(current_user, agency_id)
    return ImportScope(current_user._get_current_object(), db.get_or_404(Agency, agency_id))


def _urls(scope: ImportScope) -> dict:
    args = {"agency_id": scope.agency.id} if scope.agency else {}
    prefix = "staff_import.agency_" if scope.agency else "staff_import.admin_"
    return {"preview": url_for(prefix + "preview", **args), "confirm": url_for(prefix + "confirm", **args)}


def _render_start(scope: ImportScope, form: UploadForm, file_error: str | None = None):
    if file_error:
        form.file.errors = [file_error]
    return render_template("admin/staff_import/start.html", scope=scope, form=form, urls=_urls(scope),
                           max_rows=MAX_ROWS, max_mb=MAX_BYTES // (1024 * 1024))


def _render_preview(scope, preview, upload_id: str, file_name: str):
    confirm = ConfirmImportForm(formdata=None, upload=upload_id)
    return render_template(
        "admin/staff_import/preview.html", scope=scope, plan=preview.plan, file_name=file_name,
        form=UploadForm(formdata=None), confirm=confirm, urls=_urls(scope),
        problems_shown=PROBLEMS_SHOWN, changes_shown=CHANGES_SHOWN,
    )


def _start(agency_id):
    return _render_start(_scope(agency_id), UploadForm())


def _preview(agency_id):
    scope = _scope(agency_id)
    form = UploadForm()
    if not form.validate_on_submit():
        return _render_start(scope, form)
    # One byte over the limit is enough for read_staff_file to say the file is too big.
    with form.file.data.stream as stream:  # a big upload is a temporary file: close it now
        data = stream.read(MAX_BYTES + 1)
    file_name = form.file.data.filename or "staff.csv"
    preview = preview_file(data, scope)
    if preview.file_error:
        return _render_start(scope, UploadForm(formdata=None), preview.file_error)
    upload_id = uploads.keep(data, file_name=file_name, user_id=current_user.id,
                             agency_id=scope.agency.id if scope.agency else None) if preview.plan.ok and preview.plan.to_import else ""
    return _render_preview(scope, preview, upload_id, file_name)


def _confirm(agency_id):
    scope = _scope(agency_id)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    stored = uploads.load(form.upload.data, user_id=current_user.id,
                          agency_id=scope.agency.id if scope.agency else None)
    if stored is None:
        return _render_start(scope, UploadForm(formdata=None), "The file you checked is no longer "
                             "on the server (files are kept for an hour). Upload it again.")
    preview = preview_file(stored.data, scope)
    if not preview.plan.ok:  # the database changed since the preview
        uploads.discard(stored.upload_id)
        return _render_preview(scope, preview, "", stored.file_name)
    result = apply_plan(
        preview.plan, scope, file_name=stored.file_name, sha256=preview.sha256, source="web",
        invite=form.send_invitations.data,
        base_url=current_app.config.get("SIGHTLINE_BASE_URL") or request.url_root,
    )
    db.session.commit()
    uploads.discard(stored.upload_id)
    args = {"agency_id": scope.agency.id} if scope.agency else {}
    prefix = "staff_import.agency_" if scope.agency else "staff_import.admin_"
    return redirect(url_for(prefix + "result", event_id=result.audit_event_id, **args))


def _result(agency_id, event_id: int):
    scope = _scope(agency_id)
    event = db.session.get(AuditEvent, event_id)
    if event is None or event.action != AUDIT_ACTION or event.agency_id != agency_id:
        abort(404)
    return render_template("admin/staff_import/result.html", scope=scope, event=event,
                           details=event.details, urls=_urls(scope))


# Partnership admins: any agency --------------------------------------------------------------

@bp.get("/admin/import")
@allow(Role.partnership_admin)
def admin_start():
    return _start(None)


@bp.post("/admin/import")
@allow(Role.partnership_admin)
def admin_preview():
    return _preview(None)


@bp.post("/admin/import/confirm")
@allow(Role.partnership_admin)
def admin_confirm():
    return _confirm(None)


@bp.get("/admin/import/results/<int:event_id>")
@allow(Role.partnership_admin)
def admin_result(event_id: int):
    return _result(None, event_id)


# One agency: its managers, and partnership admins -------------------------------------------

@bp.get("/agencies/<int:agency_id>/import")
@allow(Role.manager, Role.partnership_admin)
def agency_start(agency_id: int):
    return _start(agency_id)


@bp.post("/agencies/<int:agency_id>/import")
@allow(Role.manager, Role.partnership_admin)
def agency_preview(agency_id: int):
    return _preview(agency_id)


@bp.post("/agencies/<int:agency_id>/import/confirm")
@allow(Role.manager, Role.partnership_admin)
def agency_confirm(agency_id: int):
    return _confirm(agency_id)


@bp.get("/agencies/<int:agency_id>/import/results/<int:event_id>")
@allow(Role.manager, Role.partnership_admin)
def agency_result(agency_id: int, event_id: int):
    return _result(agency_id, event_id)
