"""Manager and partnership-admin pages. Agency scoping is enforced by modules.core.policies."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from modules.accounts import invitations
from modules.accounts.models import TRAINING_LEVELS, Agency, Role, User
from modules.admin import audit_sentences, services, settings_views
from modules.admin.forms import LeavingForm
from modules.certificates.services import learner_certificates
from modules.core.dates import uk_today
from modules.core.extensions import db
from modules.core.params import page_number
from modules.core.policies import allow, can_act_on, can_see_agency, require_agency, require_person
from modules.core.settings import setting
from modules.reports.headline import agency_headline, staff_training
from modules.reports.record import person_record

bp = Blueprint("admin", __name__)


@bp.get("/admin")
@allow(Role.partnership_admin)
def home():
    """Partnership admin home: every agency side by side."""
    summaries = services.agency_summaries(None)
    return render_template(
        "admin/home.html",
        summaries=[s for s in summaries if s.agency.retired_at is None],
        retired=[s for s in summaries if s.agency.retired_at is not None],
        address=settings_views.public_address(),
    )


@bp.get("/manager")
@allow(Role.manager)
def agency_home():
    """Manager home: their own agency."""
    return redirect(url_for("admin.agency", agency_id=current_user.agency_id))


@bp.get("/agencies/<int:agency_id>")
@allow(Role.manager, Role.partnership_admin)
def agency(agency_id: int):
    """One agency: its compliance first (the dashboard's figure), then its staff with their
    training status."""
    require_agency(current_user, agency_id)
    agency = db.get_or_404(Agency, agency_id)
    summary = services.agency_summaries({agency_id})[0]
    today = uk_today()
    return render_template(
        "admin/agency.html", agency=agency, summary=summary, staff=services.agency_staff(agency_id),
        levels=TRAINING_LEVELS, may_add=agency.retired_at is None,
        headline=agency_headline(agency_id, today) if summary.staff else None,
        training=staff_training(agency_id, today) if summary.staff else {},
        own_agency=agency_id == current_user.agency_id and not current_user.has_role(Role.partnership_admin),
    )


@bp.get("/people/<int:user_id>")
@allow(Role.manager, Role.partnership_admin)
def person(user_id: int):
    """One member of staff: who they are, their required training, certificates and completions,
    and what the user may do about them (the one person page; /reports/people/<id> redirects here)."""
    return person_page(require_person(current_user, db.session.get(User, user_id)))


def person_page(person: User, leaving_form=None) -> str:
    """The person page, with what the user may do to them (and a leaving form's errors, if any)."""
    may_act = person.id != current_user.id and can_act_on(current_user, person)
    today = uk_today()
    record = person_record(person, today, window_days=setting("SIGHTLINE_REFRESHER_WINDOW_DAYS"),
                           due_soon_days=setting("SIGHTLINE_DUE_SOON_DAYS"))
    certificates = learner_certificates(person, today=today)
    return render_template(
        "admin/person.html", person=person, levels=TRAINING_LEVELS,
        leaving_form=leaving_form or LeavingForm(formdata=None), may_act=may_act,
        may_edit=person.id == current_user.id or may_act,
        may_move=may_act and current_user.has_role(Role.partnership_admin),
        invitation=invitations.invitation_status(person.id),
        record=record, certificates=certificates,
        # A certificate belongs to the agency that issued it: after a move, the new agency's
        # manager sees it listed but cannot open it (certificates.show answers 404).
        openable={row.certificate.id for row in certificates if can_see_agency(current_user, row.certificate.agency_id)},
    )


@bp.get("/admin/audit")
@allow(Role.partnership_admin)
def audit_log():
    """The audit log, newest first."""
    page = page_number(request.args)
    events, has_next = services.audit_page(page)
    names = audit_sentences.load_names(events)
    labels = settings_views.SETTING_LABELS
    rows = [(e, audit_sentences.sentence(e, names, setting_labels=labels)) for e in events]
    return render_template("admin/audit.html", rows=rows, page=page, has_next=has_next)
