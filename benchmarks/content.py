#!/usr/bin/env python3
"""Content engine figures: checking and importing the bundled courses, and serving a module page
from stored HTML against rendering its Markdown on every request (which pages never do).

    .venv/bin/python benchmarks/content.py

Runs in-process on a throwaway SQLite database built by the migrations. Prints its figures.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUNS = 10


def timed(fn, runs=RUNS) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    from flask_migrate import upgrade

    from modules.accounts.current_session import new_session_values
    from modules.accounts.models import Agency, AgencyKind, Role, User
    from modules.content.checker import check_paths
    from modules.content.importer import import_checked
    from modules.content.rendering import FileRenderer
    from modules.content.services import current_module_version
    from modules.core.extensions import db
    from modules.core.factory import create_app

    courses, certificates = ROOT / "courses", ROOT / "certificates"
    result = check_paths([courses], certificates)
    if not result.ok:
        sys.exit("the bundled courses have errors: run flask --app app content check")
    check_ms = timed(lambda: check_paths([courses], certificates))

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
            "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False,
            "MAIL_OUTBOX_DIR": f"{tmp}/outbox", "SERVER_NAME": "localhost",
        })
        with app.app_context():
            upgrade()
            start = time.perf_counter()
            import_checked(check_paths([courses], certificates))
            first_import_ms = (time.perf_counter() - start) * 1000
            reimport_ms = timed(lambda: import_checked(check_paths([courses], certificates)), runs=3)

            agency = Agency(name="Bench", kind=AgencyKind.police)
            user = User(email="trainer@bench.example", name="Trainer", agency=agency, job_title="x",
                        training_level=1, password_hash=None)
            user.set_roles({Role.trainer})
            db.session.add(user)
            db.session.commit()
            slug = max(result.modules, key=lambda m: sum(len(s.html) for s in m.sections)).slug
            version = current_module_version(slug)
            sources = [m for m in result.modules if m.slug == slug][0].header.front.body

            stored_ms = timed(lambda: [s.html for s in current_module_version(slug).sections], runs=200)
            render_ms = timed(lambda: FileRenderer().block(sources), runs=50)
            client = app.test_client()
            values = new_session_values(user)
            db.session.commit()
            with client.session_transaction() as session:
                session.update(values, _user_id=user.get_id(), _fresh=True)
            page_ms = timed(lambda: client.get(f"/content/modules/{slug}"), runs=50)

        figures = {
            "content_check_bundled_median_ms": statistics.median(check_ms),
            "content_first_import_ms": first_import_ms,
            "content_reimport_unchanged_median_ms": statistics.median(reimport_ms),
            f"content_stored_sections_{version.kind.name}_median_ms": statistics.median(stored_ms),
            f"content_markdown_render_{version.kind.name}_median_ms": statistics.median(render_ms),
            "content_preview_page_median_ms": statistics.median(page_ms),
        }
    print(f"{len(result.courses)} courses, {len(result.modules)} modules "
          f"({sum(len(m.questions) for m in result.modules)} questions); largest module: {slug}")
    for key, value in figures.items():
        print(f"{key:48} {value:8.2f}")


if __name__ == "__main__":
    main()
