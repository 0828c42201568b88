"""My training, course pages, starting a course, and the learner record."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, stream_with_context, url_for
from flask_login import current_user
from sqlalchemy import select

from modules.accounts.models import TRAINING_LEVELS
from modules.content.models import Course, Module
from modules.core.dates import uk_today
from modules.core.downloads import download_response
from modules.core.extensions import db
from modules.core.policies import allow
from modules.core.tabular import CSV_MIMETYPE
from modules.learning import next_steps, progress, record, status
from modules.learning.completion import complete_course_if_done
from modules.learning.models import Completion
from modules.learning.progress import LearningError, ModuleState
from modules.learning.views.blueprint import bp
from modules.learning.views.common import course_or_404, window_days


@bp.get("/my-training")
@allow()
def my_training():
    """The learner's home: required courses with their status, then optional ones."""
    today = uk_today()
    overview = status.training_overview(current_user, today=today, window_days=window_days())
    in_progress = [s for s in overview.required + overview.optional if s.enrolment is not None]
    resume = max(in_progress, key=lambda s: _last_active(s), default=None)
    return render_template(
        "learning/my_training.html",
        overview=overview,
        resume=resume,
        today=today,
        level_label=TRAINING_LEVELS[current_user.training_level],
    )


def _last_active(course_status) -> object:
    entry = progress.resume_point(course_status.enrolment)
    return entry.run.last_active_at if entry and entry.run else course_status.enrolment.started_at


@bp.get("/my-training/courses/<course_slug>")
@allow()
def course(course_slug: str):
    """A course: its description, the learner's status and the modules as a task list."""
    course = course_or_404(course_slug)
    today = uk_today()
    course_status = status.course_status(
        current_user, course, required=status.is_required(current_user, course), today=today,
        window_days=window_days(),
    )
    latest = progress.latest_enrolment(current_user.id, course.id)
    if latest is not None:
        entries = progress.module_entries(latest)
    else:
        # Before Start: shared modules done in another course already show as completed.
        entries = progress.entries_before_start(current_user.id, course)
    completions = db.session.scalars(
        select(Completion)
        .where(Completion.user_id == current_user.id, Completion.course_id == course.id)
        .order_by(Completion.completed_at.desc())
    ).all()
    return render_template(
        "learning/course.html",
        course=course,
        status=course_status,
        enrolment=latest,
        version=latest.course_version if latest is not None else course.current_version,
        entries=entries,
        resume=progress.resume_point(latest) if latest is not None and latest.completion is None else None,
        newer_version=latest is not None and latest.completion is None and progress.has_newer_version(latest),
        completions=completions,
        done_before_start=sum(e.state is ModuleState.completed for e in entries) if latest is None else 0,
        minutes_left=next_steps.minutes_left(entries),
        minutes_total=next_steps.minutes_total(entries),
        today=today,
        level_label=TRAINING_LEVELS.get(course.current_version.level, ""),
    )


@bp.post("/my-training/courses/<course_slug>/start")
@allow()
def start_course(course_slug: str):
    """Start the course (or a refresher): pins the version the learner will take."""
    course = course_or_404(course_slug)
    try:
        result = progress.start_course(current_user, course)
    except LearningError as exc:
        flash(str(exc), "error")
        return redirect(url_for("learning.course", course_slug=course.slug))
    enrolment = result.enrolment
    # Every module may already count (shared with a course the learner has done).
    complete_course_if_done(enrolment.id)
    db.session.commit()
    if result.is_new_version:
        flash(
            f"You are starting version {enrolment.course_version.number} of this course. It has "
            f"changed since you last took it (version {result.previous_version.number}), so some "
            "modules may be new or different.",
            "info",
        )
    elif result.created and result.after_withdrawal:
        flash("You have started the course again.", "success")
    elif result.created and enrolment.cycle > 1:
        flash("You have started your refresher. Your earlier completion stays on your record.", "success")
    entry = progress.resume_point(enrolment)
    if entry is None:
        return redirect(url_for("learning.course", course_slug=course.slug))
    return redirect(url_for("learning.module", course_slug=course.slug, module_slug=entry.module_version.slug))


@bp.get("/my-training/courses/<course_slug>/continue")
@allow()
def resume(course_slug: str):
    """"Continue where you left off": the module (and section) the learner was last in."""
    course = course_or_404(course_slug)
    enrolment = progress.latest_enrolment(current_user.id, course.id)
    entry = progress.resume_point(enrolment) if enrolment is not None and enrolment.completion is None else None
    if entry is None:
        return redirect(url_for("learning.course", course_slug=course.slug))
    return redirect(url_for("learning.module", course_slug=course.slug, module_slug=entry.module_version.slug))


@bp.get("/my-training/modules/<slug>")
@allow()
def module_link(slug: str):
    """Where a link between modules in content (``/content/go/<slug>``) takes a learner: the
    module inside a course of theirs that includes it (the one under way first)."""
    module = db.session.scalar(select(Module).where(Module.slug == slug))
    if module is None:
        abort(404)
    candidates = []
    for course in db.session.scalars(select(Course).where(Course.current_version_id.is_not(None))):
        if not status.may_take(current_user, course):
            continue
        enrolment = progress.latest_enrolment(current_user.id, course.id)
        version = enrolment.course_version if enrolment is not None else course.current_version
        if any(mv.module_id == module.id for mv in version.module_versions):
            under_way = enrolment is not None and enrolment.completion is None
            candidates.append((not under_way, enrolment is None, course.slug))
    if not candidates:
        abort(404)
    course_slug = min(candidates)[2]
    return redirect(url_for("learning.module", course_slug=course_slug, module_slug=slug))


@bp.get("/my-training/record")
@allow()
def record_page():
    """Every completion the learner has, with expiry, and (later) certificates."""
    rows = record.learner_record(current_user.id, today=uk_today(), window_days=window_days())
    return render_template("learning/record.html", rows=rows, certificate_link=record.certificate_link)


@bp.get("/my-training/record.csv")
@allow()
def record_csv():
    """The learner record as a CSV file, streamed."""
    rows = record.learner_record(current_user.id, today=uk_today(), window_days=window_days())
    filename = f"sightline-learner-record-{uk_today().isoformat()}.csv"
    return download_response(stream_with_context(record.record_csv(rows)), filename=filename,
                             content_type=CSV_MIMETYPE)
