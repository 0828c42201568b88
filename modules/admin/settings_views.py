"""The partnership settings page (partnership admins): support lines, the staff support line,
local contacts, reporting targets and the logo. Each section previews what learners will see
with the typed values (nothing saved) before Save; every save is audited and committed once.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from modules.accounts.models import Role
from modules.admin import settings
from modules.admin.settings_forms import (
    EmployerLineForm,
    LocalContactsForm,
    LogoForm,
    RemoveLogoForm,
    ResetContactsForm,
    SupportLinesForm,
    TargetsForm,
    contact_rows,
    support_line_rows,
)
from modules.core import partnership_settings
from modules.core.extensions import db
from modules.core.policies import allow
from modules.learning.contacts import parse_contacts

bp = Blueprint("settings", __name__)

# How the audit log names each setting an event changed.
SETTING_LABELS = {name: declared.label for name, declared in partnership_settings.DECLARED.items()} | {
    settings.LOGO: "Logo"}

def public_address():
    """The address certificates print against the one this request came in on."""
    return settings.public_address(
        current_app.config["SIGHTLINE_BASE_URL"], request.url_root,
        production=current_app.config.get("SIGHTLINE_ENV") == "production",
    )


def _stored_forms() -> dict:
    employer = partnership_settings.get("employer_support_line") or {}
    return {
        "support_lines": SupportLinesForm(
            formdata=None, data={"lines": support_line_rows(partnership_settings.get("support_lines"))}),
        "employer_line": EmployerLineForm(formdata=None, data=employer),
        "local_contacts": LocalContactsForm(formdata=None, data={
            "intro": settings.current_contacts().intro,
            "contacts": contact_rows(settings.current_contacts().contacts)}),
        "targets": TargetsForm(formdata=None, data={
            "target": partnership_settings.get("compliance_target_percent"),
            "amber": partnership_settings.get("compliance_amber_percent")}),
        "logo": LogoForm(formdata=None),
        "remove_logo": RemoveLogoForm(formdata=None),
        "reset_contacts": ResetContactsForm(formdata=None),
    }


def _page(section: str | None = None, form=None, preview: dict | None = None, status: int = 200):
    """The settings page; ``form`` (the posted one, with its errors or typed values) replaces the
    stored values of ``section``; ``preview`` holds what that section would show learners."""
    forms = _stored_forms()
    if form is not None:
        forms[section] = form
    shown = {
        "support_lines": partnership_settings.get("support_lines"),
        "employer_support_line": partnership_settings.get("employer_support_line"),
        "contacts": settings.current_contacts(),
    }
    return render_template(
        "admin/settings.html", forms=forms, section=section, preview=preview or {}, shown=shown,
        form=form,  # the page title says "Error:" when the posted form has errors
        address=public_address(), logo=settings.current_logo(),
        contacts_changed=partnership_settings.is_changed("local_contacts"),
        contacts_file=settings.contacts_from_file(),
        declared=partnership_settings.DECLARED,
    ), status


def _saved(name: str, changed: bool):
    if changed:
        db.session.commit()
        flash(f"{partnership_settings.DECLARED[name].label}: saved. Learners see the change now.", "success")
    else:
        flash(f"{partnership_settings.DECLARED[name].label}: nothing had changed.", "info")


@bp.get("/admin/settings")
@allow(Role.partnership_admin)
def index():
    """Every partnership setting, with what learners see today."""
    return _page()


@bp.post("/admin/settings/support-lines")
@allow(Role.partnership_admin)
def support_lines():
    form = SupportLinesForm()
    if not form.validate_on_submit():
        return _page("support_lines", form)
    if form.previewing:
        return _page("support_lines", form, preview={
            "support_lines": form.value(),
            "employer_support_line": partnership_settings.get("employer_support_line")})
    _saved("support_lines", partnership_settings.put("support_lines", form.value(), actor=current_user))
    return redirect(url_for("settings.index"))


@bp.post("/admin/settings/employer-line")
@allow(Role.partnership_admin)
def employer_line():
    form = EmployerLineForm()
    if not form.validate_on_submit():
        return _page("employer_line", form)
    if form.previewing:
        return _page("employer_line", form, preview={
            "support_lines": partnership_settings.get("support_lines"),
            "employer_support_line": form.value()})
    _saved("employer_support_line",
           partnership_settings.put("employer_support_line", form.value(), actor=current_user))
    return redirect(url_for("settings.index"))


@bp.post("/admin/settings/local-contacts")
@allow(Role.partnership_admin)
def local_contacts():
    form = LocalContactsForm()
    if not form.validate_on_submit():
        return _page("local_contacts", form)
    if form.previewing:
        return _page("local_contacts", form, preview={"contacts": parse_contacts(form.value())})
    _saved("local_contacts", partnership_settings.put("local_contacts", form.value(), actor=current_user))
    return redirect(url_for("settings.index"))


@bp.post("/admin/settings/local-contacts/reset")
@allow(Role.partnership_admin)
def reset_local_contacts():
    form = ResetContactsForm()
    if not form.validate_on_submit():
        return _page("reset_contacts", form)
    if partnership_settings.reset("local_contacts", actor=current_user):
        db.session.commit()
        flash("Local contacts: learners see the contacts in the file again.", "success")
    return redirect(url_for("settings.index"))


@bp.post("/admin/settings/targets")
@allow(Role.partnership_admin)
def targets():
    form = TargetsForm()
    if not form.validate_on_submit():
        return _page("targets", form)
    if form.previewing:
        return _page("targets", form, preview={"target": form.target.data, "amber": form.amber.data})
    changed = partnership_settings.put("compliance_target_percent", form.target.data, actor=current_user)
    changed = partnership_settings.put("compliance_amber_percent", form.amber.data, actor=current_user) or changed
    _saved("compliance_target_percent", changed)
    return redirect(url_for("settings.index"))


@bp.post("/admin/settings/logo")
@allow(Role.partnership_admin)
def logo():
    form = LogoForm()
    if form.validate_on_submit():
        upload = form.logo.data
        try:
            data, content_type = settings.prepared_logo(upload.read() if upload else b"")
        except settings.LogoRefused as exc:
            form.logo.errors.append(str(exc))
        else:
            settings.save_logo(data, content_type, actor=current_user)
            db.session.commit()
            flash("Logo: saved. It is in the header of every page now.", "success")
            return redirect(url_for("settings.index"))
    return _page("logo", form)


@bp.post("/admin/settings/logo/remove")
@allow(Role.partnership_admin)
def remove_logo():
    form = RemoveLogoForm()
    if not form.validate_on_submit():
        return _page("remove_logo", form)
    if settings.remove_logo(actor=current_user):
        db.session.commit()
        flash("Logo: removed.", "success")
    return redirect(url_for("settings.index"))


@bp.get("/partnership-logo/<sha256>.<ext>")
@allow(anonymous=True)
def logo_file(sha256: str, ext: str):
    """The logo, named by the hash of its bytes, so it can be cached for ever (public: it is in
    the header of the sign-in page too)."""
    stored = settings.stored_logo(sha256.lower())
    if stored is None:
        abort(404)
    data, content_type = stored
    if ext != settings.Logo(sha256, content_type).extension:
        abort(404)
    response = current_app.response_class(data, mimetype=content_type)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["Content-Disposition"] = "inline"
    return response
