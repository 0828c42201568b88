"""Importing a Moodle GIFT file as a draft quiz module of a course."""
from __future__ import annotations

from pathlib import PurePosixPath

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from modules.authoring.drafts import DraftConflict
from modules.authoring.gift_forms import GIFT_MAX_BYTES, AddGiftForm, UploadGiftForm
from modules.authoring.gift_import import GiftImportError, add_gift_module, converted
from modules.authoring.overview import course_overview
from modules.authoring.views import bp
from modules.content.gift.files import slug_from_name, title_from_name
from modules.content.gift.parse import decode
from modules.core.extensions import db
from modules.core.policies import allow
from modules.core.roles import Role


def _overview_or_404(folder: str):
    overview = course_overview(folder) if "/" not in folder else None
    if overview is None:
        abort(404)
    return overview


def _render(overview, folder, upload, add=None, conversion=None, status=200):
    return render_template("authoring/gift_import.html", overview=overview, folder=folder, upload=upload,
                           add=add, conversion=conversion, max_kb=GIFT_MAX_BYTES // 1024), status


def _checked_upload(overview, folder, upload):
    """Read and convert the uploaded file: the report and the Markdown, and the form to add it."""
    with upload.file.data.stream as stream:
        data = stream.read(GIFT_MAX_BYTES + 1)
    name = PurePosixPath(upload.file.data.filename or "questions.gift")
    if name.suffix.lower() not in (".gift", ".txt"):
        upload.file.errors.append("The file must be a GIFT file ending .gift or .txt (Moodle exports .txt)")
    elif len(data) > GIFT_MAX_BYTES:
        upload.file.errors.append(f"The file is larger than {GIFT_MAX_BYTES // 1024} KB: split it into smaller files")
    module_id = upload.module_id.data or slug_from_name(name.stem)
    if not upload.file.errors and not module_id:
        upload.module_id.errors.append("Enter a module id: the file's name has no letters or digits to make one from")
    if upload.file.errors or upload.module_id.errors:
        return _render(overview, folder, upload, status=400)
    text, notes = decode(data)
    title = (upload.title.data or "").strip() or title_from_name(name.stem)
    conversion = converted(text, title=title, module_id=module_id)
    conversion.notes[:0] = notes
    if not conversion.converted:
        upload.file.errors.append("None of the questions in this file can be converted: the report below says why")
        return _render(overview, folder, upload, conversion=conversion, status=400)
    add = AddGiftForm(formdata=None, prefix="add", gift=text, title=title, module_id=module_id)
    return _render(overview, folder, upload, add, conversion)


@bp.route("/courses/<folder>/gift", methods=["GET", "POST"])
@allow(Role.trainer, Role.partnership_admin)
def gift_import(folder: str):
    """Upload a Moodle GIFT file, see what converts, then add it to the course as a draft quiz."""
    overview = _overview_or_404(folder)
    add = AddGiftForm(prefix="add")
    if add.add.data:
        if add.validate_on_submit():
            try:
                added = add_gift_module(folder, text=add.gift.data, title=add.title.data,
                                        module_id=add.module_id.data, actor=current_user)
            except (GiftImportError, DraftConflict) as problem:
                db.session.rollback()
                add.add.errors = [f"The quiz was not added: {problem}"]
            else:
                db.session.commit()
                flash(f"Added the quiz as a draft: {added.conversion.converted} questions, "
                      f"{len(added.conversion.left_out)} left out. Learners see it once you publish.", "success")
                return redirect(url_for("authoring.edit_file", path=added.path))
        conversion = converted(add.gift.data or "", title=add.title.data or "Imported questions",
                               module_id=add.module_id.data or "gift-import")
        return _render(overview, folder, UploadGiftForm(formdata=None), add, conversion, status=400)
    upload = UploadGiftForm()
    if upload.validate_on_submit():
        return _checked_upload(overview, folder, upload)
    return _render(overview, folder, upload, status=400 if upload.is_submitted() else 200)
