"""Every page each demo role can reach, at phone width (390 px): no page is wider than the screen,
every page is valid HTML (html-validate, one run for all of them) and axe-core finds nothing.

The pages are found by following links from each role's home page (tests/browser/crawl.py), so a
new page is checked as soon as something links to it. A learner added here has started a course,
submitted one quiz, left another half done and earned a certificate, so that the pages that only
exist once someone has done something (questions, results, certificates) are reached too.
"""
from __future__ import annotations

import random
from datetime import timedelta

import pytest

from tests.browser.conftest import sign_in
from tests.browser.crawl import PHONE, Crawler
from tests.browser.html_validation import validate_html

# The first test also pays for the crawl (about 270 pages), which on a busy machine can take
# longer than the suite's default five minutes.
pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

PHONE_LEARNER = "phone-learner@example.org"
# Opened by a link but not web pages: files to download, and a load balancer's health check.
DOWNLOADS = frozenset({
    "certificates.download", "certificates.agency_zip", "learning.record_csv", "reports.completions_export",
    "reports.dashboard_export", "reports.people_export", "reports.summary_pdf", "content.asset", "pages.healthz",
    "authoring.export_course", "learning.reflections_csv",
    "settings.logo_file",  # the partnership's logo (a picture), only once one is uploaded
})
# Each course, module and section shows different content, so all of them are opened; people,
# agencies, quiz questions and report filters repeat one template, so a few of each are enough.
CAPS = {"": 3, "content.": 30, "learning.course": 30, "learning.module": 30, "learning.section": 40,
        "learning.quiz": 30, "learning.handbook_print": 30}


@pytest.fixture(scope="module")
def learner_with_history(live_server):
    """A learner at the health trust (manager2's agency) part-way through Level 1 (one quiz
    submitted, another started), with a certificate for the taxi course, and a password reset
    email in the outbox.

    :return: the paths only a form or an email leads to, by who may open them.
    """
    app = live_server["app"]
    with app.app_context():
        from modules.accounts.invitations import issue_invitations
        from modules.accounts.models import Agency, Role, User
        from modules.accounts.passwords import hash_password
        from modules.accounts.services import issue_password_reset
        from modules.certificates.models import Certificate
        from modules.content.models import Course, ModuleKind
        from modules.core.dates import uk_today
        from modules.core.extensions import db
        from modules.demo.data import DEMO_PASSWORD
        from modules.learning.progress import start_course
        from modules.learning.quizzes import (
            attempt_questions,
            parse_answer,
            save_answer,
            start_attempt,
            submit_attempt,
        )
        from modules.learning.signals import completion_recorded
        from modules.notifications.mail import send
        from tests.certificates.factories import make_completion

        trust = db.session.scalar(db.select(Agency).where(Agency.name == "Northshire NHS Foundation Trust"))
        user = User(email=PHONE_LEARNER, name="Robin Ellis", agency=trust, team=trust.teams[0],
                    job_title="Staff nurse", training_level=1, password_hash=hash_password(DEMO_PASSWORD))
        user.set_roles({Role.learner})
        db.session.add(user)
        db.session.flush()
        level1 = db.session.scalar(db.select(Course).where(Course.slug == "cse-level-1"))
        enrolment = start_course(user, level1).enrolment
        quizzes = [mv for mv in level1.current_version.module_versions if mv.kind == ModuleKind.quiz]
        for n, quiz in enumerate(quizzes[:2]):
            attempt = start_attempt(enrolment, quiz, rng=random.Random(n))
            questions = attempt_questions(attempt)
            # The first quiz answered in full and submitted; the second left after one answer.
            for question in questions if n == 0 else questions[:1]:
                first = [o["key"] for o in question.data.get("options", [])][:1]
                save_answer(attempt, question, parse_answer(question, {"answer": first or [question.data["sentence_text"]]}))
            if n == 0:
                submit_attempt(attempt)
        db.session.commit()
        open_attempt = attempt.id
        # The first lesson read to the end: its module-complete page (reached after a POST).
        from modules.learning.completion import after_module_activity
        from modules.learning.progress import (
            load_module_content,
            record_visit,
            section_count,
            working_run,
        )

        lesson = next(mv for mv in level1.current_version.module_versions
                      if mv.kind != ModuleKind.quiz and not mv.decision_points)
        load_module_content(lesson)
        run = working_run(enrolment, lesson, create=True)
        for number in range(1, section_count(lesson) + 1):
            record_visit(run, number)
        after_module_activity(run)
        db.session.commit()
        lesson_complete = f"/my-training/courses/cse-level-1/modules/{lesson.slug}/complete"

        taxi = db.session.scalar(db.select(Course).where(Course.slug == "cse-taxi-drivers"))
        completion = make_completion(user, taxi.current_version, completed_on=uk_today() - timedelta(days=3))
        completion_recorded.send(app, completion=completion)
        db.session.commit()
        certificate = db.session.scalar(db.select(Certificate).where(Certificate.completion_id == completion.id))
        certificate_id, code = certificate.id, certificate.verification_code

        reset = issue_password_reset(PHONE_LEARNER, valid_for=timedelta(hours=2))
        # A new starter with an open invitation: the page where they choose their first password.
        starter = User(email="new-starter@example.org", name="Sasha Brook", agency=trust, password_hash=None)
        starter.set_roles({Role.learner})
        db.session.add(starter)
        db.session.flush()
        [invitation] = issue_invitations([starter.id], invited_by=None)
        # A staff import's result page (reached after the import's POST): one partnership-wide,
        # one for the manager's agency.
        from modules.admin.staff_import.applying import AUDIT_ACTION
        from modules.core import audit

        police = db.session.scalar(db.select(Agency).where(Agency.name == "Northshire Police"))
        counts = {"file_name": "staff.csv", "sha256": "0" * 64, "source": "web", "rows": 3, "new": 2,
                  "updated": 1, "unchanged": 0, "invited": 2}
        partnership_import = audit.record(AUDIT_ACTION, **counts)
        police_import = audit.record(AUDIT_ACTION, agency_id=police.id, **counts)
        db.session.commit()
        import_results = {"admin": f"/admin/import/results/{partnership_import.id}",
                          "manager": f"/agencies/{police.id}/import/results/{police_import.id}"}
        # The old address of a person's training record (it redirects to the one person page).
        old_record = f"/reports/people/{db.session.scalar(db.select(User.id).where(User.agency_id == police.id))}"
        send(app.config, to=PHONE_LEARNER, subject="Set a new Sightline password",
             body=f"Reset it here: {live_server['url']}/reset-password/{reset.token}")
        db.session.remove()
    return {
        None: [f"/verify/{code}", "/verify/0000-0000-0000-0000", "/reset-password/not-a-real-link",
               f"/invitations/{invitation.token}", "/invitations/not-a-real-link"],
        # A module's own address (where a link in another module's text leads, by way of
        # /content/go/), a handbook search (a form), and the open quiz attempt (continued with a
        # button, a POST, so its pages are not links).
        PHONE_LEARNER: ["/my-training/modules/what-is-cse",
                        "/my-training/courses/cse-level-1/modules/practice-handbook/search?q=grooming",
                        f"/my-training/attempts/{open_attempt}/questions/1", f"/my-training/attempts/{open_attempt}/check",
                        lesson_complete, "/my-training/reflections/print"],
        # The admin's view of a certificate has the revoke form.
        "admin@example.org": [f"/certificates/{certificate_id}", import_results["admin"]],
        "manager@example.org": [import_results["manager"], old_record],
    }


def _roles(extra: dict) -> dict:
    # The home page sends each role to its own start; /no-such-page is the 404 page and /admin
    # is the 403 page for anyone but a partnership admin.
    everyone = ["/", "/no-such-page"]
    return {
        "admin@example.org": [*everyone, *extra["admin@example.org"],
                              "/agencies/1/certificates?completed_from=1&completed_from=13&completed_from=2026"],
        # /manager redirects to the manager's agency (nothing links to it); the report filters
        # with a date that does not exist show the error summary.
        "manager@example.org": [*everyone, "/manager", "/reports?date_from=31&date_from=2&date_from=2026",
                                *extra["manager@example.org"]],
        "manager2@example.org": [*everyone, "/manager"],
        # Comparing versions and restoring are reached by a form and a link that need a second
        # version; the bundled courses have one, so both pages are started from here.
        "trainer@example.org": [*everyone, "/authoring/files/cse-level-1/course.md/diff?from=1&to=1",
                                "/authoring/files/cse-level-1/course.md/restore?version=1",
                                "/authoring/courses/cse-level-1/publish"],
        PHONE_LEARNER: [*everyone, *extra[PHONE_LEARNER]],
        "learner@example.org": [*everyone, "/admin"],
        None: [*everyone, "/verify", "/dev/outbox/", *extra[None]],
    }


@pytest.fixture(scope="module")
def crawled(browser, live_server, learner_with_history, axe):
    """{role: [VisitedPage]} for every role, each crawled in its own browser at 390 px."""
    results = {}
    axe_checked = set()

    def run_axe(page, visited):
        # Once per endpoint: axe takes up to a second a page, and the other URLs of an endpoint
        # (other people, other filters, other roles) share its markup. The admin goes first, so
        # the pages with the most on them (revoke forms, the agency filter) are the ones checked.
        if visited.endpoint not in axe_checked:
            axe_checked.add(visited.endpoint)
            visited.axe = [f"{v['id']}: {v['help']}" for v in axe.violations(page)]

    for email, start in _roles(learner_with_history).items():
        context = browser.new_context(base_url=live_server["url"], viewport=PHONE)
        page = context.new_page()
        # A slow, busy CI machine once took over 10 s for one page of the crawl; the crawl checks
        # every page, not speed (speed is in benchmarks/).
        page.set_default_timeout(30_000)
        if email:
            sign_in(page, email)
        crawler = Crawler(live_server["app"], live_server["url"], skip=DOWNLOADS, caps=CAPS)
        results[email] = crawler.crawl(page, start, check=run_axe)
        context.close()
    return results


def _label(email, visited) -> str:
    return f"{email or 'visitor'} {visited.path}"


def test_every_page_fits_a_phone(crawled):
    wide = [f"{_label(email, p)}: {', '.join(p.overflow)}"
            for email, pages in crawled.items() for p in pages if p.overflow]
    assert not wide, "pages wider than a 390 px screen (document.scrollWidth > innerWidth):\n" + "\n".join(wide)


def test_every_page_is_valid_html(crawled, tmp_path):
    pages = {_label(email, p): p.html for email, pages in crawled.items() for p in pages}
    problems = validate_html(pages, tmp_path)
    report = "\n".join(f"{name}:\n  " + "\n  ".join(messages) for name, messages in problems.items())
    assert not problems, f"html-validate found problems on {len(problems)} page(s):\n{report}"


def test_every_page_has_no_axe_violations(crawled):
    found = [f"{_label(email, p)}: {'; '.join(p.axe)}" for email, pages in crawled.items() for p in pages if p.axe]
    assert not found, "axe-core (WCAG 2.2 A and AA) found:\n" + "\n".join(found)


def test_the_crawl_reaches_every_page_of_the_app(crawled, live_server):
    """Every GET route is reached by some role's links, so a page nobody links to (or one the
    crawl's bounds hide) is noticed rather than silently left unchecked."""
    app = live_server["app"]
    routes = {rule.endpoint for rule in app.url_map.iter_rules()
              if "GET" in rule.methods and rule.endpoint != "static"}
    reached = {endpoint for pages in crawled.values() for p in pages for endpoint in (p.endpoint, p.requested)}
    assert sorted(routes - DOWNLOADS - reached) == []


def test_every_role_reached_its_own_pages(crawled):
    """Guards the crawl itself: a sign-in that failed would leave each role with the public pages."""
    by_role = {email: {p.endpoint for p in pages} for email, pages in crawled.items()}
    assert {"learning.question", "learning.check_answers", "learning.results", "learning.section",
            "learning.handbook_search", "certificates.mine"} <= by_role[PHONE_LEARNER]
    assert {"pages.trainer_home", "content.course", "content.module", "authoring.home", "authoring.course",
            "authoring.edit_file", "authoring.history", "authoring.preview_as_learner", "authoring.new_module",
            "authoring.gift_import", "authoring.upload_image"} <= by_role["trainer@example.org"]
    for manager in ("manager@example.org", "manager2@example.org"):
        assert {"admin.agency", "admin.person", "reports.dashboard", "reports.manual",
                "admin.add_person", "admin.edit_person"} <= by_role[manager]
    assert "certificates.show" in by_role["manager2@example.org"]  # the phone learner's certificate
    assert {"admin.home", "admin.audit_log", "certificates.show", "admin.new_agency", "admin.agency_settings",
            "admin.teams", "admin.edit_team", "admin.managers", "admin.move_person"} <= by_role["admin@example.org"]
    assert {"accounts.reset_password", "accounts.accept_invitation", "certificates.verify",
            "outbox.show"} <= by_role[None]
