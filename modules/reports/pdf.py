"""The annual summary and the filtered lists as PDFs (WeasyPrint), with the filters stated.

WeasyPrint loads nothing from the network or the file system: the charts are inline SVG, the
stylesheet is parsed here from this package, and the certificates' locked-down fetcher (only
``data:`` URIs and files in ``pdf_assets/``) refuses anything else a template might ask for.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import render_template

from modules.accounts.models import User
from modules.core.dates import uk_wall_clock
from modules.core.fetcher import DesignURLFetcher
from modules.core.settings import setting
from modules.core.templating import uk_date
from modules.reports import charts
from modules.reports.annual import AnnualSummary
from modules.reports.filters import Filters
from modules.reports.services import Dashboard, Page

ASSETS = Path(__file__).resolve().parent / "pdf_assets"
STYLESHEET = ASSETS / "summary.css"
LEVELS = (1, 2, 3)
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

_lock = threading.Lock()
_cache: dict[str, object] = {}


@dataclass(frozen=True)
class LevelRow:
    agency: str
    by_level: dict[int, int]
    manual: int

    @property
    def total(self) -> int:
        return sum(self.by_level.values())


def completions_by_agency_and_level(board: Dashboard) -> list[LevelRow]:
    """Completions in the period per agency, split by course level."""
    rows: dict[str, LevelRow] = {}
    for row in board.rows:
        entry = rows.setdefault(row.agency, LevelRow(row.agency, {level: 0 for level in LEVELS}, 0))
        entry.by_level[row.course_level] = entry.by_level.get(row.course_level, 0) + row.completions
        rows[row.agency] = LevelRow(entry.agency, entry.by_level, entry.manual + row.manual_completions)
    return [rows[name] for name in sorted(rows)]


def _weasy():
    """One font configuration and parsed stylesheet per process (a third off every render)."""
    with _lock:
        if not _cache:
            from weasyprint import CSS
            from weasyprint.text.fonts import FontConfiguration

            fetcher = DesignURLFetcher(ASSETS)
            fonts = FontConfiguration()
            _cache.update(fetcher=fetcher, fonts=fonts,
                          css=CSS(filename=str(STYLESHEET), url_fetcher=fetcher, font_config=fonts))
        return _cache


def summary_html(board: Dashboard, filters: Filters, *, produced_at: datetime, produced_by: User,
                 annual: AnnualSummary) -> str:
    level_rows = completions_by_agency_and_level(board)
    agencies = board.agencies
    return render_template(
        "reports/pdf/summary.html",
        board=board,
        annual=annual,
        filters=filters,
        agencies=agencies,
        level_rows=level_rows,
        levels=LEVELS,
        level_totals={level: sum(r.by_level.get(level, 0) for r in level_rows) for level in LEVELS},
        total_completions=sum(r.total for r in level_rows),
        total_manual=sum(r.manual for r in level_rows),
        total=board.total,
        produced_at=uk_wall_clock(produced_at),
        produced_by=produced_by,
        partnership=setting("SIGHTLINE_PARTNERSHIP_NAME"),
        compliance_chart=charts.compliance_chart(
            [a.as_bar() for a in agencies if a.in_scope], chart_id="pdf-compliance", title="Compliance by agency"
        ),
        monthly_chart=charts.monthly_chart(
            board.months, chart_id="pdf-monthly", title=f"Completions per month, {filters.scope.period.label}"
        ),
    )


def render_summary(board: Dashboard, filters: Filters, *, produced_at: datetime, produced_by: User,
                   annual: AnnualSummary) -> bytes:
    """The PDF bytes of the annual summary for ``board`` (tagged, PDF/UA-1)."""
    return _render(summary_html(board, filters, produced_at=produced_at, produced_by=produced_by, annual=annual))


@dataclass(frozen=True)
class ListColumn:
    heading: str
    numeric: bool = False


def list_html(*, title: str, columns: list[ListColumn], rows: list[list[str]], page: Page, filters: Filters,
              produced_at: datetime, produced_by: User) -> str:
    """A filtered list as a paginated table whose header repeats on every page."""
    return render_template(
        "reports/pdf/list.html", title=title, columns=columns, rows=rows, page=page, filters=filters,
        produced_at=uk_wall_clock(produced_at), produced_by=produced_by,
        partnership=setting("SIGHTLINE_PARTNERSHIP_NAME"),
    )


def render_list(**kwargs) -> bytes:
    return _render(list_html(**kwargs))


def _render(html: str) -> bytes:
    from weasyprint import HTML

    weasy = _weasy()
    document = HTML(string=html, base_url=ASSETS.as_uri() + "/", url_fetcher=weasy["fetcher"])
    with _lock:
        return document.write_pdf(stylesheets=[weasy["css"]], font_config=weasy["fonts"],
                                  pdf_variant="pdf/ua-1")


# The lists' PDFs: the page's columns (the CSV and XLSX have every column, the PDF what fits).

PEOPLE_PDF_COLUMNS = [ListColumn("Name"), ListColumn("Agency"), ListColumn("Team"), ListColumn("Course"),
                      ListColumn("Status"), ListColumn("Due by"), ListColumn("Last completed"),
                      ListColumn("Expires")]
COMPLETION_PDF_COLUMNS = [ListColumn("Name"), ListColumn("Agency"), ListColumn("Team"), ListColumn("Course"),
                          ListColumn("Completed"), ListColumn("Expires"), ListColumn("Score", numeric=True)]


def people_pdf_rows(page: Page) -> list[list[str]]:
    return [
        [p.name + (f" (left on {uk_date(p.left_on)})" if p.left_on else ""), p.agency, p.team or "No team",
         f"{p.course_code} {p.course_title}", p.status.label + (" (in progress)" if p.in_progress else ""),
         uk_date(p.due_on), (uk_date(p.completed_on) if p.completed_on else "Never")
         + (" (recorded manually)" if p.manual else ""),
         uk_date(p.expires_on) if p.expires_on else "Not applicable"]
        for p in page.items
    ]


def completions_pdf_rows(page: Page) -> list[list[str]]:
    return [
        [c.name + (f" (left on {uk_date(c.left_on)})" if c.left_on else ""),
         c.agency + (f" (completed while in {c.completed_while_in})" if c.completed_while_in else ""), c.team,
         f"{c.course_code} {c.course_title} (level {c.course_level})",
         uk_date(c.completed_on) + (" (recorded manually)" if c.manual == "Yes" else ""), uk_date(c.expires_on),
         f"{c.score}%" if c.score is not None else "No assessment"]
        for c in page.items
    ]
