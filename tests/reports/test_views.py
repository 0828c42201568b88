"""Report pages and exports through HTTP: agency scoping, exports equal to the screen, CSV
injection, XLSX and PDF contents, manual records and private reflections."""
from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from modules.core.dates import add_months
from modules.core.models import AuditEvent
from modules.learning.models import Completion, LatestCompletion, ManualCompletion, ReflectionNote
from modules.learning.status import course_status
from modules.reports.periods import reporting_year_of
from tests.reports.conftest import complete, read_csv, start


@pytest.fixture
def busy(db, world, today):
    """Completions and enrolments in both agencies, relative to today."""
    p = world.people
    complete(db, p["alice"], world.l1, on=today - timedelta(days=20))
    complete(db, p["alice"], world.l2, on=today - timedelta(days=800))  # expired (24 months)
    complete(db, p["bob"], world.l1, on=today - timedelta(days=350))  # expires within 30 days
    start(db, p["carol"], world.l1, on=today - timedelta(days=2))
    complete(db, p["dan"], world.l1, on=today - timedelta(days=5))
    complete(db, p["erin"], world.l1, on=today - timedelta(days=1))
    p["carol"].started_on = today - timedelta(days=200)  # overdue for both courses, one in progress
    world.manager.started_on = today - timedelta(days=70)  # CSE-L1 due in 20 days
    db.session.commit()
    return world


def _year(today) -> str:
    return str(reporting_year_of(today).first_year)


# Agency scoping -------------------------------------------------------------------------------

def test_a_manager_sees_only_their_own_agency_everywhere(client, sign_in, busy):
    sign_in(busy.manager)
    dashboard = client.get("/reports").get_data(as_text=True)
    assert "Home Police" in dashboard and "Other Health" not in dashboard
    people = client.get("/reports/people").get_data(as_text=True)
    assert "Alice Home" in people and "Dan Other" not in people and "Erin Other" not in people
    completions = client.get("/reports/completions").get_data(as_text=True)
    assert "Dan Other" not in completions
    for url in ("/reports/people.csv", "/reports/completions.csv", "/reports/dashboard.csv"):
        rows = read_csv(client.get(url))
        assert rows and {r["Agency"] for r in rows} == {"Home Police"}, url
    for url in ("/reports/people.xlsx", "/reports/completions.xlsx"):
        sheet = load_workbook(io.BytesIO(client.get(url).data)).active
        agencies = {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert agencies == {"Home Police"}, url
    pdf = _pdf_text(client.get("/reports/summary.pdf"))
    assert "Home Police" in pdf and "Other Health" not in pdf


def test_a_manager_cannot_reach_another_agency_by_any_filter(client, sign_in, busy):
    sign_in(busy.manager)
    other_team = busy.other.teams[0].id
    for url in (f"/reports?agency={busy.other.id}", f"/reports/people.csv?agency={busy.other.id}",
                f"/reports/people?team={other_team}", f"/reports/people.csv?team={other_team}",
                f"/reports/completions.xlsx?team={other_team}", f"/reports/summary.pdf?team={other_team}",
                "/reports/people?agency=abc", f"/reports/people/{busy.people['dan'].id}",
                f"/reports/people/{busy.people['dan'].id}/manual"):
        assert client.get(url).status_code == 404, url


def test_an_admin_sees_every_agency_and_can_narrow_to_one(client, sign_in, busy):
    sign_in(busy.admin)
    rows = read_csv(client.get("/reports/people.csv"))
    assert {r["Agency"] for r in rows} == {"Home Police", "Other Health"}
    rows = read_csv(client.get(f"/reports/people.csv?agency={busy.other.id}"))
    assert {r["Name"] for r in rows} == {"Ada Admin", "Dan Other", "Erin Other"}


# Exports hold what the screen shows ------------------------------------------------------------

STATE_HEADERS = {"compliant": "Compliant", "expiring": "Expiring", "expired": "Expired", "overdue": "Overdue",
                 "due_soon": "Due soon", "not_yet_due": "Not yet due"}


@pytest.mark.parametrize("status, column", [
    (None, "in_scope"), ("covered", "covered"), ("in_progress", "in_progress"),
    *((state, state) for state in STATE_HEADERS),
])
def test_dashboard_figures_equal_the_rows_of_the_export_behind_them(client, sign_in, busy, status, column):
    sign_in(busy.admin)
    dashboard = read_csv(client.get("/reports/dashboard.csv"))
    headers = {"in_scope": "Staff in scope", "covered": "Covered", "in_progress": "In progress", **STATE_HEADERS}
    checked = 0
    for agency in (busy.home, busy.other):
        for version in (busy.l1, busy.l2):
            row = next((r for r in dashboard if r["Agency"] == agency.name and r["Course code"] == version.code), None)
            expected = int(row[headers[column]]) if row else 0
            query = f"agency={agency.id}&course={version.course_id}" + (f"&status={status}" if status else "")
            people = read_csv(client.get(f"/reports/people.csv?{query}"))
            assert len(people) == expected, (agency.name, version.code, status)
            page = client.get(f"/reports/people?{query}").get_data(as_text=True)
            # An empty selection is one line, not a count of zero above an empty table.
            assert (f"<strong>{expected}</strong>" if expected else "Nobody matches these filters.") in page
            checked += expected
    assert checked > 0


def test_every_figure_on_the_dashboard_page_links_to_that_many_people(client, sign_in, busy, today):
    """Follow each number's link on the page (agency totals and agency/course rows alike)."""
    import re
    from html import unescape

    sign_in(busy.admin)
    page = client.get("/reports?level=1").get_data(as_text=True)
    links = re.findall(r'href="(/reports/(?:people|completions)\?[^"]+)">(\d+)<span', page)
    assert len(links) > 10
    for href, figure in links:
        url = unescape(href).replace("/reports/people?", "/reports/people.csv?").replace(
            "/reports/completions?", "/reports/completions.csv?")
        assert len(read_csv(client.get(url))) == int(figure), url


def test_dashboard_totals_add_up_and_match_the_completions_export(client, sign_in, busy, today):
    sign_in(busy.admin)
    year = _year(today)
    dashboard = read_csv(client.get(f"/reports/dashboard.csv?year={year}"))
    for row in dashboard:
        parts = sum(int(row[k]) for k in STATE_HEADERS.values())
        assert parts == int(row["Staff in scope"])
        assert int(row["Covered"]) == int(row["Compliant"]) + int(row["Expiring"])
    completions = read_csv(client.get(f"/reports/completions.csv?year={year}"))
    assert len(completions) == sum(int(r["Completions in period"]) for r in dashboard)
    expected = sum(1 for r in completions if date.fromisoformat(r["Completed"]) >= reporting_year_of(today).start)
    assert len(completions) == expected


def test_exports_apply_the_filters_of_the_page(client, sign_in, busy):
    sign_in(busy.manager)
    team = busy.home.teams[0]  # Response: Alice only
    rows = read_csv(client.get(f"/reports/people.csv?team={team.id}&level=1"))
    assert {(r["Name"], r["Course code"]) for r in rows} == {("Alice Home", "CSE-L1")}
    page = client.get(f"/reports/people?team={team.id}&level=1").get_data(as_text=True)
    assert f"/reports/people.csv?team={team.id}&amp;level=1" in page


def test_a_custom_date_range_replaces_the_reporting_year(client, sign_in, busy, today):
    sign_in(busy.admin)
    start_day = today - timedelta(days=6)
    query = f"date_from={start_day.day}&date_from={start_day.month}&date_from={start_day.year}" \
            f"&date_to={today.day}&date_to={today.month}&date_to={today.year}"
    page = client.get(f"/reports/completions?{query}").get_data(as_text=True)
    assert "<strong>2</strong> completions" in page  # Dan (5 days ago) and Erin (yesterday)
    assert f"from={start_day.isoformat()}&amp;to={today.isoformat()}" in page
    rows = read_csv(client.get(f"/reports/completions.csv?from={start_day.isoformat()}&to={today.isoformat()}"))
    assert {r["Name"] for r in rows} == {"Dan Other", "Erin Other"}


def test_a_reversed_date_range_is_an_error_not_a_crash(client, sign_in, busy):
    sign_in(busy.manager)
    response = client.get("/reports?date_from=2&date_from=4&date_from=2026&date_to=1&date_to=4&date_to=2026")
    assert response.status_code == 200
    assert "must be the same as or after" in response.get_data(as_text=True)


# CSV injection, XLSX and PDF -------------------------------------------------------------------

def test_csv_neutralises_formulas_in_names(db, client, sign_in, busy):
    busy.people["bob"].name = "=HYPERLINK(\"http://example.org\",\"x\")"
    busy.home.teams[1].name = "@SUM(1+1)"
    db.session.commit()
    sign_in(busy.manager)
    rows = read_csv(client.get("/reports/people.csv"))
    names = {r["Name"] for r in rows}
    assert "'=HYPERLINK(\"http://example.org\",\"x\")" in names
    assert not any(n.startswith(("=", "+", "-", "@")) for n in names)
    assert "'@SUM(1+1)" in {r["Team"] for r in rows}


def test_xlsx_has_a_frozen_header_and_real_dates(client, sign_in, busy, today):
    sign_in(busy.manager)
    response = client.get(f"/reports/completions.xlsx?from=2020-01-01&to={today.isoformat()}")
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["Name", "Email address", "Agency", "Completed while in", "Team"]
    completed = header.index("Completed") + 1
    cell = sheet.cell(row=2, column=completed)
    assert cell.is_date and isinstance(cell.value, datetime)
    assert cell.value.date() == today - timedelta(days=20)  # Alice's, the newest in the home agency
    assert sheet.max_row == 1 + 3  # Alice x2, Bob


def test_pdf_summary_contains_the_figures_and_the_filters(client, sign_in, busy, today):
    sign_in(busy.admin)
    response = client.get(f"/reports/summary.pdf?year={_year(today)}")
    assert response.headers["Content-Type"] == "application/pdf"
    text = _pdf_text(response)
    year = reporting_year_of(today)
    assert "Safeguarding training summary" in text
    assert f"reporting year {year.label}" in text
    assert "Completions by agency and level" in text
    assert "Compliance by agency" in text
    assert "Home Police" in text and "Other Health" in text
    dashboard = read_csv(client.get(f"/reports/dashboard.csv?year={_year(today)}"))
    home_l1 = next(r for r in dashboard if r["Agency"] == "Home Police" and r["Course code"] == "CSE-L1")
    # The home agency's row: required 6 (4 + 2), covered 2 (Alice's CSE-L1, compliant, and
    # Bob's, expiring), then compliant 1, expiring 1, expired 1 (Alice's CSE-L2), overdue 2
    # (Carol's two), due soon 1 (Mina's CSE-L1), not yet due 0.
    assert "Home Police 6 2 33% 1 1 1 2 1 0" in " ".join(text.split())
    assert home_l1["% covered"] == "50"
    assert "Produced" in text and busy.admin.name in text


def _pdf_text(response) -> str:
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    return "\n".join(page.extract_text() for page in reader.pages)


# Manual records --------------------------------------------------------------------------------

def _manual_form(course_id, day: date, evidence="Face-to-face briefing, attendance sheet ref 14"):
    return {"course": str(course_id), "completed_on": [str(day.day), str(day.month), str(day.year)],
            "evidence": evidence}


def test_a_manager_records_training_done_outside_sightline(db, client, sign_in, busy, today):
    carol = busy.people["carol"]  # has an unfinished CSE-L1 cycle
    sign_in(busy.manager)
    day = today - timedelta(days=3)
    response = client.post(f"/reports/people/{carol.id}/manual", data=_manual_form(busy.l1.course_id, day))
    assert response.status_code == 302 and response.location == f"/people/{carol.id}"
    completion = db.session.scalar(db.select(Completion).where(Completion.user_id == carol.id))
    assert completion.completed_on == day and completion.score is None
    assert completion.expires_on == add_months(day, 12)  # CSE-L1's refresher period
    manual = db.session.get(ManualCompletion, completion.id)
    assert manual.recorded_by_id == busy.manager.id and "attendance sheet" in manual.evidence
    # It completed the cycle Carol had started, and My training now shows it.
    assert completion.enrolment.cycle == 1
    assert course_status(carol, busy.l1.course, required=True, today=today).completion.id == completion.id
    assert db.session.get(LatestCompletion, (carol.id, busy.l1.course_id)).manual is True
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "completion.recorded_manually"))
    assert event.actor_id == busy.manager.id and event.agency_id == busy.home.id
    assert event.details["person_id"] == carol.id and event.details["course"] == "CSE-L1"
    # Marked as manual in the lists and exports.
    rows = read_csv(client.get(f"/reports/completions.csv?course={busy.l1.course_id}"))
    assert next(r for r in rows if r["Name"] == "Carol Home")["Recorded manually"] == "Yes"
    assert next(r for r in rows if r["Name"] == "Alice Home")["Recorded manually"] == "No"
    people = read_csv(client.get(f"/reports/people.csv?status=compliant&course={busy.l1.course_id}"))
    assert next(r for r in people if r["Name"] == "Carol Home")["Recorded manually"] == "Yes"
    record = client.get(f"/people/{carol.id}").get_data(as_text=True)
    assert "Recorded manually" in record and "attendance sheet ref 14" in record


def test_manual_records_refuse_future_dates_and_missing_evidence(db, client, sign_in, busy, today):
    bob = busy.people["bob"]
    sign_in(busy.manager)
    page = client.post(f"/reports/people/{bob.id}/manual",
                       data=_manual_form(busy.l1.course_id, today + timedelta(days=1))).get_data(as_text=True)
    assert "must be today or in the past" in page
    page = client.post(f"/reports/people/{bob.id}/manual",
                       data=_manual_form(busy.l1.course_id, today, evidence="  ")).get_data(as_text=True)
    assert "Describe the evidence" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(ManualCompletion)) == 0


def test_a_manager_cannot_record_training_for_another_agency(db, client, sign_in, busy, today):
    sign_in(busy.manager)
    dan = busy.people["dan"]
    response = client.post(f"/reports/people/{dan.id}/manual", data=_manual_form(busy.l1.course_id, today))
    assert response.status_code == 404
    assert db.session.scalar(db.select(db.func.count()).select_from(ManualCompletion)) == 0


# Privacy --------------------------------------------------------------------------------------

def test_the_training_record_never_shows_reflections(db, client, sign_in, busy):
    from modules.content.models import Reflection

    alice = busy.people["alice"]
    reflection = Reflection(module_version_id=busy.l1.module_versions[0].id, position=0, key="r1",
                            section_anchor="introduction", title="Pause and reflect", prompt_html="<p>Think</p>")
    db.session.add(reflection)
    db.session.flush()
    db.session.add(ReflectionNote(user_id=alice.id, reflection_id=reflection.id, text="PRIVATE-THOUGHT-42"))
    db.session.commit()
    sign_in(busy.manager)
    for url in (f"/people/{alice.id}", "/reports/people", "/reports/people.csv", "/reports/completions.csv"):
        assert "PRIVATE-THOUGHT-42" not in client.get(url).get_data(as_text=True), url
    page = client.get(f"/people/{alice.id}").get_data(as_text=True)
    assert "CSE-L1" in page and "Compliant" in page


def test_every_export_is_audit_logged_with_its_filters(db, client, sign_in, busy):
    sign_in(busy.manager)
    for url in ("/reports/people.csv?status=overdue", "/reports/completions.xlsx",
                "/reports/dashboard.csv", "/reports/summary.pdf"):
        assert client.get(url).status_code == 200, url
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "report.exported").order_by(AuditEvent.id)
    ).all()
    assert [(e.details["report"], e.details["format"]) for e in events] == [
        ("people", "csv"), ("completions", "xlsx"), ("dashboard", "csv"), ("summary", "pdf"),
    ]
    assert all(e.actor_id == busy.manager.id for e in events)
    assert all(e.agency_id == busy.manager.agency_id for e in events)
    assert events[0].details["query"] == "status=overdue"
