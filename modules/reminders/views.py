"""Reminder settings (one person, one agency) and a manager's reminder to a report list."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from modules.accounts.forms import ConfirmForm
from modules.accounts.models import Agency, Role, User
from modules.core import audit
from modules.core.dates import uk_today
from modules.core.extensions import db, limiter
from modules.core.jobs import enqueue_after_commit
from modules.core.models import utcnow
from modules.core.policies import allow, require_actable, require_agency
from modules.notifications.queue import deliver_pending
from modules.reminders import manual
from modules.reports.filters import resolve

bp = Blueprint("reminders", __name__)

MANAGERS = (Role.manager, Role.partnership_admin)


def _switch_on() -> bool:
    """The submitted switch: ``enabled=1`` turns reminders on, anything else off."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return request.form.get("enabled") == "1"


@bp.post("/people/<int:user_id>/reminders")
@allow(*MANAGERS)
def set_person_reminders(user_id: int):
    """Turn one person's reminders on or off (someone the user may act on)."""
    person = require_actable(current_user, db.session.get(User, user_id))
    enabled = _switch_on()
    person.reminders_enabled = enabled
    audit.record("reminders.person_set", actor=current_user, subject=person, agency_id=person.agency_id,
                 enabled=enabled)
    db.session.commit()
    flash(f"Reminders for {person.name} are now {'on' if enabled else 'off'}.", "success")
    return redirect(url_for("admin.person", user_id=person.id))


@bp.post("/agencies/<int:agency_id>/reminders")
@allow(*MANAGERS)
def set_agency_reminders(agency_id: int):
    """Turn reminders on or off for everyone in an agency (its managers and partnership admins)."""
    require_agency(current_user, agency_id)
    agency = db.get_or_404(Agency, agency_id)
    enabled = _switch_on()
    agency.reminders_enabled = enabled
    audit.record("reminders.agency_set", actor=current_user, subject=agency, agency_id=agency.id, enabled=enabled)
    db.session.commit()
    flash(f"Reminders for {agency.name} are now {'on' if enabled else 'off'}.", "success")
    return redirect(url_for("admin.agency", agency_id=agency.id))


def _limit() -> str:
    return current_app.config["SIGHTLINE_LIST_REMINDER_LIMIT"]


def _sender_key() -> str:
    return f"list-reminder:{current_user.get_id()}"


@bp.route("/reports/people/remind", methods=["GET", "POST"])
@allow(*MANAGERS)
@limiter.limit(_limit, key_func=_sender_key, methods=["POST"])
def remind_list():
    """Confirm, then send, a reminder to the people of a filtered report list (copied to the sender)."""
    filters = resolve(current_user, request.args, uk_today(), with_status=True)
    back = url_for("reports.people") + (f"?{filters.query()}" if filters.query() else "")
    try:
        reminder = manual.plan(filters.scope, current_user)
    except manual.TooManyPeople:
        return render_template("reminders/remind_list.html", filters=filters, back=back, reminder=None,
                               too_many=manual.MAX_RECIPIENTS, form=ConfirmForm()), 200
    form = ConfirmForm()
    if request.method == "POST" and reminder.recipients:
        if not form.validate_on_submit():
            abort(400)
        ids = manual.send(current_user, reminder, agency_id=filters.agency.id if filters.agency else None,
                          query=filters.query(), now=utcnow())
        enqueue_after_commit(_deliver, ids)
        db.session.commit()
        count = len(reminder.recipients)
        flash(f"Reminder sent to {count} {'person' if count == 1 else 'people'}. We have emailed you a copy.",
              "success")
        return redirect(back)
    return render_template("reminders/remind_list.html", filters=filters, back=back, reminder=reminder,
                           too_many=None, form=form)


def _deliver(mail_ids: list[int]) -> None:
    """After the commit: send these now rather than at the next scheduled run."""
    deliver_pending(current_app.config, only_ids=mail_ids)
