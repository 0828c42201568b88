"""Manager and partnership-admin pages. Agency scoping is enforced by modules.core.policies."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from modules.accounts import services as account_services
from modules.accounts.forms import ConfirmForm
from modules.accounts.models import TRAINING_LEVELS, Agency, Role, User
from modules.admin import services
from modules.core.extensions import db
from modules.core.params import page_number
from modules.core.policies import allow, can_act_on, require_actable, require_agency, require_person

bp = Blueprint("admin", __name__)


@bp.get("/admin")
@allow(Role.partnership_admin)
def home():
    """Partnership admin home: every agency side by side."""
    return render_template("admin/home.html", summaries=services.agency_summaries(None))


@bp.get("/manager")
@allow(Role.manager)
def agency_home():
    """Manager home: their own agency."""
    return redirect(url_for("admin.agency", agency_id=current_user.agency_id))


@bp.get("/agencies/<int:agency_id>")
@allow(Role.manager, Role.partnership_admin)
def agency(agency_id: int):
    """One agency's staff."""
    require_agency(current_user, agency_id)
    agency = db.get_or_404(Agency, agency_id)
    summary = services.agency_summaries({agency_id})[0]
    return render_template(
        "admin/agency.html", agency=agency, summary=summary, staff=services.agency_staff(agency_id),
        levels=TRAINING_LEVELS,
    )


@bp.get("/people/<int:user_id>")
@allow(Role.manager, Role.partnership_admin)
def person(user_id: int):
    """One member of staff."""
    person = require_person(current_user, db.session.get(User, user_id))
    may_act = person.id != current_user.id and can_act_on(current_user, person)
    return render_template("admin/person.html", person=person, levels=TRAINING_LEVELS, form=ConfirmForm(),
                           may_act=may_act)


@bp.post("/people/<int:user_id>/active")
@allow(Role.manager, Role.partnership_admin)
def set_active(user_id: int):
    """Deactivate or reactivate an account; deactivation signs the person out everywhere.

    Only for someone the user may act on (a manager: their agency's learners; see can_act_on)."""
    person = require_actable(current_user, db.session.get(User, user_id))
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if person.id == current_user.id:
        flash("You cannot deactivate your own account.", "error")
        return redirect(url_for("admin.person", user_id=person.id))
    make_active = request.form.get("active") == "1"
    account_services.set_active(person, make_active, actor=current_user)
    db.session.commit()
    flash(f"{person.name}'s account is now {'active' if make_active else 'deactivated'}.", "success")
    return redirect(url_for("admin.person", user_id=person.id))


@bp.get("/admin/audit")
@allow(Role.partnership_admin)
def audit_log():
    """The audit log, newest first."""
    page = page_number(request.args)
    events, has_next = services.audit_page(page)
    return render_template(
        "admin/audit.html", events=events, names=services.actor_names(events), page=page, has_next=has_next
    )
