"""Issue 15's report pages: the headline before the filters, filters stated in words and open
when applied, one line for an empty selection, PDFs of the filtered lists, and the annual
summary for a board (trend, partnership figure, target and RAG from the settings, completions by
course and mode, commentary, named after the day it was produced)."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from modules.core import partnership_settings
from modules.core.dates import uk_date_of, uk_today
from modules.core.models import utcnow
from modules.learning.models import Completion, CompletionSource
from modules.reports import annual, services, views
from modules.reports.periods import ReportingYear, reporting_year_of
from modules.reports.queries import ReportScope
from tests.reports.conftest import complete


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return " ".join("\n".join(page.extract_text() for page in reader.pages).split())


# The annual summary -----------------------------------------------------------------------------

@pytest.fixture
def history(db, world):
    """Last reporting year (measured on its 31 March, A) against the same day a year before (B):

    Home Police, six person-course pairs (Alice L1+L2, Bob L1, Carol L1+L2, Mina L1): covered at
    A: Alice L1 (A-20), Bob L1 (A-100, recorded manually), Alice L2 (A-400, 24 months): 3 of 6,
    50%. At B only Alice L2 counted: 1 of 6, 17%.
    Other Health, three pairs (Dan, Erin, Ada; L1): at A only Dan (A-10): 1 of 3, 33%. At B Erin
    (A-500) and Ada (A-400) still counted: 2 of 3, 67%.
    The partnership: 4 of 9 (44%) at A, 3 of 9 (33%) at B. Completions in the year: Alice's and
    Dan's online, Bob's manual (all CSE-L1).
    """
    year = ReportingYear.starting(reporting_year_of(uk_today()).first_year - 1)
    a = year.end
    p = world.people
    complete(db, p["alice"], world.l1, on=a - timedelta(days=20))
    bob = complete(db, p["bob"], world.l1, on=a - timedelta(days=100))
    complete(db, p["alice"], world.l2, on=a - timedelta(days=400))
    complete(db, p["dan"], world.l1, on=a - timedelta(days=10))
    complete(db, p["erin"], world.l1, on=a - timedelta(days=500))
    complete(db, world.admin, world.l1, on=a - timedelta(days=400))
    db.session.execute(db.update(Completion).where(Completion.id == bob.id).values(source=CompletionSource.manual))
    db.session.commit()
    return year


def _summary(world, year, *, agency_ids=None):
    scope = ReportScope(agency_ids=agency_ids, period=year, today=uk_today())
    now = services.dashboard(scope)
    before = services.dashboard(annual.previous_scope(scope))
    whole = annual.partnership_scope(scope)
    return annual.annual_summary(now, before, partnership_now=services.dashboard(whole),
                                 partnership_before=services.dashboard(annual.previous_scope(whole)))


def _targets(db, actor, target: int, amber: int) -> None:
    partnership_settings.put("compliance_target_percent", target, actor=actor)
    partnership_settings.put("compliance_amber_percent", amber, actor=actor)
    db.session.commit()


def test_every_figure_of_the_annual_summary(db, world, history):
    _targets(db, world.admin, 50, 33)  # Home exactly at the target, Other exactly at amber
    summary = _summary(world, history)
    assert (summary.as_at, summary.before_as_at) == (history.end, date(history.end.year - 1, 3, 31))
    lines = {line.agency: line for line in summary.agencies}
    home, other = lines["Home Police"], lines["Other Health"]
    assert (home.now.covered, home.now.in_scope, home.now.percent) == (3, 6, 50)
    assert (home.before.covered, home.before.in_scope, home.before.percent) == (1, 6, 17)
    assert (home.trend.points, home.trend.sign, home.trend.words) == (33, "↑", "Up 33 points")
    assert (other.now.percent, other.before.percent) == (33, 67)
    assert (other.trend.points, other.trend.sign, other.trend.words) == (-34, "↓", "Down 34 points")
    whole = summary.partnership
    assert (whole.now.covered, whole.now.in_scope, whole.now.percent) == (4, 9, 44)
    assert (whole.before.covered, whole.before.percent) == (3, 33)
    assert (home.rating, other.rating, whole.rating) == ("Green", "Amber", "Amber")
    (course,) = summary.courses
    assert (course.code, course.online, course.manual, course.total) == ("CSE-L1", 2, 1, 3)
    assert (summary.completions.online, summary.completions.manual) == (2, 1)

    _targets(db, world.admin, 51, 34)  # one point more: both fall a band
    lines = {line.agency: line for line in _summary(world, history).agencies}
    assert (lines["Home Police"].rating, lines["Other Health"].rating) == ("Amber", "Red")


def test_rag_boundaries_and_trend_words():
    assert [annual.rag(p, target=90, amber=75) for p in (100, 90, 89, 75, 74, 0, None)] == [
        "Green", "Green", "Amber", "Amber", "Red", "Red", None]
    assert annual.Trend(40, 40).words == "No change" and annual.Trend(40, 40).sign == "→"
    assert annual.Trend(41, 40).words == "Up 1 point"
    assert annual.Trend(40, None).words == "No figure a year before" and annual.Trend(40, None).sign == "–"
    assert annual.Trend(None, 40).words == "Nobody in scope now"
    assert annual.same_day_a_year_before(date(2028, 2, 29)) == date(2027, 2, 28)


def test_the_summary_pdf_states_the_board_figures_and_is_named_after_the_day(client, sign_in, db, world,
                                                                            history):
    _targets(db, world.admin, 50, 33)
    sign_in(world.admin)
    response = client.get(f"/reports/summary.pdf?year={history.first_year}")
    produced = uk_date_of(utcnow()).isoformat()
    short = str(history.first_year + 1)[-2:]
    assert (f'filename="sightline-annual-summary-{history.first_year}-{short}-produced-{produced}.pdf"'
            in response.headers["Content-Disposition"])
    text = _text(response)
    assert "Compliance against the target" in text
    assert "Target: 50% of required courses covered. Green: 50% or more. Amber: 33% or more, below 50%." in text
    assert "Home Police 50% (3 of 6) 17% (1 of 6) ↑ Up 33 points 44% Green" in text
    assert "Other Health 33% (1 of 3) 67% (2 of 3) ↓ Down 34 points 44% Amber" in text
    assert "Partnership 44% (4 of 9) 33% (3 of 9) ↑ Up 11 points – Amber" in text
    assert "Completions in the year by course and mode" in text
    assert "CSE-L1 Awareness 1 2 1 3" in text and "All courses 2 1 3" in text
    assert "Commentary" in text


def test_a_managers_summary_has_their_agency_only_and_no_partnership_figure(client, sign_in, db, world, history):
    sign_in(world.manager)
    text = _text(client.get(f"/reports/summary.pdf?year={history.first_year}"))
    assert "Home Police 50% (3 of 6) 17% (1 of 6) ↑ Up 33 points Red" in text  # default target 90, amber 75
    assert "Other Health" not in text and "Partnership 44%" not in text and "Dan Other" not in text


# The list PDFs ------------------------------------------------------------------------------------

@pytest.fixture
def recent(db, world, today):
    p = world.people
    complete(db, p["alice"], world.l1, on=today - timedelta(days=3))
    complete(db, p["dan"], world.l1, on=today - timedelta(days=4))
    p["carol"].started_on = today - timedelta(days=200)  # overdue for both courses
    db.session.commit()
    return world


def test_the_people_pdf_holds_the_filtered_rows_only_with_the_filters_stated(client, sign_in, recent):
    sign_in(recent.admin)
    response = client.get(f"/reports/people.pdf?agency={recent.home.id}&status=overdue")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="sightline-people-')
    text = _text(response)
    assert "People and their required training" in text
    assert "showing Home Police, Overdue" in text and "Status Overdue" in text
    assert "Rows 2" in text
    assert text.count("Carol Home") == 2 and "Alice Home" not in text and "Dan Other" not in text


def test_every_list_pdf_of_a_manager_holds_their_agency_only(client, sign_in, recent):
    sign_in(recent.manager)
    people = _text(client.get("/reports/people.pdf"))
    assert "Alice Home" in people and "Carol Home" in people
    assert "Dan Other" not in people and "Erin Other" not in people and "Other Health" not in people
    completions = _text(client.get("/reports/completions.pdf"))
    assert "Alice Home" in completions and "Dan Other" not in completions and "Other Health" not in completions
    assert client.get(f"/reports/people.pdf?agency={recent.other.id}").status_code == 404


def test_a_long_list_pdf_holds_its_first_rows_and_says_so(client, sign_in, recent, monkeypatch):
    monkeypatch.setattr(views, "PDF_ROW_LIMIT", 1)
    sign_in(recent.admin)
    text = _text(client.get("/reports/completions.pdf"))
    assert "The first 1 of 2: a PDF holds at most 1 rows. Download the CSV or XLSX for all of them." in text
    assert "Alice Home" in text and "Dan Other" not in text  # newest first
    page = client.get("/reports/completions").get_data(as_text=True)
    assert "Download these completions as PDF (the first 1 rows)" in page


# The pages ------------------------------------------------------------------------------------

def test_headline_first_then_the_filters_closed_until_one_is_applied(client, sign_in, recent):
    sign_in(recent.admin)
    page = client.get("/reports").get_data(as_text=True)
    assert "sl-report-container" not in page  # the service's own page width
    assert page.index('id="report-headline"') < page.index('id="report-filters"') < page.index('class="sl-chart"')
    assert '<details class="govuk-details sl-filters-details" id="report-filters">' in page
    assert "Showing:</strong> All agencies, reporting year" in page
    # 2 of 9 person-course pairs covered (Alice L1 and Dan).
    assert '<span class="sl-headline__figure">22% covered</span>' in page
    filtered = client.get(f"/reports/people?agency={recent.home.id}&status=overdue").get_data(as_text=True)
    assert '<details class="govuk-details sl-filters-details" id="report-filters" open>' in filtered
    assert "Showing:</strong> Home Police, Overdue, reporting year" in filtered
    assert filtered.index('id="people-count"') < filtered.index('id="report-filters"')


def test_an_empty_selection_is_one_line(client, sign_in, db, make_agency, recent):
    empty = make_agency(name="Empty Trust")
    sign_in(recent.admin)
    page = client.get("/reports").get_data(as_text=True)
    assert "No staff in scope at Empty Trust." in page
    assert "Empty Trust</span>" not in page  # not a bar of its own in the chart
    nothing = client.get(f"/reports?agency={empty.id}").get_data(as_text=True)
    assert "No staff are required to take a course, and no completions were recorded from" in nothing
    assert "<table" not in nothing and 'class="sl-chart"' not in nothing and "Download this table" not in nothing
    quiet = client.get("/reports?from=2001-01-01&to=2001-12-31").get_data(as_text=True)
    assert "No completions were recorded in the period." in quiet and "sl-chart__row--month" not in quiet
    none = client.get("/reports/completions?from=2001-01-01&to=2001-12-31").get_data(as_text=True)
    assert "No completions were recorded from 1 January 2001 to 31 December 2001 for these filters." in none
    assert "<table" not in none and "as CSV" not in none
    nobody = client.get(f"/reports/people?agency={empty.id}").get_data(as_text=True)
    assert "Nobody matches these filters." in nobody and "<table" not in nobody
