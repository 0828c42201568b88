"""A course as a ZIP (export) and a folder from git into the site (ZIP upload, check, confirm)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from modules.authoring import transfer, transfer_uploads
from modules.authoring.transfer_forms import ZipConfirmForm, ZipUploadForm
from modules.authoring.views import bp
from modules.core.extensions import db
from modules.core.policies import allow
from modules.core.roles import Role

PROBLEMS_SHOWN = 500


@bp.get("/courses/<folder>/export.zip")
@allow(Role.trainer, Role.partnership_admin)
def export_course(folder: str):
    with_drafts = request.args.get("drafts") == "1"
    try:
        data = transfer.export_zip(folder, with_drafts=with_drafts)
    except transfer.ExportNotFound:
        abort(404)
    name = f"{folder}-with-drafts.zip" if with_drafts else f"{folder}.zip"
    return data, 200, {
        "Content-Type": "application/zip",
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store",
    }


def _render_start(form: ZipUploadForm, file_error: str | None = None, status: int = 200):
    if file_error:
        form.file.errors = [file_error]
    return render_template("authoring/transfer_import.html", form=form,
                           max_entries=transfer.MAX_ENTRIES,
                           max_mb=transfer.MAX_TOTAL_BYTES // (1024 * 1024)), status


def _render_check(outcome, confirm: ZipConfirmForm, file_name: str, uploaded):
    return render_template("authoring/transfer_check.html", outcome=outcome, confirm=confirm,
                           file_name=file_name, uploaded=uploaded, problems_shown=PROBLEMS_SHOWN)


@bp.route("/import", methods=["GET", "POST"])
@allow(Role.trainer, Role.partnership_admin)
def import_zip():
    form = ZipUploadForm()
    if request.method == "GET":
        return _render_start(form)
    if not form.validate_on_submit():
        return _render_start(form, status=400)
    with form.file.data.stream as stream:  # a big upload is a temporary file: close it now
        data = stream.read()
    file_name = form.file.data.filename or "folder.zip"
    try:
        uploaded = transfer.read_zip(data, file_name)
    except transfer.ZipRefused as exc:
        return _render_start(ZipUploadForm(formdata=None), str(exc), status=400)
    outcome = transfer.check_upload(uploaded)
    token = transfer_uploads.keep(data, file_name=file_name, user_id=current_user.id) if not outcome.errors else ""
    return _render_check(outcome, ZipConfirmForm(formdata=None, upload=token), file_name, uploaded)


@bp.post("/import/confirm")
@allow(Role.trainer, Role.partnership_admin)
def confirm_import():
    form = ZipConfirmForm()
    stored = transfer_uploads.load(form.upload.data or "", user_id=current_user.id)
    if stored is None:
        return _render_start(ZipUploadForm(formdata=None), "The folder you checked is no longer on "
                             "the server (uploads are kept for an hour). Upload it again.", status=400)
    try:
        uploaded = transfer.read_zip(stored.data, stored.file_name)
    except transfer.ZipRefused as exc:
        transfer_uploads.discard(stored.token)
        return _render_start(ZipUploadForm(formdata=None), str(exc), status=400)
    valid = form.validate_on_submit()
    outcome = transfer.check_upload(
        uploaded, publish=valid, actor=current_user._get_current_object(), note=form.note.data or "",
        overwrite_browser_edits=form.overwrite.data, discard_drafts=form.discard_drafts.data,
        file_name=stored.file_name,
    )
    if not outcome.published:
        db.session.rollback()
        if valid:  # nothing wrong with the form: the folder or the site stopped it
            if outcome.edits and not form.overwrite.data:
                form.overwrite.errors = ["Tick this to replace the changes made in the browser, or "
                                         "export the course to bring them into your folder first"]
            if outcome.drafts and not form.discard_drafts.data:
                form.discard_drafts.errors = ["Tick this to discard the drafts, or publish or "
                                              "discard them first"]
        if outcome.errors:
            transfer_uploads.discard(stored.token)
            form.upload.data = ""
        return _render_check(outcome, form, stored.file_name, uploaded), 400
    db.session.commit()
    transfer_uploads.discard(stored.token)
    summary = outcome.summary
    flash(f"Published {stored.file_name}: {'; '.join(summary.lines())}", "success")
    return redirect(url_for("authoring.import_zip"))
