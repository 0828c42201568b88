"""The audit log reads as sentences with links, names are loaded in bulk, and no action code
used in the source is missing from the sentence registry."""
from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import event as sa_event

from modules.accounts.models import Role
from modules.admin import audit_sentences
from modules.core import audit

ROOT = Path(__file__).resolve().parents[2]
# Codes written by other helpers' work in parallel (SSO, two-factor, data protection).
EXPECTED_ELSEWHERE = {
    "agency.sso_changed", "account.created_by_sso", "account.sso_refused", "account.two_factor_enabled",
    "account.two_factor_disabled", "account.two_factor_failed", "account.recovery_code_used",
    "account.recovery_codes_regenerated", "account.two_factor_reset", "person.erased",
    "account.data_downloaded", "retention.applied",
}


def _codes_in_source() -> set[str]:
    """Codes passed to ``audit.record`` directly, through a ternary, or through a module constant."""
    code = r"\"([a-z_]+\.[a-z_]+)\""
    codes = set()
    for path in (ROOT / "modules").rglob("*.py"):
        text = path.read_text()
        codes |= set(re.findall(r"audit\.record\(\s*" + code, text))
        for pair in re.findall(r"audit\.record\(\s*" + code + r" if [\w.]+ else " + code, text):
            codes |= set(pair)
        constants = dict(re.findall(r"^([A-Z_]+) = " + code, text, re.M))
        codes |= {constants[name] for name in re.findall(r"audit\.record\(\s*([A-Z_]+)", text) if name in constants}
    return codes


def test_every_action_code_in_the_source_has_a_sentence():
    codes = _codes_in_source()
    assert "certificate.revoked" in codes and "agency.retired" in codes and "staff.imported" in codes
    assert codes - set(audit_sentences.SENTENCES) == set()
    assert EXPECTED_ELSEWHERE - set(audit_sentences.SENTENCES) == set()


def test_every_registered_action_has_a_filter_category():
    assert [c for c in audit_sentences.SENTENCES if not audit_sentences.category(c)] == []


def test_the_page_shows_sentences_with_links_and_a_fallback(app, db, client, sign_in, make_user, make_agency):
    agency = make_agency(name="Northshire Police")
    admin = make_user(roles=(Role.learner, Role.partnership_admin), agency=agency, name="Alex Morgan")
    chris = make_user(roles=(Role.learner, Role.manager), agency=agency, name="Chris Walsh")
    sam = make_user(agency=agency, name="Sam Okafor")
    audit.record("account.deactivated", actor=chris, subject=sam, agency_id=agency.id)
    audit.record("report.exported", actor=chris, agency_id=agency.id, report="People", filters="overdue",
                 agency="Northshire Police", format="xlsx")
    audit.record("person.updated", actor=admin, subject=sam, agency_id=agency.id,
                 roles=[["learner"], ["learner", "manager"]])
    audit.record("something.unheard_of", actor=chris, subject=sam, agency_id=agency.id)
    db.session.commit()
    page = sign_in(admin).get("/admin/audit").get_data(as_text=True)
    assert f'<a class="govuk-link" href="/people/{chris.id}">Chris Walsh</a> deactivated the account of' in page
    assert f'href="/people/{sam.id}">Sam Okafor</a>' in page
    assert "changed the details of" in page and "roles from learner to learner, manager" in page
    assert "downloaded a report: People, overdue, Northshire Police, as XLSX" in page
    assert f'Chris Walsh</a>: something unheard of <a class="govuk-link" href="/people/{sam.id}">' in page


def test_names_are_loaded_in_bulk_whatever_the_number_of_events(app, db, client, sign_in, make_user, make_agency):
    agency = make_agency(name="Northshire Police")
    admin = make_user(roles=(Role.learner, Role.partnership_admin), agency=agency)
    browser = sign_in(admin)

    def queries_for_page():
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        sa_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert browser.get("/admin/audit").status_code == 200
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    for _ in range(2):
        person = make_user(agency=agency)
        audit.record("account.deactivated", actor=admin, subject=person, agency_id=agency.id)
    db.session.commit()
    few = queries_for_page()
    for n in range(20):
        person = make_user(agency=make_agency(name=f"Other {n}"))
        audit.record("account.deactivated", actor=admin, subject=person, agency_id=person.agency_id)
    db.session.commit()
    assert queries_for_page() == few


def test_the_audit_log_is_for_partnership_admins_only(db, client, sign_in, make_user):
    manager = make_user(roles=(Role.learner, Role.manager))
    assert sign_in(manager).get("/admin/audit").status_code == 403
