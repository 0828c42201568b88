#!/usr/bin/env python3
"""Certificate performance figures (printed, and merged into benchmarks/results.json).

    .venv/bin/python benchmarks/certificates.py            # every part
    .venv/bin/python benchmarks/certificates.py --part a   # one part

Parts:
  a  one certificate through CertificateRenderer.render against a bare WeasyPrint call on the
     same HTML, in the same process (target: ratio <= 1.3).
  b  a manager's ZIP of 5,000 stored certificates, through the real route and streamed to the
     end (target: >= 500 certificates a second).
  c  `flask --app app certificates render --pending` for 1,000 completions without
     certificates, timed end to end as a separate process: start-up, issuing, rendering on every
     core and the batched writes (target: < 30 s on 2 cores).

Parts b and c build a scratch SQLite database under /tmp with the real migrations (or use
``--database-url`` for PostgreSQL: it is emptied first).

To add a part, write a ``bench_...(runs) -> dict`` function that prints its figures and returns
the keys to store, then register it in ``PARTS``.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS_FILE = ROOT / "benchmarks" / "results.json"
DESIGNS_ROOT = ROOT / "certificates"
TARGET_RATIO = 1.3


def check_harfbuzz_subset() -> bool:
    """WeasyPrint subsets fonts about ten times faster with HarfBuzz's subsetter installed."""
    try:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", "libharfbuzz-subset0"],
            capture_output=True, text=True,
        )
    except FileNotFoundError:
        print("note: dpkg-query not found; cannot check for libharfbuzz-subset0")
        return False
    installed = "install ok installed" in result.stdout
    if installed:
        print("libharfbuzz-subset0: installed")
    else:
        print("WARNING: libharfbuzz-subset0 is not installed: WeasyPrint falls back to fontTools "
              "and is about 10x slower (scripts/install-system-packages.sh installs it)")
    return installed


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_single_render(runs: int) -> dict:
    """Part (a): our renderer against a bare ``HTML(string=...).write_pdf()``.

    Both produce the same certificate: the bare call gets the identical HTML with the design's
    stylesheet inlined, the design folder as base URL and the same PDF/UA-1 variant, but builds
    everything from scratch each time (new font configuration, CSS parsed again, default
    fetcher). Our side also pays for Jinja, the QR code and the locked-down fetcher.
    """
    from weasyprint import HTML

    from modules.certificates.rendering import PDF_VARIANT, CertificateRenderer
    from modules.certificates.sample import sample_certificate

    renderer = CertificateRenderer(DESIGNS_ROOT)
    data = sample_certificate()
    design_dir = DESIGNS_ROOT / "default"
    css_text = (design_dir / "certificate.css").read_text(encoding="utf-8")
    same_html = renderer.render_html(data).replace(
        "</head>", f"<style>{css_text}</style></head>", 1
    )
    base_url = design_dir.as_uri() + "/"

    def ours() -> bytes:
        return renderer.render(data)

    def bare() -> bytes:
        return HTML(string=same_html, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)

    for _ in range(3):  # warm-up: imports, font discovery, first-use caches
        ours()
        bare()
    ours_times: list[float] = []
    bare_times: list[float] = []
    for _ in range(runs):  # interleaved, so drift in machine load hits both sides alike
        start = time.perf_counter()
        ours()
        ours_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        bare()
        bare_times.append(time.perf_counter() - start)

    ours_ms, bare_ms = median_ms(ours_times), median_ms(bare_times)
    ratio = ours_ms / bare_ms
    verdict = "OK" if ratio <= TARGET_RATIO else "OVER TARGET"
    print(f"(a) one certificate, median of {runs} runs")
    print(f"    CertificateRenderer.render          {ours_ms:7.1f} ms")
    print(f"    bare weasyprint HTML().write_pdf()  {bare_ms:7.1f} ms")
    print(f"    ratio                               {ratio:7.2f}  "
          f"(target <= {TARGET_RATIO}: {verdict})")
    return {
        "certificate_vs_weasyprint_ratio": round(ratio, 3),
        "certificate_render_median_ms": round(ours_ms, 2),
        "weasyprint_bare_median_ms": round(bare_ms, 2),
    }


# Parts b and c -------------------------------------------------------------------------------

ZIP_CERTIFICATES = 5_000
RENDER_CERTIFICATES = 1_000
TARGET_ZIP_PER_S = 500
TARGET_RENDER_S = 30
BENCH_SECRET = "benchmark-secret-key-that-is-long-enough-to-pass"
_database_url: str | None = None


def _scratch_database_url(name: str) -> str:
    if _database_url:
        return _database_url
    path = Path("/tmp") / f"sightline-bench-{name}.db"
    path.unlink(missing_ok=True)
    return f"sqlite:///{path}"


def _bench_app(database_url: str):
    """A migrated, empty database and an app bound to it (never instance/)."""
    from sqlalchemy import create_engine, text

    from modules.core.config import normalise_database_url
    from modules.core.factory import create_app

    url = normalise_database_url(database_url)
    engine = create_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": BENCH_SECRET, "TESTING": True,
        "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "SERVER_NAME": "localhost",
        "SIGHTLINE_CERTIFICATE_RENDER_ON_ISSUE": False,
    })
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    return app


def _seed_completions(count: int) -> tuple[int, list[int]]:
    """One agency, one course, ``count`` learners with one completion each (bulk inserts).

    :return: the agency id and the completion ids.
    """
    import hashlib
    from datetime import date, timedelta

    from sqlalchemy import insert, select

    from modules.accounts.models import Agency, AgencyKind, User
    from modules.content.models import Course, CourseVersion
    from modules.core.extensions import db
    from modules.learning.models import Completion, Enrolment

    agency = Agency(name="Northshire Constabulary", kind=AgencyKind.police)
    course = Course(slug="cse-l1")
    db.session.add_all([agency, course])
    db.session.flush()
    version = CourseVersion(
        course_id=course.id, number=1, content_hash=hashlib.sha256(b"cse-l1").hexdigest(),
        source_path="courses/cse-l1/course.md",
        title="Recognising and responding to child sexual exploitation", code="CSE-L1", level=1,
        audience=["all"], cpd_minutes=150, refresher_months=36, pass_mark=80,
        certificate_design="default",
    )
    db.session.add(version)
    db.session.flush()
    course.current_version_id = version.id
    db.session.commit()
    first = ("Jordan", "Sam", "Alex", "Riley", "Morgan", "Casey", "Zoë", "Łukasz", "Aoife", "Priya")
    last = ("Sample-Pemberton", "Okafor", "Nowak", "Fitzgerald", "Patel", "O'Neill", "Ndiaye")
    db.session.execute(insert(User), [
        {"email": f"bench{i:05d}@example.org", "name": f"{first[i % 10]} {last[i % 7]} {i}",
         "agency_id": agency.id, "job_title": "Officer", "training_level": 1}
        for i in range(count)
    ])
    user_ids = list(db.session.scalars(select(User.id).order_by(User.id)))
    db.session.execute(insert(Enrolment), [
        {"user_id": uid, "course_id": course.id, "course_version_id": version.id, "cycle": 1}
        for uid in user_ids
    ])
    enrolments = db.session.execute(select(Enrolment.id, Enrolment.user_id)).all()
    start = date(2026, 4, 1)
    rows = []
    for n, (enrolment_id, user_id) in enumerate(enrolments):
        day = start + timedelta(days=n % 200)
        rows.append({
            "enrolment_id": enrolment_id, "user_id": user_id, "course_id": course.id,
            "course_version_id": version.id, "completed_on": day,
            "expires_on": day.replace(year=day.year + 3), "refresher_months": 36,
        })
    db.session.execute(insert(Completion), rows)
    db.session.commit()
    return agency.id, list(db.session.scalars(select(Completion.id).order_by(Completion.id)))


def bench_zip(runs: int) -> dict:
    """Part (b): certificates a second through GET /agencies/<id>/certificates.zip, streamed
    to the last byte (the same generator a manager's browser reads)."""
    import io
    import zipfile

    from sqlalchemy import insert, select

    from modules.accounts.current_session import new_session_values
    from modules.accounts.models import Role, User
    from modules.certificates import get_renderer
    from modules.certificates.bulk import issue_missing_certificates
    from modules.certificates.issuing import certificate_data
    from modules.certificates.models import Certificate, CertificatePdf
    from modules.core.extensions import db

    app = _bench_app(_scratch_database_url("zip"))
    with app.app_context():
        agency_id, _ = _seed_completions(ZIP_CERTIFICATES)
        issue_missing_certificates(batch_size=1000)
        # Real certificate PDFs (about the size a stored one is), reused round-robin: the ZIP
        # reads stored bytes and never renders, so what they say does not matter to its speed.
        renderer = get_renderer(app)
        samples = [
            renderer.render(certificate_data(c, app.config["SIGHTLINE_BASE_URL"]))
            for c in db.session.scalars(select(Certificate).limit(25))
        ]
        ids = list(db.session.scalars(select(Certificate.id).order_by(Certificate.id)))
        for start in range(0, len(ids), 1000):
            db.session.execute(insert(CertificatePdf), [
                {"certificate_id": cid, "data": samples[cid % len(samples)],
                 "size": len(samples[cid % len(samples)]), "design": "default",
                 "content_version": "bench"}
                for cid in ids[start:start + 1000]
            ])
        admin = User(email="admin@example.org", name="Bench Admin", agency_id=agency_id,
                     password_hash=None)
        admin.set_roles({Role.partnership_admin})
        db.session.add(admin)
        db.session.commit()
        admin_session = {**new_session_values(admin), "_user_id": admin.get_id(), "_fresh": True}
        db.session.commit()
        average_pdf = sum(len(s) for s in samples) / len(samples)

    client = app.test_client()
    with client.session_transaction() as session:
        session.update(admin_session)
    url = f"/agencies/{agency_id}/certificates.zip"
    timings = []
    body = b""
    for _ in range(max(1, min(runs, 3))):
        start = time.perf_counter()
        response = client.get(url, buffered=False)
        size = 0
        chunks = []
        for chunk in response.response:
            size += len(chunk)
            chunks.append(chunk)
        timings.append(time.perf_counter() - start)
        assert size == int(response.headers["Content-Length"]), "Content-Length mismatch"
        body = b"".join(chunks)
        response.close()
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert len(names) == ZIP_CERTIFICATES, len(names)
    best = min(timings)
    per_s = ZIP_CERTIFICATES / best
    verdict = "OK" if per_s >= TARGET_ZIP_PER_S else "UNDER TARGET"
    print(f"(b) ZIP of {ZIP_CERTIFICATES:,} stored certificates "
          f"(average PDF {average_pdf / 1024:.0f} KiB, ZIP {len(body) / 2**20:.0f} MiB), "
          f"best of {len(timings)}")
    print(f"    {best:6.2f} s  ->  {per_s:,.0f} certificates/s  "
          f"(target >= {TARGET_ZIP_PER_S}: {verdict})")
    return {"certificates_zip_per_s": round(per_s, 1)}


def bench_render_pending(runs: int) -> dict:
    """Part (c): the CLI as an operator runs it, in its own process, timed from start to exit."""
    import os

    database_url = _scratch_database_url("render")
    app = _bench_app(database_url)
    with app.app_context():
        _seed_completions(RENDER_CERTIFICATES)
        from modules.core.extensions import db

        db.session.remove()
        db.engine.dispose()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": BENCH_SECRET,
           "SIGHTLINE_ENV": "development"}
    flask = ROOT / ".venv" / "bin" / "flask"
    cpu_before = _children_cpu_seconds()
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    result = subprocess.run(
        [str(flask), "--app", "app", "certificates", "render", "--pending"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - start
    # CPU time of the command and its worker processes: with other work on the machine the
    # wall time grows, while CPU seconds / cores stays a fair estimate for idle cores.
    cpu = _children_cpu_seconds() - cpu_before
    if result.returncode != 0:
        print(result.stdout, result.stderr)
        raise SystemExit("render --pending failed")
    assert f"Rendered and stored {RENDER_CERTIFICATES} certificates." in result.stdout, result.stdout
    cores = os.cpu_count()
    verdict = "OK" if elapsed < TARGET_RENDER_S else "OVER TARGET"
    print(f"(c) flask certificates render --pending: {RENDER_CERTIFICATES:,} completions without "
          f"certificates, {cores} cores")
    print(f"    {elapsed:6.2f} s end to end  ({RENDER_CERTIFICATES / elapsed:.1f} certificates/s; "
          f"target < {TARGET_RENDER_S} s: {verdict})")
    print(f"    {cpu:6.2f} CPU seconds in all ({cpu / RENDER_CERTIFICATES * 1000:.0f} ms a certificate; "
          f"{cpu / cores:.1f} s if the {cores} cores had nothing else to do); "
          f"load average {load_before:.1f} at the start")
    return {"certificates_render_1000_s": round(elapsed, 2)}


def _children_cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


PARTS: dict[str, Callable[[int], dict]] = {
    "a": bench_single_render,
    "b": bench_zip,
    "c": bench_render_pending,
}


def write_results(updates: dict) -> None:
    """Merge ``updates`` into results.json, keeping every other key (other parts write there)."""
    results = {}
    if RESULTS_FILE.exists():
        results = json.loads(RESULTS_FILE.read_text(encoding="utf-8") or "{}")
    results.update(updates)
    RESULTS_FILE.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=sorted(PARTS), action="append",
                        help="run only this part (repeatable); default: all")
    parser.add_argument("--runs", type=int, default=30, help="timed runs per measurement")
    parser.add_argument("--database-url", default=None,
                        help="database for parts b and c (emptied first); default a scratch SQLite file")
    args = parser.parse_args(argv)
    global _database_url
    _database_url = args.database_url

    check_harfbuzz_subset()
    updates: dict = {}
    for name in args.part or sorted(PARTS):
        updates.update(PARTS[name](args.runs))
    write_results(updates)
    print(f"wrote {', '.join(sorted(updates))} to {RESULTS_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
