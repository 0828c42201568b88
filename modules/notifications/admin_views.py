"""/admin/mail: mail that has not gone yet (failed, then pending), with a way to try again."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from modules.core import audit
from modules.core.extensions import db
from modules.core.jobs import enqueue_after_commit
from modules.core.policies import allow
from modules.core.roles import Role
from modules.notifications import queue
from modules.notifications.models import MailStatus, OutgoingMail

bp = Blueprint("mail", __name__, url_prefix="/admin/mail")


@bp.get("")
@allow(Role.partnership_admin)
def index():
    """Failed and pending mail."""
    messages = queue.undelivered()
    return render_template("notifications/mail_queue.html", messages=messages, form=FlaskForm(),
                           failed=sum(1 for m in messages if m.status is MailStatus.failed),
                           max_attempts=queue.MAX_ATTEMPTS)


@bp.post("/<int:mail_id>/retry")
@allow(Role.partnership_admin)
def retry(mail_id: int):
    """Put one message back in the queue and try it now."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    message = db.get_or_404(OutgoingMail, mail_id)
    if message.status is MailStatus.sent:
        flash(f"The message to {message.to_address} has already been sent.", "success")
        return redirect(url_for("mail.index"))
    queue.retry(message)
    audit.record("mail.retried", actor=current_user, subject=message, to=message.to_address)
    enqueue_after_commit(_deliver, [message.id])
    db.session.commit()
    flash(f"Trying the message to {message.to_address} again.", "success")
    return redirect(url_for("mail.index"))


def _deliver(mail_ids: list[int]) -> None:
    queue.deliver_pending(current_app.config, only_ids=mail_ids)
