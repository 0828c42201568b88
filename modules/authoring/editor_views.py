"""The editor: one file of a course folder, its findings, saving a draft (never over a colleague's
save without saying so) and discarding it."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from modules.authoring import drafts
from modules.authoring.editor_forms import DiscardForm, EditorForm
from modules.authoring.overview import FileState, course_overview
from modules.authoring.preview import FilePreview, folder_of, preview_file
from modules.authoring.views import bp
from modules.authoring.workspace import valid_path
from modules.core.extensions import db
from modules.core.policies import allow
from modules.core.roles import Role


def _working_text(path: str) -> str:
    """The text trainers see of ``path`` now. :raise 404: if it is not a text file of the
    working copy (a picture, a removed file, a path outside the content folder)."""
    text = drafts.current_text(path) if valid_path(path) else None
    if text is None:
        abort(404)
    return text


def _normalised(text: str | None) -> str:
    # Browsers post a textarea with CRLF line ends; files keep "\n", as `content import` reads them.
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def _render(path: str, form: EditorForm, text: str, *, preview: FilePreview | None = None,
            conflict: drafts.DraftConflict | None = None, mine: str | None = None, status: int = 200):
    overview = course_overview(folder_of(path))
    file = (overview.file(path) if overview else None) or FileState(path=path, title=path)
    if preview is None:
        preview = preview_file(path, text)
    revision = form.revision.data or 0
    return render_template(
        "authoring/editor.html", path=path, file=file, overview=overview, folder=folder_of(path),
        text=text, revision=revision, preview=preview, form=form, conflict=conflict, mine=mine,
        lines=text.split("\n"), discard_form=DiscardForm(data={"revision": revision}),
    ), status


@bp.get("/files/<path:path>")
@allow(Role.trainer, Role.partnership_admin)
def edit_file(path: str):
    """The file's text (its draft, else as published) with its findings."""
    text = _working_text(path)
    form = EditorForm(data={"text": text, "revision": drafts.current_revision(path)})
    return _render(path, form, text)


@bp.post("/files/<path:path>")
@allow(Role.trainer, Role.partnership_admin)
def save_file(path: str):
    """Save the text as the file's draft, unless someone saved since the editor was opened."""
    _working_text(path)
    form = EditorForm()
    text = _normalised(form.text.data)
    if not form.validate_on_submit():
        # A text over the size limit is not checked (the message says why); nothing is lost.
        too_big = bool(form.text.errors)
        return _render(path, form, text, preview=FilePreview(path=path) if too_big else None, status=400)
    try:
        drafts.save_draft(path, expected_revision=form.revision.data, actor=current_user, text=text)
    except drafts.DraftConflict as conflict:
        db.session.rollback()
        # Published or discarded since: theirs is what is left (nothing, for a new file).
        theirs = drafts.current_text(path) or ""
        form.revision.data = drafts.current_revision(path)
        form.revision.raw_data = [str(form.revision.data)]  # WTForms shows what was posted, else
        return _render(path, form, theirs, conflict=conflict, mine=text, status=409)
    db.session.commit()
    flash("Your draft has been saved. Learners will not see it until the course is published.", "success")
    return redirect(url_for("authoring.edit_file", path=path))


@bp.post("/files/<path:path>/discard")
@allow(Role.trainer, Role.partnership_admin)
def discard_file(path: str):
    """Ask, then throw the draft away (the published text, if any, is what remains)."""
    form = DiscardForm()
    if not form.validate_on_submit():
        abort(400)
    overview = course_overview(folder_of(path))
    file = overview.file(path) if overview else None
    if file is None or file.draft is None:
        flash("There is no draft of this file to discard: it is as published.", "info")
        return redirect(url_for("authoring.course", folder=folder_of(path)))
    if form.confirm.data != "yes":
        return render_template("authoring/discard.html", path=path, file=file, overview=overview,
                               form=DiscardForm(data={"revision": form.revision.data, "confirm": "yes"}))
    try:
        drafts.discard_draft(path, expected_revision=form.revision.data, actor=current_user)
    except drafts.DraftConflict as conflict:
        db.session.rollback()
        flash(f"The draft was not discarded: {conflict}. Look at their change first.", "error")
        return redirect(url_for("authoring.edit_file", path=path))
    db.session.commit()
    flash(f"The draft of {file.title} has been discarded.", "success")
    if file.published_number is None:
        return redirect(url_for("authoring.course", folder=folder_of(path)))
    return redirect(url_for("authoring.edit_file", path=path))
