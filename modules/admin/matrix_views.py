"""The training matrix pages: partnership admins edit it; managers read their agency kind's rows.

Every change shows its effect first (who newly has to take the course, who no longer does) and
is saved only from a form whose values were previewed.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from modules.accounts.forms import ConfirmForm
from modules.accounts.models import Agency, AgencyKind, Role, Team
from modules.admin import matrix
from modules.admin.requirement_forms import RequirementForm, choices
from modules.content.models import Course, CourseVersion
from modules.core import audit
from modules.core.dates import uk_today
from modules.core.extensions import db
from modules.core.policies import allow
from modules.learning import requirements
from modules.learning.models import TrainingRequirement

bp = Blueprint("matrix", __name__, url_prefix="/admin/training-matrix")


@bp.get("")
@allow(Role.manager, Role.partnership_admin)
def index():
    """Every requirement by agency kind; a manager sees their own kind, counted in their agency."""
    if current_user.has_role(Role.partnership_admin):
        groups = matrix.matrix(today=uk_today())
    else:
        groups = matrix.matrix(today=uk_today(), kinds=[current_user.agency.kind],
                               agency_ids={current_user.agency_id})
    return render_template("admin/matrix.html", groups=groups, may_edit=current_user.has_role(Role.partnership_admin),
                           describe=matrix.describe_counts)


@bp.route("/new", methods=["GET", "POST"])
@allow(Role.partnership_admin)
def add():
    """Add a requirement, after seeing its effect."""
    return _edit_page(None)


@bp.route("/<int:requirement_id>/edit", methods=["GET", "POST"])
@allow(Role.partnership_admin)
def edit(requirement_id: int):
    """Change a requirement, after seeing its effect."""
    return _edit_page(db.get_or_404(TrainingRequirement, requirement_id))


@bp.route("/<int:requirement_id>/remove", methods=["GET", "POST"])
@allow(Role.partnership_admin)
def remove(requirement_id: int):
    """Remove a requirement: the effect, then a button to confirm."""
    requirement = db.get_or_404(TrainingRequirement, requirement_id)
    before = matrix.Scope.of(requirement)
    form = ConfirmForm()
    if form.validate_on_submit():
        audit.record("training_requirement.removed", actor=current_user, subject=requirement,
                     before=before.audit_details(), after=None)
        requirements.remove_requirement(requirement)
        db.session.commit()
        flash(f"{before.audit_details()['course']} is no longer required of {before.agency_kind.label} "
              "staff in that scope. Their completions stay on record.", "success")
        return redirect(url_for("matrix.index"))
    effect = matrix.preview(before=before, after=None, requirement_id=requirement.id, today=uk_today())
    return render_template("admin/matrix_remove.html", requirement=requirement, scope=before, effect=effect,
                           form=form, describe=matrix.describe_counts)


def _edit_page(requirement: TrainingRequirement | None):
    form = RequirementForm(obj=None)
    courses = _courses_with_content()
    teams = _teams()
    if requirement is not None and requirement.team is not None and requirement.team not in teams:
        teams.append(requirement.team)  # a retired team stays choosable on its own requirement
    form.course.choices = choices([("", "Select a course")] + [(str(c.id), f"{v.code} {v.title}") for c, v in courses])
    form.team.choices = choices([("", "All teams")] + [
        (str(team.id), f"{team.name} ({team.agency.name}, {team.agency.kind.label})") for team in teams])
    if requirement is not None and not form.is_submitted():
        _fill(form, requirement)
    effect = None
    if form.validate_on_submit():
        scope = _scope(form, requirement, {str(c.id): c for c, _ in courses}, {str(t.id): t for t in teams})
        if scope is not None:
            before = matrix.Scope.of(requirement) if requirement else None
            if form.save.data and form.previewed.data == form.fingerprint():
                _save(requirement, scope, before)
                db.session.commit()
                flash(f"Saved: {scope.audit_details()['course']} for {scope.agency_kind.label}.", "success")
                return redirect(url_for("matrix.index"))
            effect = matrix.preview(before=before, after=scope, requirement_id=requirement.id if requirement else None,
                                    today=uk_today())
            form.previewed.data = form.fingerprint()
    return render_template("admin/matrix_edit.html", form=form, requirement=requirement, effect=effect,
                           describe=matrix.describe_counts)


def _save(requirement: TrainingRequirement | None, scope: matrix.Scope, before: matrix.Scope | None) -> None:
    values = dict(team=scope.team, min_training_level=scope.min_training_level,
                  refresher_months=scope.refresher_months, due_within_days=scope.due_within_days)
    if requirement is None:
        requirement = requirements.set_requirement(scope.course, scope.agency_kind, **values)
        db.session.flush()
        action = "training_requirement.added"
    else:
        requirements.change_requirement(requirement, course=scope.course, agency_kind=scope.agency_kind, **values)
        action = "training_requirement.changed"
    audit.record(action, actor=current_user, subject=requirement,
                 before=before.audit_details() if before else None, after=scope.audit_details())


def _scope(form: RequirementForm, requirement, courses: dict, teams: dict) -> matrix.Scope | None:
    """The scope the form describes, or None with the problem added to the field's errors."""
    course = courses.get(form.course.data)
    kind = AgencyKind.__members__.get(form.agency_kind.data)
    if course is None or kind is None:  # a choice the select offers is always one of these
        abort(400)
    team = teams.get(form.team.data) if form.team.data else None
    if form.team.data and (team is None or team.agency.kind != kind):
        where = f"{team.name} is in {team.agency.name}, a {team.agency.kind.label} agency" if team else "That team no longer exists"
        form.team.errors = [*form.team.errors, f"Choose a team of a {kind.label} agency, or All teams. {where}"]
        return None
    level = int(form.min_training_level.data) if form.min_training_level.data else None
    existing = requirements.find_requirement(course, kind, team=team, min_training_level=level)
    if existing is not None and (requirement is None or existing.id != requirement.id):
        form.course.errors = [*form.course.errors,
                              "This course is already required of this agency kind, team and level: edit that one"]
        return None
    return matrix.Scope(course, kind, team, level, form.refresher_value(), form.due_value())


def _fill(form: RequirementForm, requirement: TrainingRequirement) -> None:
    form.course.data = str(requirement.course_id)
    form.agency_kind.data = requirement.agency_kind.name
    form.team.data = str(requirement.team_id) if requirement.team_id else ""
    form.min_training_level.data = str(requirement.min_training_level) if requirement.min_training_level else ""
    form.refresher_months.data = str(requirement.refresher_months) if requirement.refresher_months else ""
    form.due_within_days.data = str(requirement.due_within_days)


def _courses_with_content() -> list[tuple[Course, CourseVersion]]:
    return [tuple(row) for row in db.session.execute(
        select(Course, CourseVersion).join(CourseVersion, CourseVersion.id == Course.current_version_id)
        .order_by(CourseVersion.code))]


def _teams() -> list[Team]:
    return list(db.session.scalars(
        select(Team).join(Agency, Agency.id == Team.agency_id)
        .where(Team.retired_at.is_(None), Agency.retired_at.is_(None))
        .order_by(Agency.kind, Agency.name, Team.name)))
