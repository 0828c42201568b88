"""The learner journey's records: requirements, enrolments, progress, attempts and completions.

How the tables fit together:

- :class:`TrainingRequirement` says which course (its identity, not a version) an agency kind
  must take, optionally only for one team or from a training level up.
- :class:`Enrolment` is one cycle of taking a course (the first time, then each refresher). It
  pins the :class:`~modules.content.models.CourseVersion` the learner started, so a re-import
  half way through never changes what they are taking.
- :class:`ModuleProgress` is one run through one module version by one learner, with the
  sections visited (:class:`SectionVisit`), decisions made (:class:`DecisionChoice`) and quiz
  attempts (:class:`QuizAttempt`, :class:`QuizAnswer`). A completed run credits the module
  (by its identity) in every course that includes it.
- :class:`ReflectionNote` is a learner's private answer to a "Pause and reflect" prompt. Only
  the learner's own pages ever read it.
- :class:`Completion` is a fact, never rewritten: one per enrolment (a unique constraint), with
  the course version and the module versions taken (:class:`CompletionModule`), and where it
  came from (:class:`CompletionSource`: online, recorded by a manager, a briefing), so that no
  other area needs another's tables to tell them apart. It is never deleted either: one found
  not to be real (its certificate revoked as issued in error) is marked withdrawn, and from then
  on counts nowhere (see :mod:`modules.learning.withdrawal`).
- :class:`ManualCompletion` is the evidence beside a completion a manager recorded by hand
  (training done outside Sightline): who recorded it, when, and what shows it happened.
- :class:`LatestCompletion` is a cache of each person's latest completion of each course (what
  the dashboard counts), kept in step by :mod:`modules.learning.latest`.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modules.accounts.models import AgencyKind, Team, User
from modules.content.models import (
    Course,
    CourseVersion,
    DecisionPoint,
    Module,
    ModuleVersion,
    Question,
    Reflection,
)
from modules.core.dates import uk_today
from modules.core.enums import LabelledEnum
from modules.core.extensions import db
from modules.core.models import UTCDateTime, utcnow


class TrainingRequirement(db.Model):
    """A course an agency kind must take (optionally one team, or from a training level up)."""

    __tablename__ = "training_requirements"
    __table_args__ = (
        CheckConstraint(
            "min_training_level IS NULL OR min_training_level BETWEEN 1 AND 3",
            name="min_training_level_range",
        ),
        CheckConstraint(
            "refresher_months IS NULL OR refresher_months BETWEEN 1 AND 120",
            name="refresher_months_range",
        ),
        Index("ix_training_requirements_kind_course", "agency_kind", "course_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    agency_kind: Mapped[AgencyKind] = mapped_column(
        Enum(AgencyKind, native_enum=False, length=32, validate_strings=True)
    )
    # None: every team of the agency kind.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    # None: every training level; 2 means staff at level 2 or 3.
    min_training_level: Mapped[int | None] = mapped_column(Integer)
    # None: the course's own refresher_months.
    refresher_months: Mapped[int | None] = mapped_column(Integer)
    # A first completion is due this many days after the later of the person's started_on and
    # the day this requirement first applied (starts_on).
    due_within_days: Mapped[int] = mapped_column(Integer, default=90)
    starts_on: Mapped[date] = mapped_column(Date, default=lambda: uk_today())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    course: Mapped[Course] = relationship()
    team: Mapped[Team | None] = relationship()


class Enrolment(db.Model):
    """One cycle of taking a course: the first time (cycle 1), then one per refresher."""

    __tablename__ = "learning_enrolments"
    __table_args__ = (UniqueConstraint("user_id", "course_id", "cycle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    # The version the learner started: they finish this one even if a newer one is imported.
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"), index=True)
    cycle: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()
    course: Mapped[Course] = relationship()
    course_version: Mapped[CourseVersion] = relationship()
    completion: Mapped[Completion | None] = relationship(back_populates="enrolment")


class ModuleProgress(db.Model):
    """One learner's run through one module version.

    At most one run per learner and module version is open (not completed) at a time: a partial
    unique index on both databases. A refresher starts a new run once the old one no longer counts.
    """

    __tablename__ = "learning_module_progress"
    __table_args__ = (
        Index("ix_learning_module_progress_user_module", "user_id", "module_id", "completed_at"),
        Index(
            "uq_learning_module_progress_open_run",
            "user_id",
            "module_version_id",
            unique=True,
            sqlite_where=text("completed_at IS NULL"),
            postgresql_where=text("completed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The module's identity, so that a completion credits every course that shares the module.
    module_id: Mapped[int] = mapped_column(ForeignKey("content_modules.id"))
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Where "continue where you left off" goes: a section number from 1.
    last_section: Mapped[int] = mapped_column(Integer, default=1)
    last_active_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
    module: Mapped[Module] = relationship()
    module_version: Mapped[ModuleVersion] = relationship()
    visits: Mapped[list[SectionVisit]] = relationship(
        back_populates="progress", cascade="all, delete-orphan", order_by="SectionVisit.section"
    )
    choices: Mapped[list[DecisionChoice]] = relationship(
        back_populates="progress", cascade="all, delete-orphan"
    )
    attempts: Mapped[list[QuizAttempt]] = relationship(
        back_populates="progress", cascade="all, delete-orphan", order_by="QuizAttempt.number"
    )

    @property
    def visited_sections(self) -> set[int]:
        return {visit.section for visit in self.visits}


class SectionVisit(db.Model):
    """A section (numbered from 1) the learner has read and moved on from, or skipped after
    reading its summary (``summary_only``: all that is kept, never why)."""

    __tablename__ = "learning_section_visits"

    progress_id: Mapped[int] = mapped_column(
        ForeignKey("learning_module_progress.id", ondelete="CASCADE"), primary_key=True
    )
    section: Mapped[int] = mapped_column(Integer, primary_key=True)
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    summary_only: Mapped[bool] = mapped_column(Boolean, default=False)

    progress: Mapped[ModuleProgress] = relationship(back_populates="visits")


class DecisionChoice(db.Model):
    """The option a learner chose at a decision point (their first answer is the one kept)."""

    __tablename__ = "learning_decision_choices"
    __table_args__ = (UniqueConstraint("progress_id", "decision_point_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    progress_id: Mapped[int] = mapped_column(
        ForeignKey("learning_module_progress.id", ondelete="CASCADE")
    )
    decision_point_id: Mapped[int] = mapped_column(ForeignKey("module_decision_points.id"), index=True)
    option_key: Mapped[str] = mapped_column(String(100))
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The other options the learner opened after their first choice, in order (the first choice
    # stays the one kept for their reflection).
    explored: Mapped[list[str]] = mapped_column(JSON, default=list)

    progress: Mapped[ModuleProgress] = relationship(back_populates="choices")
    decision_point: Mapped[DecisionPoint] = relationship()


class ReflectionNote(db.Model):
    """What a learner wrote for a "Pause and reflect" prompt. Private: only its author reads it."""

    __tablename__ = "learning_reflection_notes"
    __table_args__ = (UniqueConstraint("user_id", "reflection_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reflection_id: Mapped[int] = mapped_column(ForeignKey("module_reflections.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    reflection: Mapped[Reflection] = relationship()


class QuizAttempt(db.Model):
    """One attempt at a quiz: the questions drawn for it, and once submitted its score."""

    __tablename__ = "learning_quiz_attempts"
    __table_args__ = (
        UniqueConstraint("progress_id", "number"),
        Index("ix_learning_quiz_attempts_user_module", "user_id", "module_version_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    progress_id: Mapped[int] = mapped_column(
        ForeignKey("learning_module_progress.id", ondelete="CASCADE")
    )
    # The course the learner was taking when they started (for links back, and the pass mark).
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("learning_enrolments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"))
    number: Mapped[int] = mapped_column(Integer)
    # Question ids in the order they are asked: a fresh random draw for every attempt.
    question_ids: Mapped[list[int]] = mapped_column(JSON)
    pass_mark: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    correct: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[int | None] = mapped_column(Integer)  # a percentage, rounded down
    passed: Mapped[bool | None] = mapped_column(Boolean)
    # A practice attempt, taken after passing: marked and shown, never part of the record.
    practice: Mapped[bool] = mapped_column(Boolean, default=False)

    progress: Mapped[ModuleProgress] = relationship(back_populates="attempts")
    enrolment: Mapped[Enrolment] = relationship()
    module_version: Mapped[ModuleVersion] = relationship()
    answers: Mapped[list[QuizAnswer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan"
    )

    @property
    def counted_question_ids(self) -> list[int]:
        """The questions that count towards the score: all but formative rewrites."""
        formative = {q.id for q in self.module_version.questions if q.data.get("formative")}
        return [qid for qid in self.question_ids if qid not in formative]

    @property
    def total(self) -> int:
        return len(self.counted_question_ids)


class QuizAnswer(db.Model):
    """A learner's answer to one question of an attempt, and once submitted how it was marked."""

    __tablename__ = "learning_quiz_answers"

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("learning_quiz_attempts.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("module_questions.id"), primary_key=True)
    # A list of option keys (choice questions) or a string (rewrite questions).
    answer: Mapped[Any] = mapped_column(JSON)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    correct: Mapped[bool | None] = mapped_column(Boolean)
    # The marker's result (MarkResult.to_data(): correct, score, per-option or per-rule
    # feedback, explanation, source), kept so the feedback shown never changes afterwards.
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


class CompletionSource(LabelledEnum):
    """How a completion came about (the member name is stored)."""

    online = "Completed online"
    manual = "Recorded by a manager"
    briefing = "Attended a briefing"


class Completion(db.Model):
    """A learner completed a course. A fact: never updated; a refresher makes a new one.

    ``enrolment_id`` is unique, so a course cycle is completed exactly once however many
    requests try to complete it at the same moment. The one change ever made is
    ``withdrawn_at``: set once, when the completion turns out not to be real.
    """

    __tablename__ = "learning_completions"
    __table_args__ = (
        Index("ix_learning_completions_user_course", "user_id", "course_id"),
        Index("ix_learning_completions_course_completed", "course_id", "completed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("learning_enrolments.id", ondelete="CASCADE"), unique=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"), index=True)
    # The agency the person was in when they completed: people move, and a report of who was
    # trained where must not rewrite history. None only for rows older than this column.
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The UK calendar date of completed_at, and the last day the completion counts.
    completed_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date, index=True)
    refresher_months: Mapped[int] = mapped_column(Integer)
    # The final assessment's score (a percentage); None when the course has no assessment.
    score: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[CompletionSource] = mapped_column(
        Enum(CompletionSource, native_enum=False, length=32, validate_strings=True),
        default=CompletionSource.online, server_default=CompletionSource.online.name,
    )
    # Set when the completion is withdrawn (its certificate revoked as issued in error): it then
    # counts for nothing, and the learner takes the course again in a new cycle.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    enrolment: Mapped[Enrolment] = relationship(back_populates="completion")
    user: Mapped[User] = relationship()
    course: Mapped[Course] = relationship()
    course_version: Mapped[CourseVersion] = relationship()
    modules: Mapped[list[CompletionModule]] = relationship(
        back_populates="completion", cascade="all, delete-orphan", order_by="CompletionModule.position"
    )


class CompletionModule(db.Model):
    """The module version a completion counted, in course order (possibly taken in another course)."""

    __tablename__ = "learning_completion_modules"

    completion_id: Mapped[int] = mapped_column(
        ForeignKey("learning_completions.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("content_modules.id"))
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"))
    progress_id: Mapped[int | None] = mapped_column(
        ForeignKey("learning_module_progress.id", ondelete="SET NULL")
    )
    module_completed_at: Mapped[datetime] = mapped_column(UTCDateTime())

    completion: Mapped[Completion] = relationship(back_populates="modules")
    module_version: Mapped[ModuleVersion] = relationship()


class ManualCompletion(db.Model):
    """The evidence for a completion a manager recorded by hand (its ``source`` is manual).

    The table keeps the name it had when the reports area owned it.
    """

    __tablename__ = "report_manual_completions"

    completion_id: Mapped[int] = mapped_column(
        ForeignKey("learning_completions.id", ondelete="CASCADE"), primary_key=True
    )
    evidence: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    completion: Mapped[Completion] = relationship()
    recorded_by: Mapped[User | None] = relationship()


class LatestCompletion(db.Model):
    """Each person's latest completion of each course (by completion time, as "My training").

    Compliance depends only on these, and finding them among a million completions on every
    dashboard view is too slow, so this table keeps them: one row per person and course, written
    in the transaction that records each completion (:func:`modules.learning.latest.note_completion`)
    and rebuilt from scratch by ``flask reports rebuild-latest``. The table keeps the name it had
    when the reports area owned it.
    """

    __tablename__ = "report_latest_completions"
    __table_args__ = (
        # The dashboard groups by course and reads the expiry date without visiting the table.
        Index("ix_report_latest_completions_course_expires", "course_id", "expires_on", "user_id"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True)
    completion_id: Mapped[int] = mapped_column(
        ForeignKey("learning_completions.id", ondelete="CASCADE"), unique=True
    )
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    completed_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    # Recorded by a manager rather than done online (a copy of the completion's source).
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
