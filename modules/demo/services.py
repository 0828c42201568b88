"""Building the demo partnership. Idempotent: running it twice adds nothing the second time."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import exists, func, select

from modules.accounts.models import Agency, Role, Team, User
from modules.accounts.passwords import hash_password
from modules.core.dates import UK, add_months, uk_today
from modules.core.extensions import db
from modules.demo.data import (
    AGENCIES,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
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
# they joined, history of each required course). Requirements began two years ago (DEMO_SINCE),
# and a first completion is due 90 days after the later of that and joining.
DEMO_SINCE = timedelta(days=730)
STORIES = (
    (1500, "compliant"),  # completed recently: counts for a long while
    (1500, "nothing"),  # never started, due long ago: overdue
    (1300, "expiring"),  # runs out within the refresher window
    (70, "nothing"),  # joined 70 days ago: due within 20 days, due soon
    (1200, "expired"),  # completed, lapsed
    (20, "started"),  # joined 20 days ago, part way through: not yet due, in progress
    (800, "started"),  # part way through, long past due: overdue
    (2000, "compliant"),
)


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
                set_requirement(course, kind).starts_on = uk_today() - DEMO_SINCE
                added += 1
    return added


def _add_histories(today: date) -> None:
    """Give each generated member of staff with no training yet their story (STORIES) for every
    course required of them: enrolments and completions as the learning area stores them."""
    from modules.learning.latest import note_completion
    from modules.learning.models import Completion, Enrolment
    from modules.learning.requirements import required_courses

    untouched = db.session.scalars(
        select(User).where(User.email.like("staff%@example.org"), ~exists().where(Enrolment.user_id == User.id))
        .order_by(User.id)
    ).all()
    for user in untouched:
        _, story = STORIES[(int(user.email[5:10]) - 1) % len(STORIES)]
        if story == "nothing":
            continue
        for required in required_courses(user):
            version = required.course.current_version
            months = required.refresher_months_override or version.refresher_months
            completed_on = {
                "compliant": today - timedelta(days=30),
                "expiring": add_months(today, -months) + timedelta(days=20),
                "expired": add_months(today, -months) - timedelta(days=45),
            }.get(story)
            began = (completed_on or today) - timedelta(days=3)
            enrolment = Enrolment(user_id=user.id, course_id=required.course.id, course_version_id=version.id,
                                  cycle=1, started_at=datetime.combine(began, time(10), tzinfo=UK))
            db.session.add(enrolment)
            db.session.flush()
            if completed_on is None:
                continue
            completion = Completion(
                enrolment_id=enrolment.id, user_id=user.id, agency_id=user.agency_id,
                course_id=required.course.id, course_version_id=version.id,
                completed_at=datetime.combine(completed_on, time(11), tzinfo=UK), completed_on=completed_on,
                expires_on=add_months(completed_on, months), refresher_months=months, score=90,
            )
            db.session.add(completion)
            db.session.flush()
            note_completion(completion)
