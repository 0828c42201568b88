"""My reflections: the learner's own notes on screen, as CSV and as a printable page."""
from __future__ import annotations

from flask import render_template, stream_with_context
from flask_login import current_user

from modules.core.dates import uk_today
from modules.core.downloads import download_response
from modules.core.policies import allow
from modules.core.tabular import CSV_MIMETYPE
from modules.learning import reflections
from modules.learning.views.blueprint import bp
from modules.learning.views.common import section_url


def _link(group, module, entry) -> str | None:
    if group.slug is None or entry.section_number is None:
        return None
    return section_url(group.slug, module.module_version.slug, entry.section_number,
                       f"reflection-{entry.reflection.key}")


@bp.get("/my-training/reflections")
@allow()
def my_reflections():
    """Every reflection the learner saved, by course and module. Nobody else has a page for them."""
    groups = reflections.my_reflections(current_user.id)
    return render_template("learning/reflections.html", groups=groups, link=_link)


@bp.get("/my-training/reflections/print")
@allow()
def reflections_print():
    """The same notes on one printable page (print or save as PDF for a CPD portfolio)."""
    groups = reflections.my_reflections(current_user.id)
    return render_template("learning/reflections_print.html", groups=groups, today=uk_today())


@bp.get("/my-training/reflections.csv")
@allow()
def reflections_csv():
    """The notes as a CSV file, streamed."""
    groups = reflections.my_reflections(current_user.id)
    filename = f"sightline-my-reflections-{uk_today().isoformat()}.csv"
    return download_response(stream_with_context(reflections.reflections_csv(groups)), filename=filename,
                             content_type=CSV_MIMETYPE)
