"""New courses and modules, reordering, retiring and pictures (registered on the authoring blueprint)."""
from __future__ import annotations

from pathlib import PurePosixPath

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from modules.authoring import pictures, structure
from modules.authoring.drafts import DraftConflict, current_revision
from modules.authoring.pictures import PictureError
from modules.authoring.structure import NewCourse, StructureError
from modules.authoring.structure_forms import (
    MoveForm,
    NewCourseForm,
    NewModuleForm,
    PictureForm,
    RetireForm,
)
from modules.authoring.views import bp
from modules.authoring.workspace import COURSE_FILE, valid_path, working_files
from modules.core.extensions import db
from modules.core.policies import allow
from modules.core.roles import Role
from modules.core.widgets import select_choices

AUTHORS = (Role.trainer, Role.partnership_admin)


def _course_url(folder: str, anchor: str | None = None) -> str:
    return url_for("authoring.course", folder=folder, _anchor=anchor)


def _edit_url(path: str) -> str:
    return url_for("authoring.edit_file", path=path)


def _home_url() -> str:
    return url_for("authoring.home")


def _folder_or_404(folder: str) -> str:
    if not valid_path(f"{folder}/{COURSE_FILE}") or not structure.course_exists(folder):
        abort(404)
    return folder


def _error(form, field: str | None, message: str) -> None:
    target = getattr(form, field, None) if field else None
    (target if target is not None else form.submit).errors.append(message)


@bp.route("/courses/new", methods=["GET", "POST"])
@allow(*AUTHORS)
def new_course():
    """A new course folder from the starters: its course.md and a first lesson, as drafts."""
    form = NewCourseForm()
    if form.validate_on_submit():
        course = NewCourse(
            title=form.title.data, folder=form.folder.data or structure.suggest_slug(form.title.data),
            code=form.code.data or structure.suggest_code(form.title.data), level=int(form.level.data),
            audience=list(form.audience.data or []), refresher_months=form.refresher_months.data,
            pass_mark=form.pass_mark.data, cpd_minutes=form.cpd_minutes.data,
        )
        try:
            paths = structure.create_course(course, first_module_title="Introduction", actor=current_user)
        except StructureError as problem:
            db.session.rollback()
            _error(form, problem.field, str(problem))
        except DraftConflict as conflict:
            db.session.rollback()
            _error(form, "folder", f"Someone else has just started a course in that folder: {conflict}")
        else:
            db.session.commit()
            flash(f"The course {course.title} has been created as a draft, with a first lesson to write. "
                  "Learners see nothing until you publish it.", "success")
            return redirect(_course_url(paths[0].split("/", 1)[0]))
    return render_template("authoring/h7_new_course.html", form=form, home_url=_home_url())


@bp.route("/courses/<folder>/modules/new", methods=["GET", "POST"])
@allow(*AUTHORS)
def new_module(folder: str):
    """A new module of any kind from its starter, listed at the end of the course."""
    _folder_or_404(folder)
    form = NewModuleForm()
    if request.method == "GET":
        form.revision.data = current_revision(f"{folder}/{COURSE_FILE}")
    if form.validate_on_submit():
        ident = form.module_id.data or structure.suggest_slug(form.title.data)
        try:
            path = structure.create_module(folder, kind=form.kind.data, title=form.title.data, ident=ident,
                                           course_revision=form.revision.data, actor=current_user)
        except StructureError as problem:
            db.session.rollback()
            _error(form, problem.field or "title", str(problem))
        except DraftConflict as conflict:
            db.session.rollback()
            _error(form, "title", f"The course has changed since you opened this page ({conflict}). Check "
                   "the course page, then create the module again")
            form.revision.data = current_revision(f"{folder}/{COURSE_FILE}")
        else:
            db.session.commit()
            flash(f"The module {form.title.data} has been created as a draft at the end of the course.", "success")
            return redirect(_edit_url(path))
    return render_template("authoring/h7_new_module.html", form=form, folder=folder,
                           course_url=_course_url(folder))


@bp.post("/courses/<folder>/modules/<module_id>/move")
@allow(*AUTHORS)
def move_module(folder: str, module_id: str):
    """Up or down one place in the course's list; back to the moved row."""
    _folder_or_404(folder)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        structure.move_module(folder, module_id, by=-1 if form.direction.data == "up" else 1,
                              course_revision=form.revision.data, actor=current_user)
    except StructureError as problem:
        db.session.rollback()
        flash(str(problem), "error")
    except DraftConflict as conflict:
        db.session.rollback()
        flash(f"The module was not moved: the course has changed since you opened the page ({conflict}). "
              "Here is the order now.", "error")
    else:
        db.session.commit()
    return redirect(_course_url(folder, f"order-{module_id}"))


@bp.route("/courses/<folder>/modules/<module_id>/retire", methods=["GET", "POST"])
@allow(*AUTHORS)
def retire_module(folder: str, module_id: str):
    """What retiring does (GET), and retiring it from the course's draft (POST)."""
    _folder_or_404(folder)
    try:
        plan = structure.plan_retirement(folder, module_id)
    except StructureError:
        abort(404)
    form = RetireForm()
    if request.method == "GET":
        form.course_revision.data, form.file_revision.data = plan.course_revision, plan.file_revision
    if form.validate_on_submit():
        try:
            structure.retire_module(plan, course_revision=form.course_revision.data,
                                    file_revision=form.file_revision.data, actor=current_user)
        except StructureError as problem:
            db.session.rollback()
            _error(form, None, str(problem))
        except DraftConflict as conflict:
            db.session.rollback()
            _error(form, None, f"The module was not retired: it or the course has changed since you opened "
                               f"this page ({conflict}). Check the course page before you retire it")
            form.course_revision.data, form.file_revision.data = plan.course_revision, plan.file_revision
        else:
            db.session.commit()
            flash(f"'{module_id}' will leave the course when you next publish it.", "success")
            return redirect(_course_url(folder))
    return render_template("authoring/h7_retire_module.html", form=form, plan=plan, folder=folder,
                           course_url=_course_url(folder))


def _module_choices(folder: str) -> list[tuple[str, str]]:
    paths = sorted(p for p in working_files(folder, with_pictures=False)
                   if p.startswith(f"{folder}/") and p.endswith(".md") and p.count("/") == 1
                   and not p.endswith(f"/{COURSE_FILE}"))
    return [("", "Do not add it to a module")] + [(p, PurePosixPath(p).name) for p in paths]


@bp.route("/courses/<folder>/images", methods=["GET", "POST"])
@allow(*AUTHORS)
def upload_image(folder: str):
    """Upload a picture for the course's modules, and show the Markdown that shows it."""
    _folder_or_404(folder)
    form = PictureForm()
    form.module.choices = select_choices(_module_choices(folder))
    if request.method == "GET" and request.args.get("replace"):
        form.name.data = PurePosixPath(request.args["replace"]).stem
        form.revision.data = current_revision(f"{folder}/images/{request.args['replace']}")
        form.replace.data = "1"
    uploaded = None
    if form.validate_on_submit():
        upload = form.file.data
        name = form.name.data or structure.suggest_slug(PurePosixPath(upload.filename or "").stem)
        try:
            uploaded = pictures.store_picture(
                folder, name=name, data=upload.read(pictures.MAX_PICTURE_BYTES + 1),
                filename=upload.filename or "", alt=form.alt.data or "", decorative=form.decorative.data,
                expected_revision=form.revision.data, actor=current_user, replace=form.replace.data == "1",
                append_to=form.module.data or None,
            )
        except PictureError as problem:
            db.session.rollback()
            uploaded = None
            _error(form, problem.field, str(problem))
        except DraftConflict as conflict:
            db.session.rollback()
            uploaded = None
            _error(form, "name", f"Someone else saved a picture of that name since you opened this page "
                                 f"({conflict}): choose another name, or replace it from the list")
        else:
            db.session.commit()
            flash(f"{uploaded.path.split('/', 1)[1]} has been uploaded as a draft.", "success")
            form = PictureForm(formdata=None)
            form.module.choices = select_choices(_module_choices(folder))
    return render_template("authoring/h7_upload_image.html", form=form, folder=folder, uploaded=uploaded,
                           folder_pictures=pictures.folder_pictures(folder), course_url=_course_url(folder))


@bp.app_template_global("authoring_folder_pictures")
def folder_pictures_global(folder: str):
    """For the course page's pictures slot, which has no view of its own."""
    return pictures.folder_pictures(folder)
