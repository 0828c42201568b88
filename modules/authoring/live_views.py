"""The editor's check as you type: POST the text, get its findings and the preview as JSON."""
from __future__ import annotations

from flask import jsonify, render_template, request
from flask_login import current_user

from modules.authoring import live
from modules.authoring.views import bp
from modules.authoring.workspace import valid_path
from modules.content.services import fill_section
from modules.core.extensions import limiter
from modules.core.policies import allow
from modules.core.roles import Role

# One check per pause in typing; a trainer typing all day stays far below this.
LIVE_CHECK_LIMIT = "90 per minute;2000 per hour"


def _checker_key() -> str:
    return f"live-check:{current_user.get_id()}"


def _refused(status: int, message: str):
    return jsonify({"error": message}), status


@bp.post("/files/<path:path>/check")
@allow(Role.trainer, Role.partnership_admin)
@limiter.limit(LIVE_CHECK_LIMIT, key_func=_checker_key)
def live_check(path: str):
    """The findings of the posted text as file ``path``, and its preview. Writes nothing."""
    if not valid_path(path) or not path.endswith(".md"):
        return _refused(404, "There is no such file in the content folder.")
    text = request.form.get("text")
    if text is None:
        return _refused(400, "Nothing to check: the request has no text.")
    try:
        checked = live.live_check(path, text.replace("\r\n", "\n"))
    except live.TooLarge as exc:
        return _refused(413, str(exc))
    return jsonify({
        "findings": checked.findings,
        "counts": checked.counts,
        "html": render_template(
            "authoring/live_preview.html",
            version=checked.version,
            sections=_sections(checked.version),
            is_course=path.endswith("/course.md"),
            show_answers=True,
        ),
    })


def _sections(version):
    if version is None:
        return []
    decisions = {d.key: d for d in version.decision_points}
    reflections = {r.key: r for r in version.reflections}

    def fill(name: str) -> str:
        kind, _, key = name.partition(":")
        if kind == "decision" and key in decisions:
            return render_template("content/_decision.html", decision=decisions[key])
        if kind == "reflection" and key in reflections:
            return render_template("content/_reflection.html", reflection=reflections[key])
        if kind == "local-contacts":
            return render_template("content/_local_contacts.html")
        return ""

    return [(section, fill_section(section, fill)) for section in version.sections]
