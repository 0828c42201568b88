"""Adding, editing, moving, inviting and deactivating people (on the admin blueprint).

Admins act on anyone; managers on the people of their own agency they may act on
(``policies.can_act_on``). Invitation emails go after the commit (``invitation_mail``).
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from modules.accounts import invitation_mail
from modules.accounts import services as account_services
from modules.accounts.forms import ConfirmForm
from modules.accounts.models import Agency, Role, User
from modules.admin import people
from modules.admin.agencies import WorkforceError
from modules.admin.forms import LeavingForm, MoveForm, PersonForm
from modules.admin.views import bp, person_page
from modules.core.dates import uk_today
from modules.core.extensions import db
from modules.core.policies import allow, grantable_roles, require_actable, require_agency
from modules.core.widgets import select_choices

NO_TEAM = ""


def _team_choices(agency: Agency, current_team_id: int | None = None):
    teams = [t for t in agency.teams if t.retired_at is None or t.id == current_team_id]
    return select_choices([(NO_TEAM, "No team")] + [(str(t.id), t.name) for t in teams])


def _person_form(agency: Agency, person: User | None = None) -> PersonForm:
    data = None
    if person is not None and request.method == "GET":
        data = {"name": person.name, "email": person.email, "job_title": person.job_title,
                "team": str(person.team_id) if person.team_id else NO_TEAM, "level": str(person.training_level),
                "roles": [r.name for r in person.roles if r != Role.learner]}
    form = PersonForm(data=data)
    form.team.choices = _team_choices(agency, person.team_id if person else None)
    offered = sorted(grantable_roles(current_user) - {Role.learner}, key=lambda r: list(Role).index(r))
    if person is not None and person.id == current_user.id:
        offered = []  # nobody changes their own roles (people.update_person keeps them)
    form.roles.choices = select_choices([(r.name, r.label) for r in offered])
    if not offered:
        del form.roles
    if person is not None:
        del form.send_invitation
    return form


def _details(form: PersonForm) -> people.PersonDetails:
    roles = form.roles.data if "roles" in form else []
    return people.PersonDetails(
        name=form.name.data, email=form.email.data, team_id=int(form.team.data) if form.team.data else None,
        job_title=form.job_title.data or "", level=int(form.level.data),
        roles=frozenset(Role[name] for name in roles or []),
    )


def _invite(person: User) -> None:
    issued = people.invite(person, actor=current_user, valid_for=invitation_mail.valid_for(current_app.config))
    invitation_mail.mail_after_commit(issued)


@bp.route("/agencies/<int:agency_id>/people/new", methods=["GET", "POST"])
@allow(Role.manager, Role.partnership_admin)
def add_person(agency_id: int):
    """Add one person to an agency, and invite them (by default)."""
    require_agency(current_user, agency_id)
    agency = db.get_or_404(Agency, agency_id)
    form = _person_form(agency)
    if form.validate_on_submit():
        try:
            person = people.add_person(agency, _details(form), actor=current_user, today=uk_today())
        except WorkforceError as problem:
            _field_for(form, str(problem)).errors.append(str(problem))
        else:
            if form.send_invitation.data:
                _invite(person)
            db.session.commit()
            sent = f" An invitation has been emailed to {person.email}." if form.send_invitation.data else ""
            flash(f"{person.name} has been added.{sent}", "success")
            return redirect(url_for("admin.person", user_id=person.id))
    return render_template("admin/person_form.html", form=form, agency=agency, person=None)


@bp.route("/people/<int:user_id>/edit", methods=["GET", "POST"])
@allow(Role.manager, Role.partnership_admin)
def edit_person(user_id: int):
    """Edit a person's name, email, team, job title, level and roles."""
    person = require_actable(current_user, db.session.get(User, user_id))
    form = _person_form(person.agency, person)
    if form.validate_on_submit():
        try:
            people.update_person(person, _details(form), actor=current_user)
        except WorkforceError as problem:
            db.session.rollback()
            _field_for(form, str(problem)).errors.append(str(problem))
        else:
            db.session.commit()
            flash(f"{person.name}'s details have been saved.", "success")
            return redirect(url_for("admin.person", user_id=person.id))
    return render_template("admin/person_form.html", form=form, agency=person.agency, person=person)


def _field_for(form: PersonForm, message: str):
    """The field a service's refusal is about, for the error summary's link."""
    if "email address" in message:
        return form.email
    if "team" in message:
        return form.team
    if "role" in message and "roles" in form:
        return form.roles
    return form.name


@bp.route("/people/<int:user_id>/move", methods=["GET", "POST"])
@allow(Role.partnership_admin)
def move_person(user_id: int):
    """Move a person to another agency (admins only)."""
    person = require_actable(current_user, db.session.get(User, user_id))
    destinations = list(db.session.scalars(
        select(Agency).where(Agency.retired_at.is_(None), Agency.id != person.agency_id).order_by(Agency.name)))
    form = MoveForm()
    form.agency.choices = select_choices([("", "Select an agency")] + [(str(a.id), a.name) for a in destinations])
    form.team.choices = select_choices(
        [(NO_TEAM, "No team")]
        + [(str(t.id), f"{a.name}: {t.name}") for a in destinations for t in a.teams if t.retired_at is None])
    if form.validate_on_submit():
        agency = db.get_or_404(Agency, int(form.agency.data))
        try:
            people.move_person(person, agency, int(form.team.data) if form.team.data else None,
                               actor=current_user, today=uk_today())
        except WorkforceError as problem:
            form.team.errors.append(str(problem))
        else:
            db.session.commit()
            flash(f"{person.name} has moved to {agency.name}.", "success")
            return redirect(url_for("admin.person", user_id=person.id))
    return render_template("admin/move_person.html", form=form, person=person)


@bp.post("/people/<int:user_id>/invitation")
@allow(Role.manager, Role.partnership_admin)
def send_invitation(user_id: int):
    """Send (or resend) an invitation; any earlier link stops working."""
    person = require_actable(current_user, db.session.get(User, user_id))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if person.id == current_user.id or not person.active or person.password_hash:
        flash(f"{person.name} does not need an invitation: their account is "
              f"{'deactivated' if not person.active else 'already set up'}.", "error")
        return redirect(url_for("admin.person", user_id=person.id))
    _invite(person)
    db.session.commit()
    flash(f"An invitation has been emailed to {person.email}. Any earlier link no longer works.", "success")
    return redirect(url_for("admin.person", user_id=person.id))


@bp.post("/people/<int:user_id>/active")
@allow(Role.manager, Role.partnership_admin)
def set_active(user_id: int):
    """Deactivate a leaver (with their leaving date) or reactivate an account; deactivation signs
    the person out everywhere at once.

    Only for someone the user may act on (a manager: their agency's learners; see can_act_on)."""
    person = require_actable(current_user, db.session.get(User, user_id))
    form = LeavingForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        return person_page(person, form)
    if person.id == current_user.id:
        flash("You cannot deactivate your own account.", "error")
        return redirect(url_for("admin.person", user_id=person.id))
    make_active = request.form.get("active") == "1"
    if make_active:
        account_services.set_active(person, True, actor=current_user)
    else:
        try:
            people.deactivate(person, left_on=form.left_on.data, actor=current_user, today=uk_today())
        except WorkforceError as problem:
            form.left_on.errors = [*form.left_on.errors, str(problem)]
            return person_page(person, form)
    db.session.commit()
    flash(f"{person.name}'s account is now {'active' if make_active else 'deactivated'}.", "success")
    return redirect(url_for("admin.person", user_id=person.id))

