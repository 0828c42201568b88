"""History pages of a file: its versions, a comparison of any two, and restoring an old one."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from modules.accounts.models import Role
from modules.authoring import history as service
from modules.authoring.diffing import diff_texts
from modules.authoring.drafts import draft_for
from modules.authoring.history_forms import CompareForm, RestoreForm
from modules.authoring.views import bp
from modules.core.extensions import db
from modules.core.params import query_int
from modules.core.policies import allow

AUTHORS = (Role.trainer, Role.partnership_admin)


def _history_or_404(path: str) -> service.FileHistory:
    """:raise 404: if nothing was ever published from ``path``."""
    history = service.file_history(path)
    if history is None:
        abort(404)
    return history


def _back_links(history: service.FileHistory) -> dict:
    """Links to the editor and the course page, when those pages are registered (they belong to
    another part of the authoring pages); else to the read-only preview."""
    def link(endpoint, **values):
        return url_for(endpoint, **values) if endpoint in current_app.view_functions else None

    folder = history.path.split("/", 1)[0]
    if not history.slug:
        preview = url_for("pages.trainer_home")
    elif history.kind == "course":
        preview = url_for("content.course", slug=history.slug)
    else:
        preview = url_for("content.module", slug=history.slug)
    return {
        "editor_href": link("authoring.edit_file", path=history.path),
        "course_href": link("authoring.course", folder=folder),
        "preview_href": preview,
    }


@bp.get("/files/<path:path>/history")
@allow(*AUTHORS)
def history(path: str):
    """Every version of the file, newest first, with who, when, how and why (none yet for a new
    file that only has a draft)."""
    file_history = service.file_history(path)
    if file_history is None and draft_for(path) is not None:
        file_history = service.unpublished(path)
    if file_history is None:
        abort(404)
    numbers = [v.number for v in file_history.versions]
    form = CompareForm(numbers=numbers, data={"older": numbers[1] if len(numbers) > 1 else None,
                                              "newer": numbers[0] if numbers else None})
    return render_template("authoring/history.html", history=file_history, form=form,
                           has_draft=draft_for(path) is not None, **_back_links(file_history))


@bp.get("/files/<path:path>/diff")
@allow(*AUTHORS)
def diff(path: str):
    """What changed between two versions (``?from=N&to=M``), line by line and word by word."""
    file_history = _history_or_404(path)
    numbers = [v.number for v in file_history.versions]
    form = CompareForm(request.args, numbers=numbers)
    comparison = texts = None
    if "from" not in request.args and "to" not in request.args:
        form.older.data = numbers[1] if len(numbers) > 1 else numbers[0]
        form.newer.data = numbers[0]
        valid = True
    else:
        valid = form.validate()
    if valid:
        texts = service.version_texts(file_history, [form.older.data, form.newer.data])
        if None not in texts.values():
            comparison = diff_texts(texts[form.older.data], texts[form.newer.data])
    return render_template("authoring/history_diff.html", history=file_history, form=form,
                           comparison=comparison, texts=texts, valid=valid,
                           **_back_links(file_history))


@bp.route("/files/<path:path>/restore", methods=["GET", "POST"])
@allow(*AUTHORS)
def restore(path: str):
    """Confirm (GET ``?version=N``), then publish version N's text as the next version."""
    file_history = _history_or_404(path)
    form = RestoreForm(request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.version.data = query_int(request.args, "version")
        form.note.data = f"Restores version {form.version.data}"
    entry = file_history.version(form.version.data)
    if entry is None:
        abort(404)
    if request.method == "GET" or not form.validate_on_submit():
        return _confirm_page(file_history, entry, form)
    try:
        outcome = service.restore_version(file_history, entry.number, actor=current_user._get_current_object(),
                                          note=form.note.data)
    except service.RestoreRefused as refused:
        db.session.rollback()
        return _confirm_page(file_history, entry, form, refused=str(refused), status=409)
    if not outcome.publish.published:
        db.session.rollback()
        return _confirm_page(file_history, entry, form, problems=outcome.publish.errors, status=422)
    db.session.commit()
    if outcome.new_number is None:
        flash(f"Nothing was published: version {entry.number} has the same text as the version "
              "learners get now.", "error")
    else:
        flash(f"Version {entry.number} is restored as version {outcome.new_number}. Learners "
              "who start now get it; learners part way through keep the version they started.",
              "success")
    return redirect(url_for("authoring.history", path=path))


def _confirm_page(file_history, entry, form, *, refused=None, problems=(), status=200):
    current = file_history.current or file_history.latest
    texts = service.version_texts(file_history, [current.number, entry.number])
    comparison = (diff_texts(texts[current.number], texts[entry.number])
                  if None not in texts.values() else None)
    if refused is None and draft_for(file_history.path) is not None:
        refused = service.DRAFT_IN_THE_WAY
    return render_template(
        "authoring/history_restore.html", history=file_history, entry=entry, current=current,
        comparison=comparison, texts=texts, form=form, refused=refused, problems=problems,
        **_back_links(file_history),
    ), status
