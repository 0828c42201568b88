"""Taking a course: enrolment (with the pinned course version), module runs, sections, decisions,
reflections, and which modules count towards a course.

Crediting rule. A completed module run counts towards an enrolment when it finished after
:func:`credit_window`: after the learner's previous completion of the same course (so a refresher
means doing the modules again) and within the course's refresher period before the enrolment
started (so a module done years ago does not count). Runs are matched by module identity, so a
module shared by two courses is done once for both.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import cache

from sqlalchemy import bindparam, exists, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from modules.accounts.models import User
from modules.content import version_cache
from modules.content.models import (
    Course,
    CourseVersion,
    DecisionPoint,
    ModuleKind,
    ModuleVersion,
    Reflection,
)
from modules.core.database import insert_ignoring_duplicates
from modules.core.dates import add_months
from modules.core.extensions import db
from modules.core.models import utcnow
from modules.learning.models import (
    Completion,
    DecisionChoice,
    Enrolment,
    ModuleProgress,
    QuizAttempt,
    ReflectionNote,
    SectionVisit,
)
from modules.learning.request_cache import memo, recall, remember

REFLECTION_MAX_LENGTH = 5000


class LearningError(ValueError):
    """A learner action that cannot be done; the message is shown to them."""


# Enrolment ----------------------------------------------------------------------------------

def enrolments_for(user_id: int) -> list[Enrolment]:
    """Every cycle of every course of the learner, oldest first, with its completion and its
    course version's modules in order (those from the version cache): one query per request."""
    return memo(("enrolments", user_id), lambda: _enrolments(user_id))


# The statements every learner page runs are built once per process: building a SELECT and
# working out its cache key cost about as much as running it.

@cache
def _enrolments_statement():
    return (
        select(Enrolment).options(joinedload(Enrolment.completion))
        .where(Enrolment.user_id == bindparam("user_id"))
        .order_by(Enrolment.course_id, Enrolment.cycle)
    )


def _enrolments(user_id: int) -> list[Enrolment]:
    enrolments = list(db.session.scalars(_enrolments_statement(), {"user_id": user_id}).unique())
    version_cache.attach_course_versions(enrolments)
    return enrolments


def latest_enrolment(user_id: int, course_id: int) -> Enrolment | None:
    """The learner's most recent cycle of the course (in progress or completed), if any."""
    cycles = [e for e in enrolments_for(user_id) if e.course_id == course_id]
    return max(cycles, key=lambda e: e.cycle, default=None)


def completions_of(user_id: int, course_id: int) -> list[Completion]:
    """The learner's completions of the course, newest first (each cycle's, if it has one)."""
    done = [e.completion for e in enrolments_for(user_id)
            if e.course_id == course_id and e.completion is not None]
    return sorted(done, key=lambda c: (c.completed_at, c.id), reverse=True)


@dataclass(frozen=True)
class StartResult:
    enrolment: Enrolment
    created: bool
    # The version the learner took last time, when this cycle uses a newer one.
    previous_version: CourseVersion | None = None
    # The previous cycle's completion was withdrawn: this cycle is taking the course again.
    after_withdrawal: bool = False

    @property
    def is_new_version(self) -> bool:
        return self.previous_version is not None


def start_course(user: User, course: Course, *, now: datetime | None = None) -> StartResult:
    """Start the course, or a refresher once the last cycle is complete; pins the current version.

    Starting a course that is already in progress returns that enrolment (a double click does
    not make two: the loser of a race has only its savepoint rolled back). The caller commits.

    :raise LearningError: when the course has no published content.
    """
    if course.current_version is None:
        raise LearningError("This course has no published content yet.")
    latest = latest_enrolment(user.id, course.id)
    if latest is not None and latest.completion is None:
        return StartResult(enrolment=latest, created=False)
    enrolment = Enrolment(
        user_id=user.id,
        course_id=course.id,
        course_version_id=course.current_version_id,
        cycle=(latest.cycle + 1) if latest else 1,
        started_at=now or utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(enrolment)
    except IntegrityError:
        # Another request started the same cycle a moment ago: use theirs.
        return StartResult(enrolment=latest_enrolment(user.id, course.id), created=False)
    previous = latest.course_version if latest and latest.course_version_id != enrolment.course_version_id else None
    after_withdrawal = latest is not None and latest.completion is not None and latest.completion.is_withdrawn
    return StartResult(enrolment=enrolment, created=True, previous_version=previous,
                       after_withdrawal=after_withdrawal)


def has_newer_version(enrolment: Enrolment) -> bool:
    """Whether the course has been updated since the learner started this cycle."""
    current = enrolment.course.current_version_id
    return current is not None and current != enrolment.course_version_id


# Crediting ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CreditWindow:
    """Module runs count towards an enrolment when they finished inside this window."""

    not_before: datetime  # the refresher period before the enrolment started (inclusive)
    after: datetime | None  # the previous completion of the same course (exclusive)

    def counts(self, run: ModuleProgress) -> bool:
        done = run.completed_at
        return done is not None and done >= self.not_before and (self.after is None or done > self.after)


def _window_start(started_at: datetime, refresher_months: int) -> datetime:
    return datetime.combine(add_months(started_at.date(), -refresher_months), time(0, 0), tzinfo=UTC)


def credit_window(enrolment: Enrolment) -> CreditWindow:
    """Which completed module runs count towards ``enrolment`` (see the module docstring)."""
    window_start = _window_start(enrolment.started_at, enrolment.course_version.refresher_months)
    # Withdrawn completions count here on purpose: a completion withdrawn because the training
    # was not really done must not be re-earned with the very module runs behind it.
    earlier = [e.completion.completed_at for e in enrolments_for(enrolment.user_id)
               if e.course_id == enrolment.course_id and e.cycle < enrolment.cycle
               and e.completion is not None]
    return CreditWindow(not_before=window_start, after=max(earlier, default=None))


@dataclass(frozen=True)
class CourseProgress:
    """One enrolment's modules with the learner's state in each, and the runs behind them."""

    entries: list[ModuleEntry]
    credited: dict[int, ModuleProgress]  # module id -> the completed run that counts
    open_runs: dict[int, ModuleProgress]  # module version id -> the unfinished run


def load_progress(enrolments: list[Enrolment]) -> None:
    """Work out the progress of several enrolments of one learner in one query for the module
    runs (whatever the number of courses and modules); later calls in the request reuse it."""
    todo = [e for e in enrolments if not _has_progress(e)]
    if not todo:
        return
    user_id = todo[0].user_id
    windows = {e.id: credit_window(e) for e in todo}
    module_ids = {mv.module_id for e in todo for mv in e.course_version.module_versions}
    runs, active = _runs(user_id, module_ids, min(w.not_before for w in windows.values()))
    for enrolment in todo:
        window = windows[enrolment.id]
        credited: dict[int, ModuleProgress] = {}
        for run in runs:  # ordered by completion time: the latest run of each module wins
            if window.counts(run):
                credited[run.module_id] = run
        open_runs = {run.module_version_id: run for run in runs if run.completed_at is None}
        remember(("progress", enrolment.id), CourseProgress(
            _entries(enrolment.course_version.module_versions, credited, open_runs, active), credited, open_runs))


def _has_progress(enrolment: Enrolment) -> bool:
    return recall(("progress", enrolment.id)) is not None


def course_progress(enrolment: Enrolment) -> CourseProgress:
    load_progress([enrolment])
    return recall(("progress", enrolment.id))


def _runs(user_id: int, module_ids: set[int], not_before: datetime):
    """The learner's runs of these modules that could count (or are unfinished), oldest
    completion first, and which of them have any activity (without loading it)."""
    if not module_ids:
        return [], set()
    rows = db.session.execute(
        _runs_statement(),
        {"user_id": user_id, "module_ids": sorted(module_ids), "not_before": not_before},
    ).all()
    return [run for run, _ in rows], {run.id for run, flag in rows if flag}


@cache
def _runs_statement():
    active = or_(
        exists().where(SectionVisit.progress_id == ModuleProgress.id),
        exists().where(DecisionChoice.progress_id == ModuleProgress.id),
        exists().where(QuizAttempt.progress_id == ModuleProgress.id),
    )
    not_before = bindparam("not_before", type_=ModuleProgress.completed_at.type)
    return (
        select(ModuleProgress, active.label("active"))
        .where(
            ModuleProgress.user_id == bindparam("user_id"),
            ModuleProgress.module_id.in_(bindparam("module_ids", expanding=True)),
            or_(ModuleProgress.completed_at.is_(None), ModuleProgress.completed_at >= not_before),
        )
        .order_by(ModuleProgress.completed_at, ModuleProgress.id)
    )


def open_run(user_id: int, module_version: ModuleVersion) -> ModuleProgress | None:
    return db.session.scalar(
        select(ModuleProgress).where(
            ModuleProgress.user_id == user_id,
            ModuleProgress.module_version_id == module_version.id,
            ModuleProgress.completed_at.is_(None),
        )
    )


def working_run(
    enrolment: Enrolment, module_version: ModuleVersion, *, create: bool = False,
    now: datetime | None = None,
) -> ModuleProgress | None:
    """The run the learner's actions in this module go to.

    A run of this very version that already counts towards the enrolment (reviewing a finished
    module), else the open run of this version, else (``create``) a new one.
    """
    state = course_progress(enrolment)
    credited = state.credited.get(module_version.module_id)
    if credited is not None and credited.module_version_id == module_version.id:
        return credited
    run = state.open_runs.get(module_version.id)
    if run is not None or not create:
        return run
    moment = now or utcnow()
    insert_ignoring_duplicates(
        ModuleProgress,
        user_id=enrolment.user_id,
        module_id=module_version.module_id,
        module_version_id=module_version.id,
        started_at=moment,
        last_active_at=moment,
        last_section=1,
    )
    return open_run(enrolment.user_id, module_version)


# Module entries for the course page ---------------------------------------------------------

class ModuleState(enum.Enum):
    not_started = "Not started"
    in_progress = "In progress"
    completed = "Completed"
    cannot_start = "Cannot start yet"

    @property
    def label(self) -> str:
        return self.value


@dataclass(frozen=True)
class ModuleEntry:
    position: int  # from 1, in course order
    module_version: ModuleVersion
    state: ModuleState
    run: ModuleProgress | None  # the credited run when completed, else the open run
    credited_elsewhere: bool  # completed in a version taken through another course

    @property
    def is_assessment(self) -> bool:
        return self.module_version.kind == ModuleKind.quiz and bool(self.module_version.assessment)


def module_entries(enrolment: Enrolment) -> list[ModuleEntry]:
    """The course's modules (at the pinned version) with the learner's state in each.

    The final assessment cannot be started until every other module is complete.
    """
    return course_progress(enrolment).entries


def _entries(module_versions: list[ModuleVersion], credited: dict[int, ModuleProgress],
             open_runs: dict[int, ModuleProgress], active: set[int]) -> list[ModuleEntry]:
    entries: list[ModuleEntry] = []
    for position, mv in enumerate(module_versions, start=1):
        run = credited.get(mv.module_id)
        if run is not None:
            entries.append(ModuleEntry(position, mv, ModuleState.completed, run, run.module_version_id != mv.id))
            continue
        run = open_runs.get(mv.id)
        state = ModuleState.in_progress if run is not None and run.id in active else ModuleState.not_started
        entries.append(ModuleEntry(position, mv, state, run, False))
    others_done = all(e.state == ModuleState.completed for e in entries if not e.is_assessment)
    if not others_done:
        entries = [
            ModuleEntry(e.position, e.module_version, ModuleState.cannot_start, e.run, False)
            if e.is_assessment and e.state != ModuleState.completed else e
            for e in entries
        ]
    return entries


def entries_before_start(user_id: int, course: Course, *, now: datetime | None = None) -> list[ModuleEntry]:
    """A course's modules as they would stand if the learner started it now (they have never
    started it): shared modules completed in another course, inside the refresher period, are
    already completed. Reads only: the same rule as :func:`credit_window` for a first cycle."""
    version = course.current_version
    window = CreditWindow(not_before=_window_start(now or utcnow(), version.refresher_months), after=None)
    runs, active = _runs(user_id, {mv.module_id for mv in version.module_versions}, window.not_before)
    credited = {run.module_id: run for run in runs if window.counts(run)}
    open_runs = {run.module_version_id: run for run in runs if run.completed_at is None}
    return _entries(version.module_versions, credited, open_runs, active)


def find_entry(enrolment: Enrolment, module_slug: str) -> ModuleEntry | None:
    return next((e for e in module_entries(enrolment) if e.module_version.slug == module_slug), None)


def resume_point(enrolment: Enrolment) -> ModuleEntry | None:
    """Where "Continue where you left off" goes: the module worked on most recently, if it is
    not finished, else the first module not yet completed."""
    entries = module_entries(enrolment)
    in_progress = [e for e in entries if e.state == ModuleState.in_progress and e.run is not None]
    if in_progress:
        return max(in_progress, key=lambda e: e.run.last_active_at)
    return next((e for e in entries if e.state == ModuleState.not_started), None)


# Sections -----------------------------------------------------------------------------------

def load_module_content(module_version: ModuleVersion) -> None:
    """A module's sections, decision points and reflections, from the version cache (no query
    once the worker has read them)."""
    version_cache.load_module_content(module_version)


def load_run_details(run: ModuleProgress | None) -> None:
    """The sections a run has visited and the choices it made, in one query rather than two."""
    if run is None:
        return
    db.session.execute(
        select(ModuleProgress).where(ModuleProgress.id == run.id)
        .options(joinedload(ModuleProgress.visits), joinedload(ModuleProgress.choices))
    ).unique().all()


def section_count(module_version: ModuleVersion) -> int:
    return len(module_version.sections)


def decisions_in_section(module_version: ModuleVersion, number: int) -> list[DecisionPoint]:
    anchor = module_version.sections[number - 1].anchor
    return [d for d in module_version.decision_points if d.section_anchor == anchor]


def reflections_in_section(module_version: ModuleVersion, number: int) -> list[Reflection]:
    anchor = module_version.sections[number - 1].anchor
    return [r for r in module_version.reflections if r.section_anchor == anchor]


def unanswered_decisions(run: ModuleProgress | None, decision_points: list[DecisionPoint]) -> list[DecisionPoint]:
    answered = {c.decision_point_id for c in run.choices} if run is not None else set()
    return [d for d in decision_points if d.id not in answered]


def record_visit(run: ModuleProgress, number: int, *, now: datetime | None = None) -> None:
    """The learner has read section ``number`` and moved on: remember it and where to resume."""
    total = section_count(run.module_version)
    if not 1 <= number <= total:
        raise LearningError("There is no such section.")
    moment = now or utcnow()
    insert_ignoring_duplicates(SectionVisit, progress_id=run.id, section=number, visited_at=moment)
    run.last_section = min(number + 1, total)
    run.last_active_at = moment
    db.session.flush()
    db.session.expire(run, ["visits"])


def record_summary_read(run: ModuleProgress, number: int, *, now: datetime | None = None) -> None:
    """The learner skipped section ``number`` and read its summary instead: it counts as done
    (its decision points are no longer asked for) and only "summary viewed" is kept, never why.
    A section already read in full stays recorded as read."""
    total = section_count(run.module_version)
    if not 1 <= number <= total or not run.module_version.sections[number - 1].summary_html:
        raise LearningError("This section has no summary.")
    moment = now or utcnow()
    insert_ignoring_duplicates(SectionVisit, progress_id=run.id, section=number, visited_at=moment,
                               summary_only=True)
    run.last_section = min(number + 1, total)
    run.last_active_at = moment
    db.session.flush()
    db.session.expire(run, ["visits"])


def summary_sections(run: ModuleProgress | None) -> set[int]:
    """The sections the learner skipped, reading the summary instead."""
    return {v.section for v in run.visits if v.summary_only} if run is not None else set()


def required_decisions(run: ModuleProgress | None, module_version: ModuleVersion) -> list[DecisionPoint]:
    """The decision points the learner must answer: those of sections they did not skip."""
    skipped = {module_version.sections[n - 1].anchor for n in summary_sections(run)}
    return [d for d in module_version.decision_points if d.section_anchor not in skipped]


def save_place(run: ModuleProgress, number: int, *, now: datetime | None = None) -> None:
    """Take a break: "continue where you left off" will come back to section ``number``."""
    total = section_count(run.module_version)
    run.last_section = min(max(number, 1), max(total, 1))
    run.last_active_at = now or utcnow()


def choose_option(run: ModuleProgress, decision_point: DecisionPoint, option_key: str,
                  *, now: datetime | None = None) -> DecisionChoice:
    """Record the learner's answer at a decision point. The first answer is kept.

    :raise LearningError: when the option does not belong to the decision point.
    """
    if decision_point.module_version_id != run.module_version_id:
        raise LearningError("That decision point is not part of this module.")
    if option_key not in {option["key"] for option in decision_point.options}:
        raise LearningError("Choose one of the options.")
    insert_ignoring_duplicates(
        DecisionChoice,
        progress_id=run.id,
        decision_point_id=decision_point.id,
        option_key=option_key,
        chosen_at=now or utcnow(),
    )
    run.last_active_at = now or utcnow()
    db.session.flush()
    db.session.expire(run, ["choices"])
    return next(c for c in run.choices if c.decision_point_id == decision_point.id)


def explore_option(run: ModuleProgress, decision_point: DecisionPoint, option_key: str) -> DecisionChoice:
    """After the first choice, the learner opens another option to see what it would have led
    to. The first choice stays the one kept (for their reflection and any report); the options
    opened since are remembered in order, each once.

    :raise LearningError: before a first choice, or for an option not of this decision point.
    """
    choice = choice_for(run, decision_point)
    if choice is None:
        raise LearningError("Choose what you would do first.")
    if option_key not in {option["key"] for option in decision_point.options}:
        raise LearningError("Choose one of the options.")
    explored = list(choice.explored or [])
    if option_key != choice.option_key and option_key not in explored:
        choice.explored = [*explored, option_key]  # a new list: JSON columns see reassignment only
    run.last_active_at = utcnow()
    return choice


def choice_for(run: ModuleProgress | None, decision_point: DecisionPoint) -> DecisionChoice | None:
    if run is None:
        return None
    return next((c for c in run.choices if c.decision_point_id == decision_point.id), None)


# Reflections (private to the learner) --------------------------------------------------------

def save_reflection(user_id: int, reflection: Reflection, text: str,
                    *, now: datetime | None = None) -> ReflectionNote:
    """Keep (or update) what the learner wrote. Nobody but the learner ever reads it."""
    text = text.strip()
    if not text:
        raise LearningError("Write your reflection before you save it.")
    if len(text) > REFLECTION_MAX_LENGTH:
        raise LearningError(f"Your reflection must be {REFLECTION_MAX_LENGTH} characters or fewer.")
    moment = now or utcnow()
    note = reflection_note(user_id, reflection)
    if note is None:
        inserted = insert_ignoring_duplicates(
            ReflectionNote, user_id=user_id, reflection_id=reflection.id, text=text,
            created_at=moment, updated_at=moment,
        )
        note = reflection_note(user_id, reflection)
        if inserted:
            return note
    note.text = text
    note.updated_at = moment
    return note


def reflection_notes(user_id: int, reflections: list[Reflection]) -> dict[int, ReflectionNote]:
    """The learner's notes for these reflections, by reflection id, in one query."""
    if not reflections:
        return {}
    return {note.reflection_id: note for note in db.session.scalars(
        select(ReflectionNote).where(
            ReflectionNote.user_id == user_id,
            ReflectionNote.reflection_id.in_([r.id for r in reflections]),
        )
    )}


@dataclass(frozen=True)
class TypedReflections:
    """What became of the reflection boxes of a section: how many were saved (new or changed
    text), and the message for each box whose text could not be kept."""

    saved: int
    errors: dict[str, str]


def save_typed_reflections(user_id: int, reflections: list[Reflection], typed: dict[str, str],
                           *, now: datetime | None = None) -> TypedReflections:
    """Keep what the learner typed in a section's reflection boxes (``typed``: reflection key to
    text), whichever of the page's buttons they pressed: a learner who writes and then presses
    "Continue" has not chosen to throw it away.

    An empty box changes nothing (writing is optional) and unchanged text is not written again.
    Boxes with errors are not saved; the caller shows the errors and commits only without them.
    """
    saved, errors = 0, {}
    for reflection in reflections:
        text = typed.get(reflection.key, "").strip()
        if not text:
            continue
        note = reflection_note(user_id, reflection)
        if note is not None and note.text == text:
            continue
        try:
            save_reflection(user_id, reflection, text, now=now)
        except LearningError as exc:
            errors[reflection.key] = str(exc)
        else:
            saved += 1
    return TypedReflections(saved=saved, errors=errors)


def reflection_note(user_id: int, reflection: Reflection) -> ReflectionNote | None:
    return db.session.scalar(
        select(ReflectionNote).where(
            ReflectionNote.user_id == user_id, ReflectionNote.reflection_id == reflection.id
        )
    )


# Module completion --------------------------------------------------------------------------

def module_done(run: ModuleProgress) -> bool:
    """Whether a run meets its module's completion rule.

    Quizzes: a passed attempt. Other kinds: every section visited (or skipped for its summary)
    and every decision point of the sections read answered (reflections are optional).
    """
    mv = run.module_version
    if mv.kind == ModuleKind.quiz:
        return any(attempt.passed and not attempt.practice for attempt in run.attempts)
    visited = run.visited_sections
    if any(n not in visited for n in range(1, section_count(mv) + 1)):
        return False
    return not unanswered_decisions(run, required_decisions(run, mv))


def complete_run_if_done(run: ModuleProgress, *, now: datetime | None = None) -> bool:
    """Mark the run completed once its rule is met. Safe to call twice at once (a conditional
    UPDATE: only the first sets the time).

    :return: True when the run is (now or already) complete.
    """
    if run.completed_at is not None:
        return True
    if not module_done(run):
        return False
    db.session.execute(
        update(ModuleProgress)
        .where(ModuleProgress.id == run.id, ModuleProgress.completed_at.is_(None))
        .values(completed_at=now or utcnow())
    )
    db.session.refresh(run)
    return True


def active_enrolments_with_module(user_id: int, module_id: int) -> list[Enrolment]:
    """The learner's unfinished enrolments whose pinned course version includes the module."""
    return [
        e for e in enrolments_for(user_id)
        if e.completion is None and any(mv.module_id == module_id for mv in e.course_version.module_versions)
    ]
