"""Certificate pages: public verification, a learner's own certificates, a manager's ZIP, and a
partnership admin's revocation. Thin: parse, call modules.certificates.services, commit, render."""
from __future__ import annotations

import logging

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user

from modules.accounts.forms import ConfirmForm
from modules.accounts.models import Agency, Role
from modules.certificates import services
from modules.certificates.codes import format_code, normalise_code
from modules.certificates.effects import revocation_figures
from modules.certificates.errors import CertificateError
from modules.certificates.forms import (
    FILTER_FIELDS,
    CertificateFilterForm,
    ReinstateForm,
    RevokeForm,
    VerifyForm,
)
from modules.certificates.models import Certificate
from modules.core import audit
from modules.core.dates import uk_today
from modules.core.downloads import download_response
from modules.core.extensions import db, limiter
from modules.core.params import page_number
from modules.core.policies import allow, can_see_agency, require_agency
from modules.core.settings import setting

log = logging.getLogger(__name__)
bp = Blueprint("certificates", __name__)


def _verify_limit() -> str:
    return setting("SIGHTLINE_VERIFY_LIMIT")


# One budget per address for the form and the result pages together, so that nobody can
# harvest certificates by trying codes (they are unguessable anyway: 80 random bits).
verify_rate_limit = limiter.shared_limit(_verify_limit, scope="certificate-verify")


def _private(response: Response) -> Response:
    """Certificates name people: keep them out of shared caches and search engines."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


# Public verification ------------------------------------------------------------------------

@bp.get("/verify")
@allow(anonymous=True)
@verify_rate_limit
def verify_form():
    """Type a verification code; a valid one goes to its verification page."""
    form = VerifyForm(request.args)
    if "code" in request.args and form.validate():
        return redirect(url_for("certificates.verify", code=format_code(normalise_code(form.code.data))))
    return _private(Response(render_template("certificates/verify_form.html", form=form)))


@bp.get("/verify/<code>")
@allow(anonymous=True)
@verify_rate_limit
def verify(code: str):
    """The public verification page: the certificate's facts and whether it is valid."""
    certificate = services.find_by_code(code)
    if certificate is None:
        page = render_template("certificates/verify_not_found.html", code=code[:64])
        return _private(Response(page, status=404))
    result = services.verify(certificate, today=uk_today())
    page = render_template("certificates/verify.html", result=result, today=uk_today())
    return _private(Response(page))


# A learner's own certificates ---------------------------------------------------------------

@bp.get("/my-certificates")
@allow()
def mine():
    """Every certificate of the signed-in learner, current ones first."""
    rows = services.learner_certificates(current_user, today=uk_today())
    return render_template("certificates/mine.html", rows=rows, form=ConfirmForm())


def _viewable(certificate_id: int) -> Certificate:
    """The learner's own certificate, or one a manager or admin may see; 404 otherwise."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        abort(404)
    if certificate.user_id == current_user.id:
        return certificate
    if (current_user.has_role(Role.manager) or current_user.has_role(Role.partnership_admin)) \
            and can_see_agency(current_user, certificate.agency_id):
        return certificate
    abort(404)


def _unavailable(certificate: Certificate, status: int):
    return render_template("certificates/unavailable.html", certificate=certificate,
                           revoked=certificate.revoked_at is not None), status


@bp.get("/certificates/<int:certificate_id>/pdf")
@allow()
def download(certificate_id: int):
    """The certificate's PDF: the stored original, made now if it never was."""
    certificate = _viewable(certificate_id)
    try:
        pdf = services.downloadable_pdf(certificate)
    except services.CertificateUnavailable:
        return _unavailable(certificate, 410)
    except CertificateError:
        log.exception("certificate %s: PDF could not be made", certificate.number)
        db.session.rollback()
        return _unavailable(certificate, 503)
    db.session.commit()  # keeps a PDF made just now
    return download_response(pdf, filename=services.pdf_filename(certificate), content_type="application/pdf")


def _email_key() -> str:
    return f"certificate-email:{current_user.get_id()}"


@bp.post("/certificates/<int:certificate_id>/email")
@allow()
@limiter.limit("10 per hour", key_func=_email_key)
def email(certificate_id: int):
    """Email one of your own certificates to your own address."""
    certificate = services.owned_certificate(current_user, certificate_id)
    if certificate is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        address = services.email_certificate(certificate, current_app.config)
    except services.CertificateUnavailable:
        return _unavailable(certificate, 410)
    except CertificateError:
        log.exception("certificate %s: PDF could not be made", certificate.number)
        db.session.rollback()
        return _unavailable(certificate, 503)
    db.session.commit()
    flash(f"We have emailed your certificate for {certificate.course_title} to {address}.", "success")
    return redirect(url_for("certificates.mine"))


# Managers and partnership admins --------------------------------------------------------------

def _scoped(certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        abort(404)
    require_agency(current_user, certificate.agency_id)
    return certificate


@bp.get("/certificates/<int:certificate_id>")
@allow(Role.manager, Role.partnership_admin)
def show(certificate_id: int):
    """One certificate, for its agency's manager or a partnership admin (who may revoke it)."""
    certificate = _scoped(certificate_id)
    return _certificate_page(certificate)


def _certificate_page(certificate: Certificate, form: RevokeForm | None = None,
                      reinstate_form: ReinstateForm | None = None, status: int = 200):
    result = services.verify(certificate, today=uk_today())
    can_revoke = current_user.has_role(Role.partnership_admin)
    return render_template(
        "certificates/show.html", result=result, form=form or RevokeForm(formdata=None),
        reinstate_form=reinstate_form or ReinstateForm(formdata=None), can_revoke=can_revoke,
        has_pdf=services.stored_pdf_size(certificate) is not None,
    ), status


@bp.post("/certificates/<int:certificate_id>/revoke")
@allow(Role.partnership_admin)
def revoke(certificate_id: int):
    """Revoke a certificate, with a reason (audit-logged), in two steps: the first POST shows what
    it does to the completion and the figures (nothing is written); the confirmed one revokes.
    The verification page says so at once."""
    certificate = _scoped(certificate_id)
    form = RevokeForm()
    if not form.validate_on_submit():
        return _certificate_page(certificate, form)
    if certificate.revoked_at is None and not form.confirmed:
        return render_template(
            "certificates/revoke_confirm.html", certificate=certificate, form=form,
            category=form.chosen_category, figures=revocation_figures(certificate),
        )
    result = services.revoke(certificate, actor=current_user._get_current_object(),
                             reason=form.reason.data, category=form.chosen_category)
    if result.revoked:
        db.session.commit()
        withdrawn = (f" {certificate.learner_name}'s completion is withdrawn: they need to do the course again."
                     if result.completion_withdrawn else "")
        flash(f"Certificate {certificate.number} is revoked. Its verification page now says so.{withdrawn}",
              "success")
    else:
        db.session.rollback()
        flash(f"Certificate {certificate.number} was already revoked. The first revocation stands.", "error")
    return redirect(url_for("certificates.show", certificate_id=certificate.id))


@bp.post("/certificates/<int:certificate_id>/reinstate")
@allow(Role.partnership_admin)
def reinstate(certificate_id: int):
    """Undo a revocation, with a reason (audit-logged): valid again, same number and PDF."""
    certificate = _scoped(certificate_id)
    form = ReinstateForm()
    if not form.validate_on_submit():
        return _certificate_page(certificate, reinstate_form=form)
    result = services.reinstate(certificate, actor=current_user._get_current_object(), reason=form.reason.data)
    if result.reinstated:
        db.session.commit()
        restored = (f" {certificate.learner_name}'s completion counts again." if result.completion_restored else "")
        flash(f"Certificate {certificate.number} is reinstated. Its verification page says it is valid again.{restored}",
              "success")
    else:
        db.session.rollback()
        flash(f"Certificate {certificate.number} is not revoked, so there was nothing to reinstate.", "error")
    return redirect(url_for("certificates.show", certificate_id=certificate.id))


def _selection(agency_id: int):
    """The agency (in scope) and the filter form read from the query string."""
    require_agency(current_user, agency_id)
    agency = db.get_or_404(Agency, agency_id)
    form = CertificateFilterForm(request.args, course_choices=services.course_choices())
    valid = form.validate() if request.args else True
    selection = services.Selection(
        agency_id=agency.id,
        course_id=form.course_id if valid else None,
        completed_from=form.completed_from.data if valid else None,
        completed_to=form.completed_to.data if valid else None,
    )
    return agency, form, valid, selection


def _filter_args(selection) -> dict:
    args = {}
    if selection.course_id:
        args["course"] = selection.course_id
    for name, value in (("completed_from", selection.completed_from),
                        ("completed_to", selection.completed_to)):
        if value:
            args[name] = [str(value.day), str(value.month), str(value.year)]
    return args


@bp.get("/agencies/<int:agency_id>/certificates")
@allow(Role.manager, Role.partnership_admin)
def agency_certificates(agency_id: int):
    """An agency's certificates: filter, see how many, download them all as one ZIP."""
    agency, form, valid, selection = _selection(agency_id)
    page = page_number(request.args)
    summary = services.summarise(selection) if valid else None
    rows, has_next = services.agency_certificates(selection, today=uk_today(), page=page) \
        if valid else ([], False)
    return render_template(
        "certificates/agency.html", agency=agency, form=form, summary=summary, rows=rows,
        page=page, has_next=has_next, filter_args=_filter_args(selection),
    )


@bp.get("/agencies/<int:agency_id>/certificates.zip")
@allow(Role.manager, Role.partnership_admin)
def agency_zip(agency_id: int):
    """The selected certificates' stored PDFs as one ZIP, streamed with an exact size."""
    agency, form, valid, selection = _selection(agency_id)
    if not valid:
        # Back to the page, which explains what is wrong. Only the filter's own fields go along:
        # any other key (``_external``, ``_scheme``, ``agency_id``...) would be read by url_for.
        kept = {name: request.args.getlist(name) for name in FILTER_FIELDS if name in request.args}
        return redirect(url_for("certificates.agency_certificates", agency_id=agency.id, **kept))
    plan = services.zip_plan(selection)
    audit.record("certificates.zip_downloaded", actor=current_user._get_current_object(), agency_id=agency.id,
                 certificates=len(plan), course_id=selection.course_id,
                 completed_from=str(selection.completed_from or ""),
                 completed_to=str(selection.completed_to or ""))
    db.session.commit()
    # An exact length lets the browser show a real progress bar for a large download.
    return download_response(
        stream_with_context(services.zip_chunks(plan)), filename=services.zip_filename(agency.name, uk_today()),
        content_type="application/zip", length=services.zip_size_of(plan),
    )
