"""Audit events as sentences: one entry per action code, names looked up in bulk for a page.

A template names ``{actor}``, ``{subject}`` and ``{agency}``; each is filled with a link where the
thing has a page. An action with no entry still reads sensibly through :func:`_fallback`.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask import url_for
from markupsafe import Markup, escape
from sqlalchemy import select

from modules.accounts.models import Agency, Team, User
from modules.certificates.models import Certificate
from modules.core.extensions import db
from modules.core.models import AuditEvent

SENTENCES: dict[str, str] = {
    # Sign-in and accounts
    "account.login": "{actor} signed in",
    "account.login_failed": "A sign-in as {subject} failed",
    "account.password_changed": "{actor} changed the password of {subject}",
    "account.password_reset_requested": "A password reset was asked for {subject}",
    "account.reactivated": "{actor} reactivated the account of {subject}",
    "account.deactivated": "{actor} deactivated the account of {subject}",
    "account.certificate_email_changed": "{actor} changed whether certificates are emailed to them",
    "account.sessions_ended": "{actor} signed {subject} out everywhere",
    "account.invitation_accepted": "{actor} accepted their invitation",
    "account.self_registered": "{subject} registered with {agency}",
    "account.approved": "{actor} approved the registration of {subject}",
    "account.rejected": "{actor} turned down the registration of {subject}",
    "account.created_by_sso": "{subject} was created on first sign-in with {agency}'s organisation account",
    "account.sso_refused": "A sign-in with an organisation account for {agency} was refused",
    "account.two_factor_enabled": "{actor} turned on two-factor authentication",
    "account.two_factor_disabled": "{actor} turned off two-factor authentication for {subject}",
    "account.two_factor_failed": "A two-factor code for {subject} was wrong",
    "account.recovery_code_used": "{actor} signed in with a recovery code",
    "account.recovery_codes_regenerated": "{actor} made new recovery codes",
    "account.two_factor_reset": "{actor} reset the second factor of {subject}",
    "account.data_downloaded": "{actor} downloaded their own data",
    # People and roles
    "person.added": "{actor} added {subject} to {agency}",
    "person.updated": "{actor} changed the details of {subject}",
    "person.roles_changed": "{actor} changed the roles of {subject}",
    "person.moved": "{actor} moved {subject}",
    "person.invited": "{actor} invited {subject}",
    "person.erased": "{actor} erased a former member of staff of {agency}",
    "staff.imported": "{actor} imported staff into {agency}",
    "agency.created": "{actor} created {subject}",
    "agency.updated": "{actor} changed the details of {subject}",
    "agency.retired": "{actor} retired {subject}",
    "agency.unretired": "{actor} brought back {subject}",
    "agency.manager_added": "{actor} made {subject} a manager of {agency}",
    "agency.manager_removed": "{actor} removed {subject} as a manager of {agency}",
    "agency.registration_changed": "{actor} changed self-registration for {subject}",
    "agency.registration_code_changed": "{actor} made a new registration code for {subject}",
    "agency.sso_changed": "{actor} changed organisation sign-in for {subject}",
    "team.created": "{actor} created team {subject} in {agency}",
    "team.renamed": "{actor} renamed team {subject} in {agency}",
    "team.retired": "{actor} retired team {subject} in {agency}",
    "team.unretired": "{actor} brought back team {subject} in {agency}",
    # Training matrix
    "training_requirement.added": "{actor} added a training requirement",
    "training_requirement.changed": "{actor} changed a training requirement",
    "training_requirement.removed": "{actor} removed a training requirement",
    "completion.recorded_manually": "{actor} recorded a completion by hand in {agency}",
    "completion.withdrawn": "{actor} withdrew a completion in {agency}",
    "completion.restored": "{actor} restored a completion in {agency}",
    "reminders.person_set": "{actor} changed reminders for {subject}",
    "reminders.agency_set": "{actor} changed reminders for {subject}",
    "reminders.sent_to_list": "{actor} sent reminders to people in {agency}",
    # Content and publishing
    "content.imported": "{actor} published content",
    "content.published": "{actor} published content",
    "content.restored": "{actor} restored an earlier version of content",
    "content.picture_uploaded": "{actor} uploaded a picture",
    "content.course_created": "{actor} created a course",
    "content.module_created": "{actor} created a module",
    "content.module_moved": "{actor} moved a module",
    "content.module_retired": "{actor} retired a module",
    "content.false_alarm_dismissed": "{actor} dismissed a language check as a false alarm",
    "content.gift_imported": "{actor} imported quiz questions",
    "content.uploaded": "{actor} uploaded course files",
    "content.draft_saved": "{actor} saved a draft",
    "content.draft_discarded": "{actor} discarded a draft",
    # Certificates
    "certificate.revoked": "{actor} revoked certificate {subject}",
    "certificate.reinstated": "{actor} reinstated certificate {subject}",
    "certificate.emailed_on_completion": "Certificate {subject} was emailed to its learner",
    "certificate.emailed": "{actor} emailed certificate {subject} to themselves",
    "certificate.downloaded": "{actor} downloaded certificate {subject}",
    "certificates.zip_downloaded": "{actor} downloaded certificates of {agency} as a ZIP",
    # Reports and exports
    "report.exported": "{actor} downloaded a report",
    "audit.exported": "{actor} downloaded the audit log",
    "mail.retried": "{actor} tried a failed email again",
    # Settings
    "settings.changed": "{actor} changed a setting",
    "settings.reset": "{actor} reset a setting",
    "settings.logo_changed": "{actor} changed the logo",
    "settings.logo_removed": "{actor} removed the logo",
    # Data protection
    "retention.applied": "Retention erased accounts inactive since leaving",
}

_DATA_PROTECTION = {"person.erased", "account.data_downloaded", "retention.applied"}
_PREFIX_CATEGORY = {
    "account": "sign-in", "person": "people", "staff": "people", "agency": "people", "team": "people",
    "training_requirement": "matrix", "completion": "matrix", "reminders": "matrix",
    "content": "content", "certificate": "certificates", "certificates": "certificates",
    "report": "exports", "audit": "exports", "mail": "exports", "settings": "settings",
    "retention": "data-protection",
}


def category(action: str) -> str:
    """The filter group an action belongs to."""
    if action in _DATA_PROTECTION:
        return "data-protection"
    return _PREFIX_CATEGORY.get(action.split(".", 1)[0], "")


@dataclass
class Names:
    """Everything a page of events refers to, loaded with one query per kind."""

    people: dict[int, User] = field(default_factory=dict)
    agencies: dict[int, Agency] = field(default_factory=dict)
    teams: dict[int, Team] = field(default_factory=dict)
    certificates: dict[int, Certificate] = field(default_factory=dict)


def _ids(values) -> set[int]:
    return {int(v) for v in values if v is not None and str(v).isdigit()}


def load_names(events: list[AuditEvent]) -> Names:
    """One query for the actors and subject people, one per other subject type on the page."""
    by_type: dict[str, set] = defaultdict(set)
    for e in events:
        if e.subject_type:
            by_type[e.subject_type].add(e.subject_id)
    people_ids = _ids(e.actor_id for e in events) | _ids(by_type["User"])
    agency_ids = _ids(e.agency_id for e in events) | _ids(by_type["Agency"])
    names = Names()
    if people_ids:
        names.people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(people_ids)))}
    if agency_ids:
        names.agencies = {a.id: a for a in db.session.scalars(select(Agency).where(Agency.id.in_(agency_ids)))}
    if ids := _ids(by_type["Team"]):
        names.teams = {t.id: t for t in db.session.scalars(select(Team).where(Team.id.in_(ids)))}
    if ids := _ids(by_type["Certificate"]):
        names.certificates = {c.id: c for c in db.session.scalars(select(Certificate).where(Certificate.id.in_(ids)))}
    return names


def _link(text: str, href: str | None, links: bool) -> Markup:
    if href and links:
        return Markup('<a class="govuk-link" href="{}">{}</a>').format(href, text)
    return escape(text)


def _person(user_id, names: Names, links: bool) -> Markup:
    user = names.people.get(int(user_id)) if user_id is not None and str(user_id).isdigit() else None
    if user is None:
        return escape("A former member of staff") if user_id else escape("The system")
    return _link(user.name, url_for("admin.person", user_id=user.id), links)


def _agency(agency_id, names: Names, links: bool) -> Markup:
    agency = names.agencies.get(int(agency_id)) if agency_id is not None and str(agency_id).isdigit() else None
    if agency is None:
        return escape("the partnership")
    return _link(agency.name, url_for("admin.agency", agency_id=agency.id), links)


def _subject(event: AuditEvent, names: Names, links: bool) -> Markup:
    kind, ident = event.subject_type, event.subject_id
    if not kind:
        return escape("")
    if kind == "User":
        return _person(ident, names, links)
    if kind == "Agency":
        return _agency(ident, names, links)
    key = int(ident) if ident and ident.isdigit() else None
    if kind == "Team" and key in names.teams:
        return escape(names.teams[key].name)
    if kind == "Certificate" and key in names.certificates:
        cert = names.certificates[key]
        number = _link(cert.number, url_for("certificates.show", certificate_id=cert.id), links)
        return Markup("{} of {}").format(number, cert.learner_name)
    if kind == "Certificate" and event.details and event.details.get("number"):
        return escape(event.details["number"])
    return escape(f"{kind.replace('_', ' ').lower()} {ident or ''}".strip())


def _fallback(action: str) -> str:
    area, _, verb = action.partition(".")
    # Reads as "Chris Walsh: something unheard of (Sam Okafor)" for a code with no entry yet.
    return "{actor}: " + f"{area.replace('_', ' ')} {verb.replace('_', ' ')}".strip() + " {subject}"


def sentence(event: AuditEvent, names: Names, *, links: bool = True,
             setting_labels: dict[str, str] | None = None) -> Markup:
    """The event as one sentence; ``links=False`` gives the same words without links (for CSV)."""
    template = SENTENCES.get(event.action) or _fallback(event.action)
    text = escape(template).format(
        actor=_person(event.actor_id, names, links) if event.actor_id else escape("Someone"),
        subject=_subject(event, names, links),
        agency=_agency(event.agency_id, names, links),
    )
    details = event.details or {}
    extra = _details_phrase(event.action, details, setting_labels or {})
    if extra:
        text = text + Markup(": ") + escape(extra)
    text = Markup(" ".join(str(text).split()))
    return text[:1].upper() + text[1:] if text else text


def _details_phrase(action: str, details: dict, setting_labels: dict[str, str]) -> str:
    if details.get("setting"):
        return setting_labels.get(details["setting"], details["setting"])
    if action == "report.exported":
        parts = [str(details.get(k)) for k in ("report", "filters", "agency") if details.get(k)]
        if details.get("format"):
            parts.append(f"as {str(details['format']).upper()}")
        return ", ".join(parts)
    if action == "person.updated" and isinstance(details.get("roles"), list) and len(details["roles"]) == 2:
        before, after = (", ".join(str(r).replace("_", " ") for r in side) or "none" for side in details["roles"])
        return f"roles from {before} to {after}"
    for key in ("course", "folder", "path", "file_name"):
        if details.get(key):
            return str(details[key])
    return ""
