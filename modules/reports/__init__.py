"""Manager reporting: compliance dashboards, drill-down lists, CSV/XLSX exports, the annual PDF
summary and manually recorded completions.

Services: queries.py (SQL), services.py (dashboard and lists), manual.py (completions recorded
by hand), filters.py (agency-scoped filters), tabular.py (CSV/XLSX), charts.py (SVG), pdf.py
(annual summary). Views: views.py. CLI: cli.py.
Each person's latest completion per course is kept by modules.learning.latest.
"""
from __future__ import annotations


def init_app(app):
    from modules.reports import models  # noqa: F401  (so Alembic and relationships see them)
    from modules.reports.cli import reports_command
    from modules.reports.views import bp

    app.register_blueprint(bp)
    from modules.core.navigation import add_menu_item
    from modules.core.roles import Role

    add_menu_item(app, "Reports", "reports.dashboard", order=60, roles=(Role.manager, Role.partnership_admin))
    app.cli.add_command(reports_command)
    from modules.certificates.effects import register_revocation_figures
    from modules.reports.revocation import revocation_figures

    register_revocation_figures(app, revocation_figures)
