"""The authoring home, a course's page and publishing a course's drafts."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from modules.authoring.editor_forms import PublishForm
from modules.authoring.overview import CourseOverview, all_overviews, course_overview
from modules.authoring.publish_review import review
from modules.authoring.publishing import publish_drafts
from modules.authoring.views import bp
from modules.authoring.workspace import unrecorded_courses
from modules.core.extensions import db
from modules.core.policies import allow
from modules.core.roles import Role


def _overview_or_404(folder: str) -> CourseOverview:
    overview = course_overview(folder) if "/" not in folder else None
    if overview is None:
        abort(404)
    return overview


@bp.get("/")
@allow(Role.trainer, Role.partnership_admin)
def home():
    """Every course of the content folder, with whether it is published and has drafts."""
    return render_template("authoring/home.html", folders=all_overviews(), unrecorded=unrecorded_courses())


@bp.get("/courses/<folder>")
@allow(Role.trainer, Role.partnership_admin)
def course(folder: str):
    """A course's modules and other files: kind, versions, learners on each, drafts."""
    return render_template("authoring/course.html", overview=_overview_or_404(folder), folder=folder)


@bp.route("/courses/<folder>/publish", methods=["GET", "POST"])
@allow(Role.trainer, Role.partnership_admin)
def publish(folder: str):
    """Check the course with its drafts, then publish them as the next versions, with a note."""
    overview = _overview_or_404(folder)
    form = PublishForm()
    if form.validate_on_submit():
        if not overview.has_drafts:
            form.note.errors.append("There are no unpublished changes in this course to publish")
        else:
            outcome = publish_drafts(folder, actor=current_user, note=form.note.data.strip())
            if outcome.published:
                db.session.commit()
                flash("Published: " + " ".join(outcome.summary.lines()), "success")
                return redirect(url_for("authoring.course", folder=folder))
            # Errors: nothing was written, and the review below shows them.
            db.session.rollback()
    status = 400 if form.is_submitted() else 200
    return render_template("authoring/publish.html", overview=overview, folder=folder, form=form,
                           review=review(folder)), status
