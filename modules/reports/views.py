"""Report pages and exports (thin: read the filters, call a service, render or stream).

Every page and export reads its filters through :func:`modules.reports.filters.resolve`, which
limits a manager to their own agency (404 for anything else). Exports take exactly the query
string of the page they were linked from, so they hold what the page shows.
"""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user

from modules.accounts.models import Role, User
from modules.core import audit
from modules.core.dates import uk_date_of, uk_today
from modules.core.downloads import download_response
from modules.core.extensions import db
from modules.core.models import utcnow
from modules.core.params import page_number
from modules.core.policies import allow, require_actable, require_person
from modules.core.tabular import CSV_MIMETYPE, XLSX_MIMETYPE, csv_chunks, xlsx_tempfile
from modules.reports import annual, charts, services
from modules.reports.filters import Filters, choices, resolve
from modules.reports.forms import ManualCompletionForm
from modules.reports.manual import ManualRecordError, courses_with_content, record_manual_completion

bp = Blueprint("reports", __name__, url_prefix="/reports")

REPORT_ROLES = (Role.manager, Role.partnership_admin)
FORMATS = "<any(csv, xlsx):fmt>"
LIST_FORMATS = "<any(csv, xlsx, pdf):fmt>"
# A PDF is for reading and printing a short list (a team, the overdue): WeasyPrint takes about
# 30 ms a row on a busy two-core machine (500 rows, some 15 landscape pages: 15 s; a quiet one is
# several times faster), all of it inside the request. A longer list gets its first rows, says so
# at the top (and on the download link), and points to the CSV or XLSX, which stream every row.
PDF_ROW_LIMIT = 500


def _filters(*, with_status: bool = False) -> Filters:
    return resolve(current_user, request.args, uk_today(), with_status=with_status)


def _is_admin() -> bool:
    return current_user.has_role(Role.partnership_admin)


def _stamp() -> str:
    return utcnow().strftime("%Y%m%d-%H%M")


# Pages --------------------------------------------------------------------------------------

@bp.get("")
@allow(*REPORT_ROLES)
def dashboard():
    """Compliance per agency and required course, with charts and the same figures as tables."""
    filters = _filters()
    board = services.dashboard(filters.scope)
    side_by_side = filters.agency is None
    return render_template(
        "reports/dashboard.html",
        filters=filters,
        board=board,
        side_by_side=side_by_side,
        is_admin=_is_admin(),
        compliance_chart=charts.compliance_chart(
            [a.as_bar() for a in board.agencies if a.in_scope] if side_by_side else board.bars(with_agency=False),
            chart_id="compliance",
            title="Compliance by agency" if side_by_side else "Compliance by course",
        ),
        monthly_chart=charts.monthly_chart(
            board.months, chart_id="monthly", title=f"Completions per month, {filters.scope.period.label}"
        ),
    )


@bp.get("/people")
@allow(*REPORT_ROLES)
def people():
    """The people behind a dashboard figure."""
    filters = _filters(with_status=True)
    page = services.people_page(filters.scope, page_number(request.args))
    return render_template("reports/people.html", filters=filters, page=page, is_admin=_is_admin(),
                           columns=services.PEOPLE_COLUMNS, pdf_row_limit=PDF_ROW_LIMIT)


@bp.get("/completions")
@allow(*REPORT_ROLES)
def completions():
    """Every completion recorded in the period."""
    filters = _filters()
    page = services.completions_page(filters.scope, page_number(request.args))
    return render_template("reports/completions.html", filters=filters, page=page, is_admin=_is_admin(),
                           columns=services.COMPLETION_COLUMNS, pdf_row_limit=PDF_ROW_LIMIT)


@bp.get("/people/<int:user_id>")
@allow(*REPORT_ROLES)
def person(user_id: int):
    """The old address of a person's training record: it is on the one person page now. The scope
    is checked first, so the redirect reveals nothing about people out of view (404)."""
    person = require_person(current_user, db.session.get(User, user_id))
    return redirect(url_for("admin.person", user_id=person.id), code=301)


@bp.route("/people/<int:user_id>/manual", methods=["GET", "POST"])
@allow(*REPORT_ROLES)
def manual(user_id: int):
    """Record training done outside Sightline for someone the user may act on (can_act_on)."""
    person = require_actable(current_user, db.session.get(User, user_id))
    if person.id == current_user.id:
        flash("You cannot record your own training. Ask a partnership admin to record it for you.", "error")
        return redirect(url_for("admin.person", user_id=person.id))
    form = ManualCompletionForm()
    courses = courses_with_content()
    form.course.choices = choices(
        [("", "Select a course")] + [(str(course.id), f"{version.code} {version.title}") for course, version in courses]
    )
    if form.validate_on_submit():
        course = next(c for c, _ in courses if str(c.id) == form.course.data)
        try:
            result = record_manual_completion(
                actor=current_user, person=person, course=course, completed_on=form.completed_on.data,
                evidence=form.evidence.data, today=uk_today(),
            )
        except ManualRecordError as exc:
            field = form.completed_on if "date" in str(exc) else form.evidence
            field.errors = [*field.errors, str(exc)]
        else:
            db.session.commit()
            if result.created:
                flash(f"Training recorded for {person.name}.", "success")
            else:
                flash(f"This training was already recorded for {person.name}: it is in the list of "
                      "completions below.", "success")
            return redirect(url_for("admin.person", user_id=person.id))
    return render_template("reports/manual.html", person=person, form=form)


# Exports ------------------------------------------------------------------------------------

def _audit_export(report: str, fmt: str, filters: Filters) -> None:
    """Record who took which people's training data out of Sightline, with the filters used.

    Committed before the download starts: a streamed response cannot write afterwards.
    """
    audit.record(
        "report.exported",
        actor=current_user,
        agency_id=filters.agency.id if filters.agency else None,
        report=report,
        format=fmt,
        query=request.query_string.decode()[:500],
    )
    db.session.commit()


def _csv(filename: str, columns, rows) -> Response:
    # stream_with_context keeps the request (and its database session) open while the rows are
    # read in batches and written out; nothing is modified while streaming.
    return download_response(stream_with_context(csv_chunks(columns, rows)), filename=filename,
                             content_type=CSV_MIMETYPE)


def _xlsx(filename: str, columns, rows, title: str) -> Response:
    # The rows go through XlsxWriter in constant memory (spilled to temporary files); only the
    # finished, compressed workbook is held to send it (about 4 MB per 100,000 rows).
    with xlsx_tempfile(columns, rows, title=title) as handle:
        data = handle.read()
    return download_response(data, filename=filename, content_type=XLSX_MIMETYPE)


@bp.get(f"/dashboard.{FORMATS}")
@allow(*REPORT_ROLES)
def dashboard_export(fmt: str):
    filters = _filters()
    rows = services.dashboard_values(services.dashboard(filters.scope))
    _audit_export("dashboard", fmt, filters)
    name = f"sightline-compliance-{_stamp()}.{fmt}"
    if fmt == "csv":
        return _csv(name, services.DASHBOARD_COLUMNS, rows)
    return _xlsx(name, services.DASHBOARD_COLUMNS, rows, "Training compliance")


@bp.get(f"/people.{LIST_FORMATS}")
@allow(*REPORT_ROLES)
def people_export(fmt: str):
    filters = _filters(with_status=True)
    if fmt == "pdf":
        from modules.reports import pdf

        page = services.people_first(filters.scope, PDF_ROW_LIMIT)
        data = pdf.render_list(title="People and their required training", columns=pdf.PEOPLE_PDF_COLUMNS,
                               rows=pdf.people_pdf_rows(page), page=page, filters=filters,
                               produced_at=utcnow(), produced_by=current_user)
    _audit_export("people", fmt, filters)
    name = f"sightline-people-{_stamp()}.{fmt}"
    if fmt == "pdf":
        return download_response(data, filename=name, content_type="application/pdf")
    if fmt == "csv":
        return _csv(name, services.PEOPLE_COLUMNS, services.people_values(filters.scope))
    return _xlsx(name, services.PEOPLE_COLUMNS, services.people_values(filters.scope), "Training status")


@bp.get(f"/completions.{LIST_FORMATS}")
@allow(*REPORT_ROLES)
def completions_export(fmt: str):
    filters = _filters()
    if fmt == "pdf":
        from modules.reports import pdf

        page = services.completions_first(filters.scope, PDF_ROW_LIMIT)
        data = pdf.render_list(title="Completions", columns=pdf.COMPLETION_PDF_COLUMNS,
                               rows=pdf.completions_pdf_rows(page), page=page, filters=filters,
                               produced_at=utcnow(), produced_by=current_user)
    _audit_export("completions", fmt, filters)
    name = f"sightline-completions-{_stamp()}.{fmt}"
    if fmt == "pdf":
        return download_response(data, filename=name, content_type="application/pdf")
    if fmt == "csv":
        return _csv(name, services.COMPLETION_COLUMNS, services.completions_values(filters.scope))
    return _xlsx(name, services.COMPLETION_COLUMNS, services.completions_values(filters.scope),
                 "Completions")


@bp.get("/summary.pdf")
@allow(*REPORT_ROLES)
def summary_pdf():
    """The annual summary for a board: this year against the same day a year before, the
    partnership's figure beside each agency (admins only: a manager's summary reads nothing
    outside their agency), the target and RAG rating, completions by course and mode, and a box
    for the board's commentary. Named after the day it was produced."""
    from modules.reports.pdf import render_summary

    filters = _filters()
    scope = filters.scope
    board = services.dashboard(scope)
    before = services.dashboard(annual.previous_scope(scope))
    partnership_now = partnership_before = None
    if _is_admin():
        whole = annual.partnership_scope(scope)
        partnership_now = board if whole == scope else services.dashboard(whole)
        partnership_before = before if whole == scope else services.dashboard(annual.previous_scope(whole))
    summary = annual.annual_summary(board, before, partnership_now=partnership_now,
                                    partnership_before=partnership_before)
    produced = utcnow()
    pdf = render_summary(board, filters, produced_at=produced, produced_by=current_user, annual=summary)
    _audit_export("summary", "pdf", filters)
    period = (f"{filters.year.first_year}-{str(filters.year.first_year + 1)[-2:]}" if filters.year
              else f"{scope.period.start.isoformat()}-to-{scope.period.end.isoformat()}")
    name = f"sightline-annual-summary-{period}-produced-{uk_date_of(produced).isoformat()}.pdf"
    return download_response(pdf, filename=name, content_type="application/pdf")
