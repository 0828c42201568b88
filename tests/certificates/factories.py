"""Completions built straight in the database (what modules.learning records), for certificate tests."""
from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time

from sqlalchemy import func, select

from modules.content.models import Course, CourseVersion
from modules.core.dates import add_months
from modules.core.extensions import db
from modules.learning.models import Completion, Enrolment


def make_course(slug: str = "cse-l1", *, code: str = "CSE-L1",
                title: str = "Recognising and responding to child sexual exploitation",
                level: int = 1, cpd_minutes: int = 150, refresher_months: int = 36,
                design: str = "default") -> CourseVersion:
    """A course with one version (no modules: certificates only read the version's settings)."""
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if course is None:
        course = Course(slug=slug)
        db.session.add(course)
        db.session.flush()
    number = len(course.versions) + 1
    version = CourseVersion(
        course=course, number=number,
        content_hash=hashlib.sha256(f"{slug}:{number}".encode()).hexdigest(),
        source_path=f"courses/{slug}/course.md", title=title, code=code, level=level,
        audience=["all"], cpd_minutes=cpd_minutes, refresher_months=refresher_months,
        pass_mark=80, certificate_design=design,
    )
    db.session.add(version)
    db.session.flush()
    course.current_version = version
    db.session.commit()
    return version


def make_completion(user, version: CourseVersion, *, completed_on: date = date(2026, 3, 2),
                    refresher_months: int | None = None) -> Completion:
    """A completion of ``version`` by ``user`` (a new enrolment cycle each time: a refresher)."""
    months = refresher_months or version.refresher_months
    cycle = (db.session.scalar(
        select(func.max(Enrolment.cycle)).where(
            Enrolment.user_id == user.id, Enrolment.course_id == version.course_id)
    ) or 0) + 1
    enrolment = Enrolment(user_id=user.id, course_id=version.course_id,
                          course_version_id=version.id, cycle=cycle)
    db.session.add(enrolment)
    db.session.flush()
    completion = Completion(
        enrolment_id=enrolment.id, user_id=user.id, course_id=version.course_id,
        course_version_id=version.id,
        completed_at=datetime.combine(completed_on, time(12), tzinfo=UTC),
        completed_on=completed_on, expires_on=add_months(completed_on, months),
        refresher_months=months,
    )
    db.session.add(completion)
    db.session.commit()
    return completion


def make_certificate(user, *, completed_on: date = date(2026, 3, 2)):
    """A certificate (PDF not rendered yet: it is made on first download) for a new completion."""
    from modules.certificates.issuing import issue_certificate_for_completion

    version = db.session.scalar(select(CourseVersion).where(CourseVersion.code == "CSE-L1")) \
        or make_course()
    certificate = issue_certificate_for_completion(
        make_completion(user, version, completed_on=completed_on), render=False)
    db.session.commit()
    return certificate
