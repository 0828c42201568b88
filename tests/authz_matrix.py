"""The authorization matrix: every route x every role x own/other agency, with the expected status.

Each issue that adds routes adds rows here; ``test_every_route_is_in_the_matrix`` fails until it does.
URL placeholders are filled by the ``world`` fixture in test_authorization.py:
  {own_agency}/{other_agency}: the manager's agency / another agency
  {own_team}/{other_team}: a team of each
  {own_person}/{other_person}: a learner in the manager's agency / in the other agency
  {own_trainer}, {own_manager}, {own_admin} and {other_trainer}, {other_manager}, {other_admin}:
  people with those roles in either agency (none of them is a user the matrix signs in as), the
  targets of every route that acts on a person (see PERSON_TARGETS)
Statuses: 200 ok, 302 redirect (to sign-in for visitors, or after a successful POST),
403 role missing (or, for a route acting on a person, someone the user may see but not act on),
404 outside the user's agency scope (indistinguishable from "does not exist").
"""
from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("anonymous", "learner", "trainer", "manager", "admin")


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    url: str
    expected: dict[str, int]
    data: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method} {self.url}"


def everyone(status: int) -> dict[str, int]:
    return {role: status for role in ROLES}


def signed_in(status: int = 200, anonymous: int = 302) -> dict[str, int]:
    return {"anonymous": anonymous, **{r: status for r in ROLES[1:]}}


def only(allowed: dict[str, int], denied: int = 403) -> dict[str, int]:
    result = {"anonymous": 302}
    for role in ROLES[1:]:
        result[role] = allowed.get(role, denied)
    return result


CASES: list[Case] = [
    # Public pages
    Case("pages.index", "GET", "/", {"anonymous": 200, "learner": 302, "trainer": 302, "manager": 302, "admin": 302}),
    Case("pages.accessibility", "GET", "/accessibility", everyone(200)),
    Case("pages.cookies", "GET", "/cookies", everyone(200)),
    Case("pages.healthz", "GET", "/healthz", everyone(200)),
    Case("accounts.sign_in", "GET", "/sign-in", {"anonymous": 200, "learner": 302, "trainer": 302, "manager": 302, "admin": 302}),
    Case("accounts.sign_in", "POST", "/sign-in", {"anonymous": 200, "learner": 302, "trainer": 302, "manager": 302, "admin": 302}),
    Case("accounts.forgotten_password", "GET", "/forgotten-password", everyone(200)),
    Case("accounts.forgotten_password", "POST", "/forgotten-password", everyone(200)),
    Case("accounts.reset_password", "GET", "/reset-password/not-a-real-token", everyone(410)),
    Case("accounts.reset_password", "POST", "/reset-password/not-a-real-token", everyone(410)),
    Case("accounts.accept_invitation", "GET", "/invitations/not-a-real-token", everyone(410)),
    Case("accounts.accept_invitation", "POST", "/invitations/not-a-real-token", everyone(410)),
    # The development outbox is off in testing unless a test turns it on (test_security.py).
    Case("outbox.index", "GET", "/dev/outbox/", everyone(404)),
    Case("outbox.show", "GET", "/dev/outbox/no-such-message", everyone(404)),
    # Any signed-in user
    # Learners' own training (modules.learning): any signed-in user, their own data only. No
    # content is imported in this test, so course, module and attempt pages are 404s for
    # everyone signed in; tests/learning/test_views.py covers them with content.
    Case("learning.my_training", "GET", "/my-training", signed_in()),
    Case("learning.record_page", "GET", "/my-training/record", signed_in()),
    Case("learning.record_csv", "GET", "/my-training/record.csv", signed_in()),
    Case("learning.my_reflections", "GET", "/my-training/reflections", signed_in()),
    Case("learning.reflections_print", "GET", "/my-training/reflections/print", signed_in()),
    Case("learning.reflections_csv", "GET", "/my-training/reflections.csv", signed_in()),
    Case("learning.course", "GET", "/my-training/courses/no-such-course", signed_in(404)),
    Case("learning.start_course", "POST", "/my-training/courses/no-such-course/start", signed_in(404)),
    Case("learning.resume", "GET", "/my-training/courses/no-such-course/continue", signed_in(404)),
    Case("learning.module_link", "GET", "/my-training/modules/no-such-module", signed_in(404)),
    Case("learning.module", "GET", "/my-training/courses/c/modules/m", signed_in(404)),
    Case("learning.section", "GET", "/my-training/courses/c/modules/m/sections/1", signed_in(404)),
    Case("learning.section_continue", "POST", "/my-training/courses/c/modules/m/sections/1", signed_in(404)),
    Case("learning.section_summary", "GET", "/my-training/courses/c/modules/m/sections/1/summary", signed_in(404)),
    Case("learning.summary_continue", "POST", "/my-training/courses/c/modules/m/sections/1/summary", signed_in(404)),
    Case("learning.module_complete", "GET", "/my-training/courses/c/modules/m/complete", signed_in(404)),
    Case("learning.take_break", "POST", "/my-training/courses/c/modules/m/break", signed_in(404)),
    Case("learning.decide", "POST", "/my-training/courses/c/modules/m/decisions/d", signed_in(404)),
    Case("learning.reflect", "POST", "/my-training/courses/c/modules/m/reflections/r", signed_in(404)),
    Case("learning.handbook_search", "GET", "/my-training/courses/c/modules/m/search?q=x", signed_in(404)),
    Case("learning.handbook_print", "GET", "/my-training/courses/c/modules/m/print", signed_in(404)),
    Case("learning.quiz", "GET", "/my-training/courses/c/modules/m/quiz", signed_in(404)),
    Case("learning.start_attempt", "POST", "/my-training/courses/c/modules/m/quiz", signed_in(404)),
    Case("learning.question", "GET", "/my-training/attempts/999999/questions/1", signed_in(404)),
    Case("learning.answer", "POST", "/my-training/attempts/999999/questions/1", signed_in(404)),
    Case("learning.check_answers", "GET", "/my-training/attempts/999999/check", signed_in(404)),
    Case("learning.submit", "POST", "/my-training/attempts/999999/check", signed_in(404)),
    Case("learning.results", "GET", "/my-training/attempts/999999/results", signed_in(404)),
    Case("accounts.account", "GET", "/account", signed_in()),
    Case("accounts.change_password", "GET", "/account/password", signed_in()),
    Case("accounts.change_password", "POST", "/account/password", signed_in()),
    Case("accounts.sign_out", "POST", "/sign-out", signed_in(302)),
    Case("accounts.sign_out_everywhere", "POST", "/account/sign-out-everywhere", signed_in(302)),
    Case("accounts.certificate_email", "POST", "/account/certificate-email", signed_in(302),
         data={"email_certificates": "yes"}),
    # Trainers
    Case("pages.trainer_home", "GET", "/trainer", only({"trainer": 200, "admin": 200})),
    # Content previews (trainers, admins); pictures and links between modules (anyone signed in)
    Case("content.course", "GET", "/content/courses/no-such-course", only({"trainer": 404, "admin": 404})),
    Case("content.module", "GET", "/content/modules/no-such-module", only({"trainer": 404, "admin": 404})),
    Case("content.module_version", "GET", "/content/modules/no-such-module/versions/1", only({"trainer": 404, "admin": 404})),
    Case("content.go", "GET", "/content/go/no-such-module", signed_in(404)),
    Case("content.asset", "GET", "/content/assets/0000.png", signed_in(404)),
    # Managers (own agency only) and partnership admins (every agency)
    Case("admin.agency_home", "GET", "/manager", only({"manager": 302})),
    Case("admin.agency", "GET", "/agencies/{own_agency}", only({"manager": 200, "admin": 200})),
    Case("admin.agency", "GET", "/agencies/{other_agency}", only({"manager": 404, "admin": 200})),
    # Partnership admins only
    Case("admin.home", "GET", "/admin", only({"admin": 200})),
    Case("admin.audit_log", "GET", "/admin/audit", only({"admin": 200})),
]

# Running the workforce (modules/admin/agency_views.py, people_views.py). Agencies, teams and
# managers are the partnership's: admins only, a manager gets 403 even for their own agency.
# Adding people follows the agency scope. POSTs send incomplete forms (200: re-rendered with
# errors) or no-op changes, so the shared world stays as it was for later cases.
_ADMIN_ONLY = only({"admin": 200})
CASES += [
    Case("admin.new_agency", "GET", "/admin/agencies/new", _ADMIN_ONLY),
    Case("admin.new_agency", "POST", "/admin/agencies/new", _ADMIN_ONLY, {"name": ""}),
    Case("admin.agency_settings", "GET", "/agencies/{own_agency}/settings", _ADMIN_ONLY),
    Case("admin.agency_settings", "GET", "/agencies/{other_agency}/settings", _ADMIN_ONLY),
    Case("admin.agency_settings", "POST", "/agencies/{own_agency}/settings", _ADMIN_ONLY, {"name": ""}),
    Case("admin.agency_retirement", "POST", "/agencies/{own_agency}/retirement", only({"admin": 302}),
         {"retire": "0"}),
    Case("admin.teams", "GET", "/agencies/{own_agency}/teams", _ADMIN_ONLY),
    Case("admin.teams", "POST", "/agencies/{own_agency}/teams", _ADMIN_ONLY, {"name": ""}),
    Case("admin.edit_team", "GET", "/teams/{own_team}/edit", _ADMIN_ONLY),
    Case("admin.edit_team", "POST", "/teams/{other_team}/edit", _ADMIN_ONLY, {"name": ""}),
    Case("admin.team_retirement", "POST", "/teams/{own_team}/retirement", only({"admin": 302}), {"retire": "0"}),
    Case("admin.managers", "GET", "/agencies/{own_agency}/managers", _ADMIN_ONLY),
    Case("admin.managers", "GET", "/agencies/{other_agency}/managers", _ADMIN_ONLY),
    Case("admin.managers", "POST", "/agencies/{own_agency}/managers", _ADMIN_ONLY, {"person": ""}),
    Case("admin.add_person", "GET", "/agencies/{own_agency}/people/new", only({"manager": 200, "admin": 200})),
    Case("admin.add_person", "GET", "/agencies/{other_agency}/people/new", only({"manager": 404, "admin": 200})),
    Case("admin.add_person", "POST", "/agencies/{own_agency}/people/new", only({"manager": 200, "admin": 200}),
         {"name": ""}),
    Case("admin.add_person", "POST", "/agencies/{other_agency}/people/new", only({"manager": 404, "admin": 200}),
         {"name": ""}),
]

# Reports (modules/reports): managers see their own agency only; admins every agency.
_REPORTS = only({"manager": 200, "admin": 200})
_REPORTS_OTHER = only({"manager": 404, "admin": 200})
CASES += [
    Case("reports.dashboard", "GET", "/reports", _REPORTS),
    Case("reports.dashboard", "GET", "/reports?agency={own_agency}", _REPORTS),
    Case("reports.dashboard", "GET", "/reports?agency={other_agency}", _REPORTS_OTHER),
    Case("reports.dashboard_export", "GET", "/reports/dashboard.csv?agency={own_agency}", _REPORTS),
    Case("reports.dashboard_export", "GET", "/reports/dashboard.xlsx?agency={other_agency}", _REPORTS_OTHER),
    Case("reports.people", "GET", "/reports/people", _REPORTS),
    Case("reports.people", "GET", "/reports/people?agency={other_agency}", _REPORTS_OTHER),
    Case("reports.people_export", "GET", "/reports/people.csv", _REPORTS),
    Case("reports.people_export", "GET", "/reports/people.csv?agency={other_agency}", _REPORTS_OTHER),
    Case("reports.people_export", "GET", "/reports/people.xlsx?agency={own_agency}", _REPORTS),
    Case("reports.completions", "GET", "/reports/completions?agency={own_agency}", _REPORTS),
    Case("reports.completions", "GET", "/reports/completions?agency={other_agency}", _REPORTS_OTHER),
    Case("reports.completions_export", "GET", "/reports/completions.csv", _REPORTS),
    Case("reports.completions_export", "GET", "/reports/completions.xlsx?agency={other_agency}", _REPORTS_OTHER),
    Case("reports.people_export", "GET", "/reports/people.pdf?agency={own_agency}", _REPORTS),
    Case("reports.people_export", "GET", "/reports/people.pdf?agency={other_agency}", _REPORTS_OTHER),
    Case("reports.completions_export", "GET", "/reports/completions.pdf", _REPORTS),
    Case("reports.completions_export", "GET", "/reports/completions.pdf?agency={other_agency}", _REPORTS_OTHER),
    Case("reports.summary_pdf", "GET", "/reports/summary.pdf", _REPORTS),
    Case("reports.summary_pdf", "GET", "/reports/summary.pdf?agency={other_agency}", _REPORTS_OTHER),
]

# Staff import (modules/admin/staff_import): partnership admins for any agency at /admin/import,
# managers for their own agency only at /agencies/<id>/import. A POST without a file shows the
# form again with its error (200); no import has been made, so a result page is a 404.
_IMPORT_OWN = only({"manager": 200, "admin": 200})
_IMPORT_OTHER = only({"manager": 404, "admin": 200})
CASES += [
    Case("staff_import.admin_start", "GET", "/admin/import", only({"admin": 200})),
    Case("staff_import.admin_preview", "POST", "/admin/import", only({"admin": 200})),
    Case("staff_import.admin_confirm", "POST", "/admin/import/confirm", only({"admin": 200}), {"upload": "x"}),
    Case("staff_import.admin_result", "GET", "/admin/import/results/1", only({"admin": 404})),
    Case("staff_import.agency_start", "GET", "/agencies/{own_agency}/import", _IMPORT_OWN),
    Case("staff_import.agency_start", "GET", "/agencies/{other_agency}/import", _IMPORT_OTHER),
    Case("staff_import.agency_preview", "POST", "/agencies/{own_agency}/import", _IMPORT_OWN),
    Case("staff_import.agency_preview", "POST", "/agencies/{other_agency}/import", _IMPORT_OTHER),
    Case("staff_import.agency_confirm", "POST", "/agencies/{own_agency}/import/confirm", _IMPORT_OWN, {"upload": "x"}),
    Case("staff_import.agency_confirm", "POST", "/agencies/{other_agency}/import/confirm", _IMPORT_OTHER, {"upload": "x"}),
    Case("staff_import.agency_result", "GET", "/agencies/{own_agency}/import/results/1", only({"manager": 404, "admin": 404})),
    Case("staff_import.agency_result", "GET", "/agencies/{other_agency}/import/results/1", only({"manager": 404, "admin": 404})),
]

# Routes about one person, against a target of every role in both agencies. Seeing someone
# follows the agency scope; acting on them (deactivating, recording training) also needs them
# to rank below the manager: a manager may act on their own agency's learners only, never on a
# trainer, another manager or a partnership admin (403: visible, but out of reach). Partnership
# admins may act on anyone. Other agencies stay 404 for a manager.
PERSON_TARGETS = ("own_person", "own_trainer", "own_manager", "own_admin",
                  "other_person", "other_trainer", "other_manager", "other_admin")


def seeing(target: str, status: int = 200) -> dict[str, int]:
    return only({"manager": status if target.startswith("own_") else 404, "admin": status})


def acting_on(target: str, done: int) -> dict[str, int]:
    manager = done if target == "own_person" else 403 if target.startswith("own_") else 404
    return only({"manager": manager, "admin": done})


for _target in PERSON_TARGETS:
    CASES += [
        Case("admin.person", "GET", f"/people/{{{_target}}}", seeing(_target)),
        # The old address of the training record: a 301 to the one person page, for those who
        # may see the person only (a manager asking about another agency still gets 404).
        Case("reports.person", "GET", f"/reports/people/{{{_target}}}", seeing(_target, 301)),
        Case("admin.set_active", "POST", f"/people/{{{_target}}}/active", acting_on(_target, 302), {"active": "0"}),
        Case("admin.edit_person", "GET", f"/people/{{{_target}}}/edit", acting_on(_target, 200)),
        Case("admin.edit_person", "POST", f"/people/{{{_target}}}/edit", acting_on(_target, 200), {"name": ""}),
        # Moving between agencies is for partnership admins alone.
        Case("admin.move_person", "GET", f"/people/{{{_target}}}/move", only({"admin": 200})),
        Case("admin.move_person", "POST", f"/people/{{{_target}}}/move", only({"admin": 200}), {"agency": ""}),
        # Every target already has a password: the resend is refused with a message (302).
        Case("admin.send_invitation", "POST", f"/people/{{{_target}}}/invitation", acting_on(_target, 302)),
        Case("reports.manual", "GET", f"/reports/people/{{{_target}}}/manual", acting_on(_target, 200)),
        # An incomplete form re-renders with errors (200).
        Case("reports.manual", "POST", f"/reports/people/{{{_target}}}/manual", acting_on(_target, 200),
             {"evidence": ""}),
    ]

# Certificates (modules/certificates). {own_certificate} belongs to own_person (a learner in the
# manager's agency, not the "learner" role's user); {other_certificate} to other_person. Only the
# owner may download or email their own certificate; managers see their agency's, admins all.
_CERT_MANAGE = only({"manager": 200, "admin": 200})
_CERT_MANAGE_OTHER = only({"manager": 404, "admin": 200})
_CERT_NOT_YOURS = {"anonymous": 302, "learner": 404, "trainer": 404, "manager": 404, "admin": 404}
CASES += [
    Case("certificates.verify_form", "GET", "/verify", everyone(200)),
    Case("certificates.verify", "GET", "/verify/{own_certificate_code}", everyone(200)),
    Case("certificates.verify", "GET", "/verify/AAAA-BBBB-CCCC-DDDD", everyone(404)),
    Case("certificates.mine", "GET", "/my-certificates", signed_in()),
    Case("certificates.download", "GET", "/certificates/{own_certificate}/pdf",
         {"anonymous": 302, "learner": 404, "trainer": 404, "manager": 200, "admin": 200}),
    Case("certificates.download", "GET", "/certificates/{other_certificate}/pdf",
         {"anonymous": 302, "learner": 404, "trainer": 404, "manager": 404, "admin": 200}),
    Case("certificates.email", "POST", "/certificates/{own_certificate}/email", _CERT_NOT_YOURS),
    Case("certificates.email", "POST", "/certificates/{other_certificate}/email", _CERT_NOT_YOURS),
    Case("certificates.show", "GET", "/certificates/{own_certificate}", _CERT_MANAGE),
    Case("certificates.show", "GET", "/certificates/{other_certificate}", _CERT_MANAGE_OTHER),
    Case("certificates.revoke", "POST", "/certificates/{own_certificate}/revoke",
         only({"admin": 302}), {"category": "other", "reason": "Issued in error", "confirm": "Yes"}),
    Case("certificates.revoke", "POST", "/certificates/{other_certificate}/revoke",
         only({"admin": 302}), {"category": "other", "reason": "Issued in error", "confirm": "Yes"}),
    Case("certificates.agency_certificates", "GET", "/agencies/{own_agency}/certificates", _CERT_MANAGE),
    Case("certificates.agency_certificates", "GET", "/agencies/{other_agency}/certificates", _CERT_MANAGE_OTHER),
    Case("certificates.agency_zip", "GET", "/agencies/{own_agency}/certificates.zip", _CERT_MANAGE),
    Case("certificates.agency_zip", "GET", "/agencies/{other_agency}/certificates.zip", _CERT_MANAGE_OTHER),
]

# The training matrix (modules/admin/matrix_views.py): managers read their own agency kind's
# rows; only partnership admins change it. No requirement exists in the matrix's world, so a
# requirement's pages are 404 for admins (tests/admin/test_training_matrix.py has them with data).
CASES += [
    Case("matrix.index", "GET", "/admin/training-matrix", only({"manager": 200, "admin": 200})),
    Case("matrix.add", "GET", "/admin/training-matrix/new", only({"admin": 200})),
    # An empty form re-renders with its errors (200).
    Case("matrix.add", "POST", "/admin/training-matrix/new", only({"admin": 200}), {"course": ""}),
    Case("matrix.edit", "GET", "/admin/training-matrix/999999/edit", only({"admin": 404})),
    Case("matrix.edit", "POST", "/admin/training-matrix/999999/edit", only({"admin": 404})),
    Case("matrix.remove", "GET", "/admin/training-matrix/999999/remove", only({"admin": 404})),
    Case("matrix.remove", "POST", "/admin/training-matrix/999999/remove", only({"admin": 404})),
]

# Self-registration: the public form, and each agency's settings and approvals (its managers
# and partnership admins). The matrix's people are all approved, so deciding on one is a 404;
# tests/admin/test_self_registration.py decides on pending people of both agencies.
CASES += [
    Case("registration.register", "GET", "/register",
         {"anonymous": 200, "learner": 302, "trainer": 302, "manager": 302, "admin": 302}),
    # An incomplete form re-renders with its errors (200).
    Case("registration.register", "POST", "/register",
         {"anonymous": 200, "learner": 302, "trainer": 302, "manager": 302, "admin": 302}, {"name": ""}),
    Case("agency_registration.settings", "GET", "/agencies/{own_agency}/registration", _REPORTS),
    Case("agency_registration.settings", "GET", "/agencies/{other_agency}/registration", _REPORTS_OTHER),
    # A domain that is not one re-renders with the error (200), changing nothing.
    Case("agency_registration.settings", "POST", "/agencies/{own_agency}/registration", _REPORTS,
         {"registration_domains": "not a domain"}),
    Case("agency_registration.settings", "POST", "/agencies/{other_agency}/registration", _REPORTS_OTHER,
         {"registration_domains": "not a domain"}),
    Case("agency_registration.new_code", "POST", "/agencies/{own_agency}/registration/code",
         only({"manager": 302, "admin": 302})),
    Case("agency_registration.new_code", "POST", "/agencies/{other_agency}/registration/code",
         only({"manager": 404, "admin": 302})),
    Case("agency_registration.approvals", "GET", "/agencies/{own_agency}/approvals", _REPORTS),
    Case("agency_registration.approvals", "GET", "/agencies/{other_agency}/approvals", _REPORTS_OTHER),
] + [
    Case("agency_registration.decide", "POST", f"/agencies/{{{_target.split('_')[0]}_agency}}/approvals/{{{_target}}}",
         only({"manager": 404, "admin": 404}), {"decision": "approve"})
    for _target in PERSON_TARGETS
]

# GET requests write nothing (tests/foundation/test_authorization.py checks every GET case above
# for every role). The only exceptions, and the only table each may write:
# - downloads of people's data are audit-logged (who, what, which agency) before they start;
# - a certificate whose PDF has not been made yet (its render failed, or issuing was switched
#   off) is rendered on its first download and kept: filling in an artefact that never changes
#   afterwards, so the download stays safe to repeat.
_AUDITED = frozenset({"audit_events"})
GET_WRITES_ALLOWED: dict[str, frozenset[str]] = {
    "reports.dashboard_export": _AUDITED,
    "reports.people_export": _AUDITED,
    "reports.completions_export": _AUDITED,
    "reports.summary_pdf": _AUDITED,
    "certificates.agency_zip": _AUDITED,
    "certificates.download": frozenset({"certificate_pdfs"}),
}

# Reminders (modules/reminders) and the mail queue (modules/notifications). A person's reminder
# switch follows can_act_on; an agency's switch is for its managers and partnership admins; a
# reminder to a report list is scoped by the report's own filters (another agency: 404). With no
# required training in this world the list is empty, so the POST shows the page again (200).
CASES += [
    Case("reminders.set_agency_reminders", "POST", "/agencies/{own_agency}/reminders",
         only({"manager": 302, "admin": 302}), {"enabled": "0"}),
    Case("reminders.set_agency_reminders", "POST", "/agencies/{other_agency}/reminders",
         only({"manager": 404, "admin": 302}), {"enabled": "1"}),
    Case("reminders.remind_list", "GET", "/reports/people/remind", _REPORTS),
    Case("reminders.remind_list", "GET", "/reports/people/remind?agency={own_agency}&status=overdue", _REPORTS),
    Case("reminders.remind_list", "GET", "/reports/people/remind?agency={other_agency}", _REPORTS_OTHER),
    Case("reminders.remind_list", "POST", "/reports/people/remind?agency={own_agency}", _REPORTS),
    Case("reminders.remind_list", "POST", "/reports/people/remind?agency={other_agency}", _REPORTS_OTHER),
    Case("mail.index", "GET", "/admin/mail", only({"admin": 200})),
    Case("mail.retry", "POST", "/admin/mail/999999/retry", only({"admin": 404})),
]
for _target in PERSON_TARGETS:
    CASES.append(Case("reminders.set_person_reminders", "POST", f"/people/{{{_target}}}/reminders",
                      acting_on(_target, 302), {"enabled": "0"}))

# Authoring (modules/authoring): only trainers and partnership admins author; managers and
# learners get 403, visitors are sent to sign in. The world has the bundled courses imported, so
# the pages of cse-level-1 and its files show (200); an unknown folder or file is 404. Writes are
# tried on unknown folders and files (404) so that the world stays as it is for later cases.
_AUTHORS_OK = only({"trainer": 200, "admin": 200})
_AUTHORS_404 = only({"trainer": 404, "admin": 404})
_COURSE = "/authoring/courses/cse-level-1"
_FILE = "/authoring/files/cse-level-1/01-what-is-cse.md"
_QUIZ = "/authoring/files/cse-level-1/13-final-assessment.md"
_NO_COURSE = "/authoring/courses/no-such-course"
_NO_FILE = "/authoring/files/no-such-course/01-no-such-module.md"
CASES += [
    # The pages, the editor, drafts and publishing.
    Case("authoring.home", "GET", "/authoring/", _AUTHORS_OK),
    Case("authoring.course", "GET", _COURSE, _AUTHORS_OK),
    Case("authoring.course", "GET", _NO_COURSE, _AUTHORS_404),
    Case("authoring.edit_file", "GET", _FILE, _AUTHORS_OK),
    Case("authoring.edit_file", "GET", _NO_FILE, _AUTHORS_404),
    Case("authoring.save_file", "POST", _NO_FILE, _AUTHORS_404,
         {"text": "---\ntitle: x\n---\n", "revision": "0"}),
    Case("authoring.discard_file", "POST", _NO_FILE + "/discard", _AUTHORS_404, {"revision": "0"}),
    Case("authoring.publish", "GET", _COURSE + "/publish", _AUTHORS_OK),
    Case("authoring.publish", "GET", _NO_COURSE + "/publish", _AUTHORS_404),
    Case("authoring.publish", "POST", _NO_COURSE + "/publish", _AUTHORS_404, {"note": "x"}),
    # Check as you type (JSON; reads only).
    Case("authoring.live_check", "POST", _FILE + "/check", _AUTHORS_OK,
         {"text": "---\ntitle: A\nkind: lesson\nminutes: 5\n---\nText.\n"}),
    Case("authoring.live_check", "POST", _NO_FILE + "/check", _AUTHORS_OK,
         {"text": "---\ntitle: A\nkind: lesson\nminutes: 5\n---\nText.\n"}),
    # Preview as a learner (nothing is recorded) and dismissing a false alarm.
    Case("authoring.preview_as_learner", "GET", _FILE + "/preview", _AUTHORS_OK),
    Case("authoring.preview_as_learner", "GET", _NO_FILE + "/preview", _AUTHORS_404),
    # A lesson has no quiz to start, decision 'd' or question 1 (404); the final assessment does.
    Case("authoring.preview_start_quiz", "POST", _FILE + "/preview", _AUTHORS_404),
    Case("authoring.preview_start_quiz", "POST", _QUIZ + "/preview", _AUTHORS_OK),
    Case("authoring.preview_section", "GET", _FILE + "/preview/sections/1", _AUTHORS_OK),
    Case("authoring.preview_reflect", "POST", _FILE + "/preview/sections/1", _AUTHORS_OK),
    Case("authoring.preview_decide", "POST", _FILE + "/preview/sections/1/decisions/d", _AUTHORS_404),
    Case("authoring.preview_answer", "POST", _FILE + "/preview/questions/1", _AUTHORS_404),
    Case("authoring.dismiss_finding", "POST", _FILE + "/false-alarms", _AUTHORS_OK,
         {"text": "", "reason": "", "revision": "0"}),
    Case("authoring.dismiss_finding", "POST", _NO_FILE + "/false-alarms", _AUTHORS_404,
         {"text": "x", "reason": "y", "revision": "0"}),
    # New courses and modules, order, retiring, pictures.
    Case("authoring.new_course", "GET", "/authoring/courses/new", _AUTHORS_OK),
    Case("authoring.new_course", "POST", "/authoring/courses/new", _AUTHORS_OK, {"title": ""}),
    Case("authoring.new_module", "GET", _COURSE + "/modules/new", _AUTHORS_OK),
    Case("authoring.new_module", "GET", _NO_COURSE + "/modules/new", _AUTHORS_404),
    Case("authoring.new_module", "POST", _NO_COURSE + "/modules/new", _AUTHORS_404,
         {"kind": "lesson", "title": "T"}),
    Case("authoring.move_module", "POST", _NO_COURSE + "/modules/a/move", _AUTHORS_404,
         {"direction": "up", "revision": "0"}),
    Case("authoring.retire_module", "GET", _COURSE + "/modules/what-is-cse/retire", _AUTHORS_OK),
    Case("authoring.retire_module", "GET", _NO_COURSE + "/modules/a/retire", _AUTHORS_404),
    Case("authoring.retire_module", "POST", _NO_COURSE + "/modules/a/retire", _AUTHORS_404),
    Case("authoring.upload_image", "GET", _COURSE + "/images", _AUTHORS_OK),
    Case("authoring.upload_image", "GET", _NO_COURSE + "/images", _AUTHORS_404),
    Case("authoring.upload_image", "POST", _NO_COURSE + "/images", _AUTHORS_404),
    # A course folder as a ZIP, and a folder uploaded as one (no file: the form again, 400).
    Case("authoring.export_course", "GET", _COURSE + "/export.zip", _AUTHORS_OK),
    Case("authoring.export_course", "GET", _NO_COURSE + "/export.zip", _AUTHORS_404),
    Case("authoring.import_zip", "GET", "/authoring/import", _AUTHORS_OK),
    Case("authoring.import_zip", "POST", "/authoring/import", only({"trainer": 400, "admin": 400})),
    Case("authoring.confirm_import", "POST", "/authoring/import/confirm",
         only({"trainer": 400, "admin": 400}), {"upload": "x", "note": "n"}),
]

# History, diffs and restore (the world's what-is-cse has one version; restoring is tried on
# an unknown file).
CASES += [
    Case("authoring.history", "GET", _FILE + "/history", _AUTHORS_OK),
    Case("authoring.history", "GET", "/authoring/files/cse-level-1/course.md/history", _AUTHORS_OK),
    Case("authoring.history", "GET", _NO_FILE + "/history", _AUTHORS_404),
    Case("authoring.diff", "GET", _FILE + "/diff?from=1&to=1", _AUTHORS_OK),
    Case("authoring.diff", "GET", _NO_FILE + "/diff?from=1&to=2", _AUTHORS_404),
    Case("authoring.restore", "GET", _FILE + "/restore?version=1", _AUTHORS_OK),
    Case("authoring.restore", "GET", _NO_FILE + "/restore?version=1", _AUTHORS_404),
    Case("authoring.restore", "POST", _NO_FILE + "/restore", _AUTHORS_404,
         {"version": "1", "note": "Restores version 1"}),
]

# GIFT import (the form alone shows; the upload is tried on an unknown folder).
CASES += [
    Case("authoring.gift_import", "GET", _COURSE + "/gift", _AUTHORS_OK),
    Case("authoring.gift_import", "GET", _NO_COURSE + "/gift", _AUTHORS_404),
    Case("authoring.gift_import", "POST", _NO_COURSE + "/gift", _AUTHORS_404,
         {"add-gift": "Q {=a ~b}", "add-title": "Q", "add-module_id": "q", "add-add": "Add as a draft module"}),
]

# The partnership settings page (modules/admin/settings_views.py): admins only. Empty POSTs are
# refused with their errors (200) or change nothing (302); the logo is public, by its hash.
CASES += [
    Case("settings.index", "GET", "/admin/settings", only({"admin": 200})),
    Case("settings.support_lines", "POST", "/admin/settings/support-lines", only({"admin": 200})),
    Case("settings.employer_line", "POST", "/admin/settings/employer-line", only({"admin": 302})),
    Case("settings.local_contacts", "POST", "/admin/settings/local-contacts", only({"admin": 200})),
    Case("settings.reset_local_contacts", "POST", "/admin/settings/local-contacts/reset", only({"admin": 302})),
    Case("settings.targets", "POST", "/admin/settings/targets", only({"admin": 200})),
    Case("settings.logo", "POST", "/admin/settings/logo", only({"admin": 200})),
    Case("settings.remove_logo", "POST", "/admin/settings/logo/remove", only({"admin": 302})),
    Case("settings.logo_file", "GET", "/partnership-logo/" + "0" * 64 + ".png", everyone(404)),
]

# Reinstating a revoked certificate: whoever may revoke it (partnership admins), as revoking.
CASES += [
    Case("certificates.reinstate", "POST", "/certificates/{own_certificate}/reinstate",
         only({"admin": 302}), {"reason": "Revoked by mistake"}),
    Case("certificates.reinstate", "POST", "/certificates/{other_certificate}/reinstate",
         only({"admin": 302}), {"reason": "Revoked by mistake"}),
]
