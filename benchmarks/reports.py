"""Reporting at partnership scale: dashboard latency, the 1,000,000-row CSV against PostgreSQL's own
COPY, and a 100,000-row XLSX. Prints the figures and merges them into benchmarks/results.json.

Needs PostgreSQL loaded with the scale demo (not part of the test suite):

    export DATABASE_URL=postgresql://USER:PASSWORD@127.0.0.1:5432/sightline_bench
    .venv/bin/flask --app app db upgrade
    .venv/bin/flask --app app demo --staff 50000 --completions 1000000
    .venv/bin/python benchmarks/reports.py

Targets: dashboard p95 < 300 ms (the largest agency, and the partnership view); CSV of every
completion at most 3x the time of ``COPY (same query) TO STDOUT`` and peak RSS < 200 MB; XLSX of
100,000 rows in seconds with flat memory. The CSV and XLSX are measured in fresh child processes
(``resource.getrusage`` peak RSS), each through the code the download uses.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS_FILE = ROOT / "benchmarks" / "results.json"
DASHBOARD_RUNS = 50
XLSX_ROWS = 100_000
ALL_TIME = ("1970-01-01", None)  # the completions export over every completion (histories go back decades)


def _app():
    from modules.core.factory import create_app

    return create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "SERVER_NAME": "localhost"})


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _all_time_scope(today: date):
    from modules.reports.periods import Period
    from modules.reports.queries import ReportScope

    return ReportScope(agency_ids=None, period=Period(date.fromisoformat(ALL_TIME[0]), today), today=today)


# Dashboard -------------------------------------------------------------------------------------

def dashboard_figures() -> dict:
    from sqlalchemy import func, select

    from modules.accounts.models import Agency, User
    from modules.core.dates import uk_today
    from modules.core.extensions import db
    from modules.reports import services
    from modules.reports.periods import reporting_year_of
    from modules.reports.queries import ReportScope

    app = _app()
    results = {}
    with app.app_context():
        today = uk_today()
        largest, staff = db.session.execute(
            select(Agency.id, func.count(User.id)).join(User, User.agency_id == Agency.id)
            .where(User.active.is_(True)).group_by(Agency.id).order_by(func.count(User.id).desc()).limit(1)
        ).one()
        name = db.session.get(Agency, largest).name
        for label, ids in (("largest_agency", frozenset({largest})), ("partnership", None)):
            scope = ReportScope(agency_ids=ids, period=reporting_year_of(today), today=today)
            timings = []
            for run in range(DASHBOARD_RUNS + 3):
                db.session.rollback()  # a fresh transaction, as each request has
                start = time.perf_counter()
                board = services.dashboard(scope)
                elapsed = (time.perf_counter() - start) * 1000
                if run >= 3:  # the first runs warm the caches
                    timings.append(elapsed)
            timings.sort()
            p50 = statistics.median(timings)
            p95 = timings[int(round(0.95 * (len(timings) - 1)))]
            results[label] = {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "rows": len(board.rows),
                              "staff_in_scope": sum(r.in_scope for r in board.rows)}
            print(f"dashboard, {label}{' (' + name + f', {staff} active staff)' if ids else ''}: "
                  f"p50 {p50:.0f} ms, p95 {p95:.0f} ms over {DASHBOARD_RUNS} runs "
                  f"({len(board.rows)} agency/course rows)")
        db.session.rollback()
    return results


# CSV against COPY ------------------------------------------------------------------------------

def csv_child() -> None:
    """In a fresh process: download every completion as CSV through the real route, streamed."""
    from modules.core.dates import uk_today

    app = _app()
    client = app.test_client()
    response = client.post("/sign-in", data={"email": "admin@example.org", "password": "sightline-demo"})
    assert response.status_code == 302, "the scale demo's admin@example.org could not sign in"
    baseline = _peak_rss_mb()
    url = f"/reports/completions.csv?from={ALL_TIME[0]}&to={uk_today().isoformat()}"
    start = time.perf_counter()
    response = client.get(url, buffered=False)
    size = lines = 0
    for chunk in response.response:
        data = chunk.encode() if isinstance(chunk, str) else chunk
        size += len(data)
        lines += data.count(b"\n")
    response.close()
    elapsed = time.perf_counter() - start
    print(json.dumps({"seconds": elapsed, "bytes": size, "lines": lines, "baseline_rss_mb": baseline,
                      "peak_rss_mb": _peak_rss_mb()}))


def copy_figures() -> dict:
    """``COPY (the export's query) TO STDOUT`` through psycopg: the database's own CSV speed."""
    from sqlalchemy.dialects import postgresql

    from modules.core.dates import uk_today
    from modules.core.extensions import db
    from modules.reports import queries

    app = _app()
    with app.app_context():
        statement = queries.completions_query(_all_time_scope(uk_today()))
        sql = str(statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
        connection = db.engine.raw_connection()
        try:
            start = time.perf_counter()
            size = lines = 0
            with connection.driver_connection.cursor() as cursor:
                with cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
                    for block in copy:
                        size += len(block)
                        lines += bytes(block).count(b"\n")
            elapsed = time.perf_counter() - start
        finally:
            connection.close()
    return {"seconds": elapsed, "bytes": size, "lines": lines}


# XLSX ------------------------------------------------------------------------------------------

def xlsx_child() -> None:
    """In a fresh process: 100,000 completions through the XLSX writer the download uses."""
    import itertools
    import tempfile

    from modules.core.dates import uk_today
    from modules.core.tabular import write_xlsx
    from modules.reports import services

    app = _app()
    with app.app_context(), tempfile.TemporaryDirectory() as tmp:
        baseline = _peak_rss_mb()
        target = Path(tmp) / "completions.xlsx"
        start = time.perf_counter()
        rows = itertools.islice(services.completions_values(_all_time_scope(uk_today())), XLSX_ROWS)
        written = write_xlsx(str(target), services.COMPLETION_COLUMNS, rows, title="Completions")
        elapsed = time.perf_counter() - start
        print(json.dumps({"seconds": elapsed, "rows": written, "bytes": target.stat().st_size,
                          "baseline_rss_mb": baseline, "peak_rss_mb": _peak_rss_mb()}))


def _run_child(flag: str) -> dict:
    output = subprocess.run([sys.executable, __file__, flag], capture_output=True, text=True, env=os.environ.copy())
    if output.returncode != 0:
        raise SystemExit(f"{flag} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


# Main ------------------------------------------------------------------------------------------

def check_database() -> int:
    from sqlalchemy import func, select

    from modules.core.extensions import db
    from modules.learning.models import Completion

    app = _app()
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            raise SystemExit("Run this on PostgreSQL: set DATABASE_URL to your benchmark database.")
        count = db.session.scalar(select(func.count()).select_from(Completion))
        if count < 900_000:
            raise SystemExit(f"{count} completions: load the scale demo first "
                             f"(flask --app app demo --staff 50000 --completions 1000000).")
        # A bulk load leaves the visibility map empty, so PostgreSQL cannot use index-only scans
        # until autovacuum has been round; do it now so every run measures the same thing.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in ("users", "learning_enrolments", "learning_completions", "report_latest_completions"):
                connection.exec_driver_sql(f"VACUUM ANALYZE {table}")
        return count


def merge_results(updates: dict) -> None:
    results = json.loads(RESULTS_FILE.read_text()) if RESULTS_FILE.exists() else {}
    results.update(updates)
    RESULTS_FILE.write_text(json.dumps(dict(sorted(results.items())), indent=2) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--xlsx-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.csv_child:
        return csv_child()
    if args.xlsx_child:
        return xlsx_child()

    completions = check_database()
    print(f"{completions} completions; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    dashboard = dashboard_figures()

    copy = copy_figures()
    csv = _run_child("--csv-child")
    ratio = csv["seconds"] / copy["seconds"]
    print(f"COPY (same query) TO STDOUT: {copy['seconds']:.2f} s, {copy['lines'] - 1} rows, {copy['bytes'] / 1e6:.0f} MB")
    print(f"CSV download: {csv['seconds']:.2f} s, {csv['lines'] - 1} rows, {csv['bytes'] / 1e6:.0f} MB, "
          f"{ratio:.2f}x COPY; peak RSS {csv['peak_rss_mb']:.0f} MB "
          f"({csv['baseline_rss_mb']:.0f} MB before the download started)")
    if csv["lines"] != copy["lines"]:
        print(f"WARNING: the CSV has {csv['lines']} lines and COPY {copy['lines']}")

    xlsx = _run_child("--xlsx-child")
    print(f"XLSX: {xlsx['rows']} rows in {xlsx['seconds']:.2f} s, {xlsx['bytes'] / 1e6:.1f} MB file, "
          f"peak RSS {xlsx['peak_rss_mb']:.0f} MB ({xlsx['baseline_rss_mb']:.0f} MB before writing)")

    merge_results({
        "dashboard_p95_ms": max(d["p95_ms"] for d in dashboard.values()),
        "dashboard_largest_agency_p95_ms": dashboard["largest_agency"]["p95_ms"],
        "dashboard_partnership_p95_ms": dashboard["partnership"]["p95_ms"],
        "csv_1m_s": round(csv["seconds"], 2),
        "csv_1m_copy_s": round(copy["seconds"], 2),
        "csv_1m_vs_copy_ratio": round(ratio, 2),
        "csv_1m_peak_rss_mb": round(csv["peak_rss_mb"], 1),
        "xlsx_100k_s": round(xlsx["seconds"], 2),
        "xlsx_100k_peak_rss_mb": round(xlsx["peak_rss_mb"], 1),
    })
    print(f"merged into {RESULTS_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
