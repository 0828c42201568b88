"""Trainer pages for imported content (read-only previews), pictures, and module links."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from modules.accounts.models import TRAINING_LEVELS, AgencyKind, Role
from modules.content import services
from modules.content.models import ModuleVersion
from modules.core.policies import allow
from modules.core.svg_safety import active_content

bp = Blueprint("content", __name__, url_prefix="/content")

TRAINER_ROLES = (Role.trainer, Role.partnership_admin)


@bp.get("/courses/<slug>")
@allow(*TRAINER_ROLES)
def course(slug: str):
    """A course's current version: settings, description and modules in order."""
    course = services.course_by_slug(slug)
    if course is None or course.current_version is None:
        abort(404)
    version = course.current_version
    return render_template(
        "content/course.html", course=course, version=version, level_label=TRAINING_LEVELS.get(version.level),
        audience=_audience_labels(version.audience),
    )


@bp.get("/modules/<slug>")
@allow(*TRAINER_ROLES)
def module(slug: str):
    """Preview of a module's current version, as stored (rendered sections, decisions, questions)."""
    version = services.current_module_version(slug)
    if version is None:
        abort(404)
    return _preview(version)


@bp.get("/modules/<slug>/versions/<int:number>")
@allow(*TRAINER_ROLES)
def module_version(slug: str, number: int):
    """Preview of one earlier (or the current) version of a module."""
    version = services.module_version(slug, number)
    if version is None:
        abort(404)
    return _preview(version)


@bp.get("/go/<slug>")
@allow()
def go(slug: str):
    """Where links between modules in content lead (stored HTML links to /content/go/<module id>).

    Trainers and admins get the preview. Learners go to the player when it has registered an
    endpoint in ``app.config["CONTENT_MODULE_LINK_ENDPOINT"]`` (called with ``slug=``), otherwise
    to their home page.
    """
    module = services.module_by_slug(slug)
    if module is None:
        abort(404)
    if current_user.roles & set(TRAINER_ROLES):
        return redirect(url_for("content.module", slug=slug))
    endpoint = current_app.config.get("CONTENT_MODULE_LINK_ENDPOINT")
    # Without a player, the start page (which sends a signed-in user to their own home page).
    return redirect(url_for(endpoint, slug=slug) if endpoint else url_for("pages.index"))


@bp.get("/assets/<sha256>.<ext>")
@allow()
def asset(sha256: str, ext: str):
    """A picture used by content, by the SHA-256 of its bytes (so it can be cached for ever)."""
    stored = services.asset(sha256.lower())
    if stored is None:
        abort(404)
    if stored.media_type == "image/svg+xml" and active_content(stored.data):
        # Stored before content check refused such pictures: never serve it.
        current_app.logger.warning("content asset %s is an SVG with active content; not served", stored.sha256)
        abort(404)
    response = current_app.response_class(stored.data, mimetype=stored.media_type)
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    # An SVG opened on its own must not run scripts or load anything.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response.headers["Content-Disposition"] = "inline"
    return response


def _preview(version: ModuleVersion):
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

    sections = [(section, services.fill_section(section, fill)) for section in version.sections]
    return render_template(
        "content/module.html",
        version=version,
        module=version.module,
        sections=sections,
        courses=services.courses_including(version.module),
        pools=_pools(version),
        show_answers=request.args.get("answers") != "hide",
    )


def _pools(version: ModuleVersion) -> dict[str, int]:
    pools: dict[str, int] = {}
    for question in version.questions:
        pools[question.pool] = pools.get(question.pool, 0) + 1
    return pools


def _audience_labels(audience: list[str]) -> list[str]:
    if "all" in audience:
        return ["Everyone"]
    return [AgencyKind[name].label if name in AgencyKind.__members__ else name for name in audience]
