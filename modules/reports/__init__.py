"""Manager reporting: compliance dashboards, drill-down lists, CSV/XLSX exports, the annual PDF
summary and manually recorded completions.

Services: queries.py (SQL), services.py (dashboard and lists), latest.py (latest completion per
person and course), manual.py (completions recorded by hand), filters.py (agency-scoped filters),
tabular.py (CSV/XLSX), charts.py (SVG), pdf.py (annual summary). Views: views.py. CLI: cli.py.
"""
from __future__ import annotations


def init_app(app):
    from modules.learning.signals import completion_recorded, completion_withdrawn
    from modules.reports import models  # noqa: F401  (so Alembic and relationships see them)
    from modules.reports.cli import reports_command
    from modules.reports.latest import on_completion_recorded, on_completion_withdrawn
    from modules.reports.views import bp

    # weak=False: the receiver is a module-level function, but say so explicitly.
    completion_recorded.connect(on_completion_recorded, weak=False)
    completion_withdrawn.connect(on_completion_withdrawn, weak=False)
    app.register_blueprint(bp)
    app.cli.add_command(reports_command)
