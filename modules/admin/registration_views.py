"""An agency's self-registration settings and the approvals of the people who registered.

Both are for partnership admins and for the agency's own managers: the manager is the one who
knows which drivers are theirs, hands out the code and approves who registers with it, and the
settings reach no further than their own agency.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from modules.accounts import registration
from modules.accounts.forms import ConfirmForm
from modules.accounts.models import Agency, Approval, Role, User
from modules.admin.forms import RegistrationSettingsForm
from modules.core.extensions import db
from modules.core.policies import allow, require_actable, require_agency

bp = Blueprint("agency_registration", __name__, url_prefix="/agencies/<int:agency_id>")

ROLES = (Role.manager, Role.partnership_admin)


def _agency(agency_id: int) -> Agency:
    """:raise 404: for an agency that does not exist or is outside the user's scope."""
    require_agency(current_user, agency_id)
    return db.get_or_404(Agency, agency_id)


@bp.route("/registration", methods=["GET", "POST"])
@allow(*ROLES)
def settings(agency_id: int):
    """Whether people may register themselves with this agency, its code and allowed domains."""
    agency = _agency(agency_id)
    form = RegistrationSettingsForm()
    if not form.is_submitted():
        form.self_registration.data = agency.self_registration
        form.registration_domains.data = " ".join(registration.agency_domains(agency))
    if form.validate_on_submit():
        try:
            domains = registration.parse_domains(form.registration_domains.data)
        except ValueError as problem:
            form.registration_domains.errors = [*form.registration_domains.errors, str(problem)]
        else:
            registration.update_settings(agency, enabled=form.self_registration.data, domains=domains,
                                         actor=current_user)
            db.session.commit()
            flash("Registration settings saved.", "success")
            return redirect(url_for("agency_registration.settings", agency_id=agency.id))
    return render_template("admin/registration.html", agency=agency, form=form, code_form=ConfirmForm(prefix="code"))


@bp.post("/registration/code")
@allow(*ROLES)
def new_code(agency_id: int):
    """Replace the registration code (the old one stops working)."""
    agency = _agency(agency_id)
    if not ConfirmForm(prefix="code").validate_on_submit():
        abort(400)
    code = registration.regenerate_code(agency, actor=current_user)
    db.session.commit()
    flash(f"The new registration code is {code}. The old code no longer works.", "success")
    return redirect(url_for("agency_registration.settings", agency_id=agency.id))


@bp.get("/approvals")
@allow(*ROLES)
def approvals(agency_id: int):
    """People who registered themselves and are waiting for approval."""
    agency = _agency(agency_id)
    return render_template("admin/approvals.html", agency=agency, people=registration.pending_people(agency.id))


@bp.post("/approvals/<int:user_id>")
@allow(*ROLES)
def decide(agency_id: int, user_id: int):
    """Approve or reject one registration."""
    agency = _agency(agency_id)
    person = db.session.get(User, user_id)
    if person is None or person.agency_id != agency.id or person.approval is not Approval.pending:
        abort(404)
    require_actable(current_user, person)
    decision = request.form.get("decision")
    if not ConfirmForm().validate_on_submit() or decision not in ("approve", "reject"):
        abort(400)
    if decision == "approve":
        registration.approve(person, actor=current_user)
        message = f"{person.name} is approved and now counts in {agency.name}'s figures."
    else:
        registration.reject(person, actor=current_user)
        message = f"{person.name}'s registration is rejected and their account is deactivated."
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("agency_registration.approvals", agency_id=agency.id))
