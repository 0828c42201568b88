"""Sign-in, sign-out, password change and password reset pages."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from modules.accounts import current_session, invitations, services, throttle
from modules.accounts.forms import (
    CertificateEmailForm,
    ChangePasswordForm,
    ConfirmForm,
    ForgottenPasswordForm,
    NewPasswordForm,
    SignInForm,
)
from modules.core.extensions import db, limiter
from modules.core.policies import allow
from modules.core.settings import setting
from modules.notifications import mail

bp = Blueprint("accounts", __name__)


def safe_next_url(target: str | None) -> str | None:
    """Only same-site paths, so ?next= cannot send a user to another site after sign-in."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
@allow(anonymous=True)
@limiter.limit(
    throttle.address_limit, methods=["POST"], deduct_when=throttle.failed, exempt_when=throttle.is_known_device
)
@limiter.limit(
    throttle.account_limit,
    key_func=throttle.sign_in_account_key,
    methods=["POST"],
    deduct_when=throttle.failed,
    error_message=throttle.sign_in_refused_message,
)
def sign_in():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("pages.index"))
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            current_session.begin(user)
            db.session.commit()
            response = redirect(safe_next_url(request.args.get("next")) or url_for("pages.index"))
            return throttle.remember_device(response, user)
        throttle.note_failure()
        db.session.commit()  # the audit event of the failure
        form.email.errors.append("Enter a correct email address and password")
    return render_template("accounts/sign_in.html", form=form)


@bp.post("/sign-out")
@allow()
def sign_out():
    """Sign out (POST only, with CSRF, so a link elsewhere cannot sign people out)."""
    current_session.end()
    db.session.commit()
    flash("You have signed out.", "success")
    return redirect(url_for("accounts.sign_in"))


@bp.route("/forgotten-password", methods=["GET", "POST"])
@allow(anonymous=True)
@limiter.limit("5 per minute;20 per hour", methods=["POST"])
def forgotten_password():
    """Ask for a password reset link."""
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        hours = setting("SIGHTLINE_PASSWORD_RESET_HOURS")
        issued = services.issue_password_reset(form.email.data, valid_for=timedelta(hours=hours))
        db.session.commit()
        if issued is not None:
            link = setting("SIGHTLINE_BASE_URL") + url_for("accounts.reset_password", token=issued.token)
            # After the response, so that answering for a known address takes no longer than
            # for an unknown one: the time to reach the mail server would tell them apart.
            mail.send_after_response(
                current_app.config,
                to=issued.user.email,
                subject="Reset your Sightline password",
                body=render_template("accounts/email/reset_password.txt", user=issued.user, link=link, hours=hours),
            )
        # The same answer whether or not the account exists.
        return render_template("accounts/reset_sent.html", email=form.email.data, hours=hours)
    return render_template("accounts/forgotten_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@allow(anonymous=True)
@limiter.limit("10 per minute", methods=["POST"])
def reset_password(token: str):
    """Choose a new password from an emailed link."""
    if services.find_valid_reset(token) is None:
        return render_template("accounts/reset_invalid.html"), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.complete_password_reset(token, form.password.data)
        except services.PasswordRejected as rejected:
            db.session.rollback()
            form.password.errors.extend(rejected.problems)
        else:
            if user is None:
                return render_template("accounts/reset_invalid.html"), 410
            current_session.end()
            db.session.commit()
            flash("Your password has been changed. Sign in with your new password.", "success")
            # Whoever holds the emailed link owns the account: this browser may sign in even
            # while the account is locked for devices it has not used.
            return throttle.remember_device(redirect(url_for("accounts.sign_in")), user)
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@allow(anonymous=True)
@limiter.limit("10 per minute", methods=["POST"])
def accept_invitation(token: str):
    """Choose a first password from an emailed invitation, then sign in."""
    invitation = invitations.find_valid_invitation(token)
    if invitation is None:
        return render_template("accounts/invitation_invalid.html"), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(token, form.password.data)
        except services.PasswordRejected as rejected:
            db.session.rollback()
            form.password.errors.extend(rejected.problems)
        else:
            if user is None:  # used by a request racing this one
                return render_template("accounts/invitation_invalid.html"), 410
            current_session.end()
            db.session.commit()
            flash("Your password is set. Sign in with your email address and new password.", "success")
            # As after a reset: whoever holds the emailed link owns the account.
            return throttle.remember_device(redirect(url_for("accounts.sign_in")), user)
    return render_template("accounts/accept_invitation.html", form=form, person=invitation.user)


@bp.route("/account", methods=["GET"])
@allow()
def account():
    """Your account details."""
    return _account_page(CertificateEmailForm(
        email_certificates="yes" if current_user.email_certificates else "no"))


def _account_page(certificate_email_form: CertificateEmailForm):
    return render_template("accounts/account.html", form=ConfirmForm(),
                           certificate_email_form=certificate_email_form)


@bp.post("/account/certificate-email")
@allow()
def certificate_email():
    """Turn on or off the email of each new certificate."""
    form = CertificateEmailForm()
    if not form.validate_on_submit():
        return _account_page(form)
    wanted = form.email_certificates.data == "yes"
    services.set_certificate_email(current_user, wanted)
    db.session.commit()
    flash("We will email you each certificate when you complete a course." if wanted else
          "We will not email your certificates. Download them from My certificates.", "success")
    return redirect(url_for("accounts.account") + "#certificate-email")


@bp.route("/account/password", methods=["GET", "POST"])
@allow()
@limiter.limit(
    throttle.CURRENT_PASSWORD_LIMIT,
    key_func=throttle.current_password_key,
    methods=["POST"],
    deduct_when=throttle.failed,
    error_message=throttle.current_password_refused_message,
)
def change_password():
    """Change your password; every other session of yours ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user,
                current_password=form.current_password.data,
                new_password=form.password.data,
                keep_session=current_session.token(),
            )
        except services.WrongCurrentPassword:
            throttle.note_failure()
            form.current_password.errors.append("Your current password is not correct")
        except services.PasswordRejected as rejected:
            db.session.rollback()
            form.password.errors.extend(rejected.problems)
        else:
            db.session.commit()
            flash("Your password has been changed. You have been signed out everywhere else.", "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form)


@bp.post("/account/sign-out-everywhere")
@allow()
def sign_out_everywhere():
    """End every session of this account, including this one."""
    services.end_all_sessions(current_user, actor=current_user)
    current_session.end()
    db.session.commit()
    flash("You have been signed out on every device.", "success")
    return redirect(url_for("accounts.sign_in"))
