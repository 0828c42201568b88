"""Reports in Chromium: a manager filters the dashboard, follows a figure to the people behind it,
downloads CSV, XLSX and PDF and finds the same figures in them; axe-core finds nothing."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

COURSE_SLUG = "browser-reports-course"
COURSE_CODE = "BR-REP"


@pytest.fixture(scope="module")
def police_training(live_server):
    """A course required of every Northshire Police officer, with a few completions (some
    expired), added once to the live server's demo partnership."""
    app = live_server["app"]
    with app.app_context():
        from modules.accounts.models import Agency, AgencyKind, Role, User
        from modules.core.dates import UK, add_months, uk_today
        from modules.core.extensions import db
        from modules.learning.latest import note_completion
        from modules.learning.models import Completion, Enrolment
        from modules.learning.requirements import set_requirement
        from tests.learning.factories import make_course_version, make_module_version

        police = db.session.scalar(db.select(Agency).where(Agency.name == "Northshire Police"))
        version = make_course_version(COURSE_SLUG, [make_module_version("browser-reports-lesson")],
                                      code=COURSE_CODE, refresher_months=12, title="Reports test course")
        set_requirement(version.course, AgencyKind.police)
        db.session.commit()
        officers = list(db.session.scalars(
            db.select(User).where(User.agency_id == police.id, User.active.is_(True)).order_by(User.id)
        ))
        today = uk_today()
        # Two compliant, one expired (completed 400 days ago); everyone else not started. Only
        # learners, whom the manager may record training for (not the manager themself).
        learners = [u for u in officers if u.roles == {Role.learner}]
        plan = [(learners[0], today - timedelta(days=10)), (learners[1], today - timedelta(days=100)),
                (learners[2], today - timedelta(days=400))]
        for cycle_user, day in plan:
            enrolment = Enrolment(user_id=cycle_user.id, course_id=version.course_id,
                                  course_version_id=version.id, cycle=1,
                                  started_at=datetime.combine(day, time(9), tzinfo=UK))
            db.session.add(enrolment)
            db.session.flush()
            completion = Completion(
                enrolment_id=enrolment.id, user_id=cycle_user.id, course_id=version.course_id,
                course_version_id=version.id, completed_at=datetime.combine(day, time(10), tzinfo=UK),
                completed_on=day, expires_on=add_months(day, 12), refresher_months=12, score=90,
            )
            db.session.add(completion)
            db.session.flush()
            note_completion(completion)
        db.session.commit()
        result = {
            "course_id": version.course_id,
            "in_scope": len(officers),
            "compliant_names": sorted(u.name for u, _ in plan[:2]),
            "officer_id": learners[0].id,
        }
        db.session.remove()
    return result


def _download(page, link_name: str):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def _csv_rows(data: bytes) -> list[dict]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_a_manager_filters_follows_a_figure_and_downloads_every_format(page, axe, police_training):
    sign_in(page, "manager@example.org")
    page.get_by_role("link", name="Reports").click()
    page.wait_for_url(re.compile(r".*/reports$"))
    assert page.locator("h1").inner_text() == "Training compliance"
    assert "Northshire Police" in page.locator(".govuk-caption-l").inner_text()
    axe.assert_clean(page, "reports-dashboard")

    # Filter to the course (the filters start closed), then check the figures on the page.
    page.get_by_text("Filter this report").click()
    page.get_by_label("Course", exact=True).select_option(label=f"{COURSE_CODE} Reports test course")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(rf".*course={police_training['course_id']}.*"))
    row = page.locator("#compliance-table tbody tr").filter(has_text=COURSE_CODE)
    cells = [c.strip() for c in row.locator("td").all_inner_texts()]
    in_scope = police_training["in_scope"]
    assert cells[1].startswith(str(in_scope)) and cells[2].startswith("2")  # staff in scope, covered
    axe.assert_clean(page, "reports-dashboard-filtered")

    name, data = _download(page, "Download this table as CSV")
    assert name.endswith(".csv")
    (exported,) = [r for r in _csv_rows(data) if r["Course code"] == COURSE_CODE]
    assert exported["Agency"] == "Northshire Police"
    assert (int(exported["Staff in scope"]), int(exported["Compliant"]), int(exported["Expired"])) == (in_scope, 2, 1)

    name, data = _download(page, "Download this table as XLSX")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.freeze_panes == "A2"
    assert [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == COURSE_CODE][0][4] == in_scope

    name, data = _download(page, "Download the annual summary (PDF)")
    assert name.endswith(".pdf")
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Safeguarding training summary" in text and "Northshire Police" in text
    assert f"Course {COURSE_CODE} Reports test course" in text  # the filter it was produced with

    # Follow the "compliant" figure to the people behind it.
    row.get_by_role("link", name=re.compile(r"^2 compliant")).click()
    page.wait_for_url(re.compile(r".*/reports/people\?.*status=compliant.*"))
    assert page.locator("#people-count strong").inner_text() == "2"
    names = sorted(page.locator("tbody th a").all_inner_texts())
    assert names == police_training["compliant_names"]
    axe.assert_clean(page, "reports-people")

    _, data = _download(page, "Download this list as CSV")
    assert sorted(r["Name"] for r in _csv_rows(data)) == names
    _, data = _download(page, "Download this list as XLSX")
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in rows) == names
    assert all(isinstance(r[12], datetime) for r in rows)  # "Last completed" is a real date

    # One person's record, and the manual-record form.
    page.get_by_role("link", name=names[0]).click()
    # The one person page (issue 15): the people list links to it directly.
    page.wait_for_url(re.compile(r".*/people/\d+$"))
    assert page.locator("h1").inner_text() == names[0]
    axe.assert_clean(page, "reports-person")
    page.get_by_role("link", name=re.compile(r"^Record face-to-face training")).click()
    page.wait_for_url(re.compile(r".*/reports/people/\d+/manual$"))
    axe.assert_clean(page, "reports-manual")
    page.get_by_role("button", name="Record training").click()
    # expect() waits for the POST's response page; is_visible() looked once, sometimes too early.
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe.assert_clean(page, "reports-manual-errors")


def test_completions_page_and_download(page, axe, police_training):
    sign_in(page, "manager@example.org")
    page.goto(f"/reports/completions?course={police_training['course_id']}&from=2000-01-01&to=2099-12-31")
    assert page.locator("#completions-count strong").inner_text() == "3"
    axe.assert_clean(page, "reports-completions")
    _, data = _download(page, "Download these completions as CSV")
    rows = _csv_rows(data)
    assert len(rows) == 3 and {r["Agency"] for r in rows} == {"Northshire Police"}


def test_an_admin_sees_agencies_side_by_side(page, axe, police_training):
    sign_in(page, "admin@example.org")
    page.goto("/reports")
    assert page.locator(".govuk-caption-l").inner_text() == "All agencies"
    table = page.locator("table").first
    assert "Northshire Police" in table.inner_text() and "Northshire Homes" in table.inner_text()
    axe.assert_clean(page, "reports-dashboard-admin")
