"""Partnership admins' pages for agencies, teams and agency managers (on the admin blueprint)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from modules.accounts.forms import ConfirmForm
from modules.accounts.models import Agency, AgencyKind, Role, Team, User
from modules.admin import agencies
from modules.admin.forms import AgencyForm, ManagerForm, TeamForm
from modules.admin.views import bp
from modules.core.extensions import db
from modules.core.params import query_int
from modules.core.policies import allow
from modules.core.widgets import select_choices


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


@bp.route("/admin/agencies/new", methods=["GET", "POST"])
@allow(Role.partnership_admin)
def new_agency():
    """Add an agency to the partnership."""
    form = AgencyForm()
    if form.validate_on_submit():
        try:
            agency = agencies.create_agency(name=form.name.data, kind=AgencyKind[form.kind.data], actor=current_user)
        except agencies.WorkforceError as problem:
            form.name.errors.append(str(problem))
        else:
            db.session.commit()
            flash(f"{agency.name} has been added. Add its teams next.", "success")
            return redirect(url_for("admin.teams", agency_id=agency.id))
    return render_template("admin/agency_form.html", form=form, agency=None)


@bp.route("/agencies/<int:agency_id>/settings", methods=["GET", "POST"])
@allow(Role.partnership_admin)
def agency_settings(agency_id: int):
    """Rename an agency, change its kind, retire it or bring it back."""
    agency = db.get_or_404(Agency, agency_id)
    form = AgencyForm(data={"name": agency.name, "kind": agency.kind.name} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            agencies.update_agency(agency, name=form.name.data, kind=AgencyKind[form.kind.data], actor=current_user)
        except agencies.WorkforceError as problem:
            form.name.errors.append(str(problem))
        else:
            db.session.commit()
            flash(f"{agency.name} has been saved.", "success")
            return redirect(url_for("admin.agency", agency_id=agency.id))
    return render_template("admin/agency_form.html", form=form, agency=agency,
                           active_staff=agencies.active_staff_count(agency.id))


@bp.post("/agencies/<int:agency_id>/retirement")
@allow(Role.partnership_admin)
def agency_retirement(agency_id: int):
    """Retire an agency (retire=1) or bring it back into use (retire=0)."""
    agency = db.get_or_404(Agency, agency_id)
    _confirmed()
    retire = request.form.get("retire") == "1"
    try:
        agencies.set_agency_retired(agency, retire, actor=current_user)
    except agencies.WorkforceError as problem:
        flash(str(problem), "error")
        return redirect(url_for("admin.agency_settings", agency_id=agency.id))
    db.session.commit()
    flash(f"{agency.name} is {'retired' if retire else 'back in use'}.", "success")
    return redirect(url_for("admin.agency", agency_id=agency.id))


@bp.route("/agencies/<int:agency_id>/teams", methods=["GET", "POST"])
@allow(Role.partnership_admin)
def teams(agency_id: int):
    """An agency's teams, and adding one."""
    agency = db.get_or_404(Agency, agency_id)
    form = TeamForm()
    if form.validate_on_submit():
        try:
            team = agencies.add_team(agency, name=form.name.data, actor=current_user)
        except agencies.WorkforceError as problem:
            form.name.errors.append(str(problem))
        else:
            db.session.commit()
            flash(f"The team {team.name} has been added to {agency.name}.", "success")
            return redirect(url_for("admin.teams", agency_id=agency.id))
    return render_template("admin/teams.html", agency=agency, form=form,
                           sizes=agencies.team_sizes(agency.id))


@bp.route("/teams/<int:team_id>/edit", methods=["GET", "POST"])
@allow(Role.partnership_admin)
def edit_team(team_id: int):
    """Rename a team."""
    team = db.get_or_404(Team, team_id)
    form = TeamForm(data={"name": team.name} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            agencies.rename_team(team, name=form.name.data, actor=current_user)
        except agencies.WorkforceError as problem:
            form.name.errors.append(str(problem))
        else:
            db.session.commit()
            flash(f"The team is now called {team.name}.", "success")
            return redirect(url_for("admin.teams", agency_id=team.agency_id))
    return render_template("admin/team_form.html", team=team, form=form)


@bp.post("/teams/<int:team_id>/retirement")
@allow(Role.partnership_admin)
def team_retirement(team_id: int):
    """Retire a team (retire=1) or bring it back into use (retire=0)."""
    team = db.get_or_404(Team, team_id)
    _confirmed()
    retire = request.form.get("retire") == "1"
    agencies.set_team_retired(team, retire, actor=current_user)
    db.session.commit()
    flash(f"The team {team.name} is {'retired' if retire else 'back in use'}.", "success")
    return redirect(url_for("admin.teams", agency_id=team.agency_id))


@bp.route("/agencies/<int:agency_id>/managers", methods=["GET", "POST"])
@allow(Role.partnership_admin)
def managers(agency_id: int):
    """An agency's managers: make someone a manager (person=ID), or stop (remove=ID)."""
    agency = db.get_or_404(Agency, agency_id)
    form = ManagerForm()
    candidates = agencies.manager_candidates(agency.id)
    form.person.choices = select_choices(
        [("", "Select a person")] + [(str(p.id), f"{p.name} ({p.email})") for p in candidates])
    if request.method == "POST" and request.form.get("remove"):
        _confirmed()
        person = db.session.get(User, query_int(request.form, "remove", 0))
        return _set_manager(agency, person, False)
    if form.validate_on_submit():
        return _set_manager(agency, db.session.get(User, int(form.person.data)), True)
    return render_template("admin/managers.html", agency=agency, form=form,
                           managers=agencies.agency_managers(agency.id))


def _set_manager(agency: Agency, person: User | None, manager: bool):
    if person is None:
        abort(404)
    try:
        agencies.set_manager(agency, person, manager, actor=current_user)
    except agencies.WorkforceError as problem:
        flash(str(problem), "error")
    else:
        db.session.commit()
        flash(f"{person.name} is {'now' if manager else 'no longer'} a manager of {agency.name}.", "success")
    return redirect(url_for("admin.managers", agency_id=agency.id))
