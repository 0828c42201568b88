"""The public registration page (self-registration for staff on no payroll list)."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from modules.accounts import invitation_mail, registration
from modules.accounts.forms import RegisterForm
from modules.core.extensions import db, limiter
from modules.core.policies import allow
from modules.notifications import mail

bp = Blueprint("registration", __name__)


@bp.route("/register", methods=["GET", "POST"])
@allow(anonymous=True)
@limiter.limit("5 per minute;20 per hour", methods=["POST"])
def register():
    """Register yourself with an agency's code or an email address at an allowed domain."""
    if current_user.is_authenticated:
        return redirect(url_for("pages.index"))
    form = RegisterForm()
    open_agencies = registration.agencies_open_by_domain()
    form.agency.choices = [SelectChoice("", "Choose your agency")] + [
        SelectChoice(str(a.id), a.name) for a in open_agencies]
    if form.validate_on_submit():
        try:
            agency = registration.find_agency(code=form.code.data or "", agency_id=_int_or_none(form.agency.data),
                                              email=form.email.data)
        except registration.RegistrationRefused as refused:
            field = getattr(form, refused.field)
            field.errors = [*field.errors, refused.message]
        else:
            done = registration.register(name=form.name.data, email=form.email.data,
                                         job_title=form.job_title.data, agency=agency)
            db.session.commit()
            _mail(done, agency)
            # The same page whatever happened, so it says nothing about which addresses have accounts.
            return render_template("accounts/registration_sent.html", email=form.email.data)
    return render_template("accounts/register.html", form=form, open_agencies=open_agencies)


def _mail(done: registration.Registration, agency) -> None:
    # After the response, so that the time to reach the mail server cannot tell a new address
    # from one with an account.
    if done.outcome is registration.Outcome.invited:
        body = render_template("accounts/email/registration_invitation.txt", user=done.user, agency=agency,
                               link=invitation_mail.invitation_link(current_app.config["SIGHTLINE_BASE_URL"], done.invitation.token), expires_at=done.invitation.expires_at)
        subject = "Set your Sightline password"
    elif done.outcome is registration.Outcome.existing:
        body = render_template("accounts/email/registration_existing.txt", user=done.user,
                               link=current_app.config["SIGHTLINE_BASE_URL"] + url_for("accounts.forgotten_password"))
        subject = "You already have a Sightline account"
    else:
        return
    mail.send_after_response(current_app.config, to=done.user.email, subject=subject, body=body)


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdecimal() else None
