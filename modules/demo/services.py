"""Building the demo partnership. Idempotent: running it twice adds nothing the second time."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import exists, func, select

from modules.accounts.models import Agency, Role, Team, User
from modules.accounts.passwords import hash_password
from modules.core.dates import UK, add_months, uk_today
from modules.core.extensions import db
from modules.demo.data import (
    AGENCIES,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_REFRESHER_MONTHS,
    DEMO_REQUIREMENTS,
    FIRST_NAMES,
    JOB_TITLES,
    LAST_NAMES,
)


@dataclass(frozen=True)
class DemoResult:
    agencies: int
    staff: int
    created: int
    requirements_added: int = 0


def _agency(name, kind, team_names) -> Agency:
    agency = db.session.scalar(select(Agency).where(Agency.name == name))
    if agency is None:
        agency = Agency(name=name, kind=kind)
        db.session.add(agency)
    existing = {t.name for t in agency.teams}
    for team_name in team_names:
        if team_name not in existing:
            agency.teams.append(Team(name=team_name))
    return agency


# What each generated member of staff's training looks like, in turn (staff00001 the first, and so
# on round), so that the dashboard shows every state however few staff there are: (days since
# they joined, story, days since the (latest) completion). Requirements began two years ago
# (DEMO_SINCE), and a first completion is due 90 days after the later of that and joining.
# Completion dates are spread over the past three years (and a little more for the lapsed ones).
DEMO_SINCE = timedelta(days=730)
STORIES = (
    (1500, "compliant", 30),  # completed recently: counts for a long while
    (1500, "nothing", None),  # never started, due long ago: overdue
    (1300, "expiring", None),  # runs out within the refresher window
    (70, "nothing", None),  # joined 70 days ago: due within 20 days, due soon
    (1200, "expired", None),  # completed, lapsed
    (20, "started", None),  # joined 20 days ago, part way through: not yet due, in progress
    (800, "started", None),  # part way through, long past due: overdue
    (2000, "compliant", 420),
    (1100, "face_to_face", 200),  # a face-to-face session, recorded by hand by the coordinator
    (1600, "compliant", 700),
    (1800, "refreshed", 80),  # a first completion lapsed three years on; refreshed since
    (900, "compliant", 160),
)
FACE_TO_FACE_EVIDENCE = "Attended the partnership's face-to-face CSE Level 1 session; signed attendance register"


def load_demo(*, staff: int = 40, seed: int = 2026) -> DemoResult:
    """Create (or complete) the demo partnership and commit.

    :param staff: total staff wanted, including the demo accounts.
    """
    rng = random.Random(seed)
    agencies = [_agency(*spec) for spec in AGENCIES]
    db.session.flush()
    # One hash for every demo account: hashing 40 passwords would only slow the demo down.
    password_hash = hash_password(DEMO_PASSWORD)
    created = 0

    for email, name, agency_index, team_name, job_title, level, roles in DEMO_ACCOUNTS:
        if db.session.scalar(select(User).where(User.email == email)) is not None:
            continue
        agency = agencies[agency_index]
        team = next(t for t in agency.teams if t.name == team_name)
        user = User(email=email, name=name, agency=agency, team=team, job_title=job_title,
                    training_level=level, password_hash=password_hash)
        user.set_roles(set(roles))
        db.session.add(user)
        created += 1

    db.session.flush()
    have = db.session.scalar(select(func.count(User.id)))
    # Bigger agencies get more staff, as in a real partnership.
    weights = [6, 5, 5, 5, 3, 3, 2, 1]
    number = 0
    while have < staff:
        number += 1
        email = f"staff{number:05d}@example.org"
        if db.session.scalar(select(User.id).where(User.email == email)) is not None:
            continue
        agency = rng.choices(agencies, weights=weights)[0]
        job_title, level = rng.choice(JOB_TITLES[agency.kind])
        joined_days_ago = STORIES[(number - 1) % len(STORIES)][0]
        user = User(
            started_on=uk_today() - timedelta(days=joined_days_ago),
            email=email,
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            agency=agency,
            team=rng.choice(agency.teams),
            job_title=job_title,
            training_level=level,
            password_hash=password_hash,
            # Fictional people: their certificates by email would only fill the development outbox.
            email_certificates=False,
        )
        user.set_roles({Role.learner})
        db.session.add(user)
        created += 1
        have += 1
    requirements_added = load_demo_requirements()
    db.session.flush()
    _add_histories(uk_today())
    db.session.commit()
    return DemoResult(agencies=len(agencies), staff=have, created=created, requirements_added=requirements_added)


def load_demo_requirements() -> int:
    """Require the bundled courses (DEMO_REQUIREMENTS) of the agency kinds, for every team and
    level. Courses not imported yet are skipped; requirements that exist (perhaps with a
    refresher period the partnership changed) are left alone. The caller commits.

    :return: how many requirements were added.
    """
    from modules.accounts.models import AgencyKind
    from modules.content.models import Course
    from modules.learning.models import TrainingRequirement
    from modules.learning.requirements import set_requirement

    added = 0
    for slug, kinds in DEMO_REQUIREMENTS:
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        if course is None:
            continue
        have = set(db.session.scalars(
            select(TrainingRequirement.agency_kind).where(
                TrainingRequirement.course_id == course.id,
                TrainingRequirement.team_id.is_(None),
                TrainingRequirement.min_training_level.is_(None),
            )
        ))
        for kind in kinds or list(AgencyKind):
            if kind not in have:
                months = DEMO_REFRESHER_MONTHS.get((slug, kind))
                set_requirement(course, kind, refresher_months=months).starts_on = uk_today() - DEMO_SINCE
                added += 1
    return added


def _add_histories(today: date) -> None:
    """Give each generated member of staff with no training yet their story (STORIES) for every
    course required of them, through the one completion pipeline (so online completions get
    their certificates, and the dashboard's cache its rows) and, for the face-to-face story, the
    manual record a coordinator makes."""
    from modules.learning.models import Enrolment

    untouched = db.session.scalars(
        select(User).where(User.email.like("staff%@example.org"), ~exists().where(Enrolment.user_id == User.id))
        .order_by(User.id)
    ).all()
    if not untouched:
        return
    coordinator = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    # The demo's certificates are rendered on their first download, as with
    # SIGHTLINE_CERTIFICATE_RENDER_ON_ISSUE=0: rendering them all now would slow every `make run`.
    config = current_app.config
    render_on_issue = config["SIGHTLINE_CERTIFICATE_RENDER_ON_ISSUE"]
    config["SIGHTLINE_CERTIFICATE_RENDER_ON_ISSUE"] = False
    try:
        for user in untouched:
            number = int(user.email[5:10])
            _, story, days = STORIES[(number - 1) % len(STORIES)]
            if story != "nothing":
                _add_story(user, story, days, number, today, coordinator)
    finally:
        config["SIGHTLINE_CERTIFICATE_RENDER_ON_ISSUE"] = render_on_issue


def _add_story(user: User, story: str, days: int | None, number: int, today: date, coordinator: User | None) -> None:
    from modules.learning.manual import record_manual
    from modules.learning.requirements import required_courses

    # A few days' difference between people, so that dates do not all fall on one day.
    jitter = (number * 7) % 11
    for required in required_courses(user):
        course, version = required.course, required.course.current_version
        months = required.refresher_months_override or version.refresher_months
        if story == "face_to_face" and coordinator is not None:
            record_manual(person=user, course=course, version=version,
                          completed_on=today - timedelta(days=days + jitter), evidence=FACE_TO_FACE_EVIDENCE,
                          recorded_by_id=coordinator.id,
                          recorded_at=datetime.combine(today - timedelta(days=days + jitter - 2), time(15), tzinfo=UK))
            continue
        completed = {
            "compliant": [today - timedelta(days=(days or 30) + jitter)],
            "face_to_face": [today - timedelta(days=(days or 30) + jitter)],
            "expiring": [add_months(today, -months) + timedelta(days=20 + jitter)],
            "expired": [add_months(today, -months) - timedelta(days=45 + jitter)],
            "refreshed": [add_months(today, -months) - timedelta(days=(days or 80) + 300 + jitter),
                          today - timedelta(days=(days or 80) + jitter)],
        }.get(story, [])
        for cycle, completed_on in enumerate(completed, start=1):
            _online(user, course, version, cycle, completed_on, score=80 + (number * 5 + cycle * 5) % 25)
        if story == "started":
            _started(user, course, version, cycle=1, began=today - timedelta(days=3 + jitter))


def _started(user: User, course, version, *, cycle: int, began: date):
    from modules.learning.models import Enrolment

    enrolment = Enrolment(user_id=user.id, course_id=course.id, course_version_id=version.id,
                          cycle=cycle, started_at=datetime.combine(began, time(10), tzinfo=UK))
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


def _online(user: User, course, version, cycle: int, completed_on: date, *, score: int) -> None:
    """An online completion, begun a few days before, recorded as the player records one."""
    from modules.learning.completion import record_completion
    from modules.learning.models import CompletionSource

    enrolment = _started(user, course, version, cycle=cycle, began=completed_on - timedelta(days=3))
    record_completion(enrolment, source=CompletionSource.online, completed_on=completed_on, score=score,
                      completed_at=datetime.combine(completed_on, time(11), tzinfo=UK))
