"""A partnership at full scale for trying the reports: ``flask demo --staff 50000 --completions 1000000``.

Realistic rather than uniform: agencies from a 15,000-strong health trust down to a 40-person
voluntary group, teams, training levels by job, several required courses per person, refresher
histories going back years, expiries spread over time, some people part way through a course,
some never started and some overdue.

Everything is written with bulk inserts (Core ``insert()`` with executemany batches; on
PostgreSQL, ``COPY ... FROM STDIN`` through psycopg), never one ORM object at a time. Rows get
their ids here, so enrolments and completions can refer to each other without a round trip;
PostgreSQL's sequences are moved past them at the end. Running it again tops the partnership up
to the numbers asked for rather than adding the same again.
"""
from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Table, func, insert, select, text

from modules.accounts.models import Agency, AgencyKind, Role, Team, User, UserRole
from modules.accounts.passwords import hash_password
from modules.content.models import Course, CourseVersion
from modules.core.dates import add_months, uk_today
from modules.core.extensions import db
from modules.demo.data import DEMO_PASSWORD, FIRST_NAMES, JOB_TITLES, LAST_NAMES
from modules.learning.models import Completion, Enrolment, TrainingRequirement

BATCH = 10_000

# Agencies beyond the eight Northshire ones, with a weight for their share of staff. The spread
# is deliberately wide: a big trust and a small charity sit side by side on the dashboard.
SCALE_AGENCIES: list[tuple[str, AgencyKind, int, list[str]]] = [
    ("Northshire NHS Foundation Trust", AgencyKind.health, 300, ["Emergency Department", "Sexual Health Service", "School Nursing", "Paediatrics", "Mental Health", "Community Nursing", "Maternity", "Outpatients"]),
    ("Northshire Police", AgencyKind.police, 220, ["Child Exploitation Team", "Neighbourhood Policing", "Missing Persons Unit", "Response North", "Response South", "Custody", "Control Room", "Public Protection"]),
    ("Northshire Schools Partnership", AgencyKind.education, 180, ["Secondary Schools", "Primary Schools", "Alternative Provision", "Special Schools", "Sixth Forms"]),
    ("Northshire County Council Children's Services", AgencyKind.social_care, 150, ["Front Door (MASH)", "Children in Care", "Exploitation Hub", "Care Leavers", "Early Help", "Fostering", "Residential Homes"]),
    ("Northshire GP Practices Network", AgencyKind.health, 60, ["North Locality", "South Locality", "City Locality"]),
    ("Northshire Ambulance Service", AgencyKind.health, 50, ["Emergency Crews", "Patient Transport", "Control Centre"]),
    ("Northshire Council Licensing", AgencyKind.licensing, 45, ["Taxi and Private Hire", "Premises Licensing"]),
    ("Northshire Private Hire Operators", AgencyKind.licensing, 35, ["City Cars", "Night Service"]),
    ("Northshire Homes", AgencyKind.housing, 30, ["Tenancy Support", "Homelessness Prevention", "Repairs"]),
    ("Harbour Housing Association", AgencyKind.housing, 15, ["Supported Housing", "Neighbourhoods"]),
    ("Northshire College", AgencyKind.education, 25, ["Student Services", "Teaching Staff"]),
    ("Northshire Youth Justice Service", AgencyKind.social_care, 10, ["Court Team", "Prevention"]),
    ("Northshire Fire and Rescue", AgencyKind.other, 20, ["Community Safety", "Operational Crews"]),
    ("Northshire Probation Service", AgencyKind.other, 12, ["Offender Management"]),
    ("Northshire Youth Alliance", AgencyKind.youth_voluntary, 8, ["Detached Youth Work", "Young Carers"]),
    ("Northshire Sports Clubs Network", AgencyKind.youth_voluntary, 4, ["Coaches"]),
    ("Safe Nights Northshire", AgencyKind.youth_voluntary, 1, ["Street Pastors"]),
]

# Courses the scale demo needs when fewer have been imported: (slug, code, title, level, months).
SCALE_COURSES = [
    ("scale-demo-cse-awareness", "DEMO-L1", "Scale demo: CSE awareness", 1, 36),
    ("scale-demo-online-safety", "DEMO-ONL", "Scale demo: online exploitation", 1, 24),
    ("scale-demo-targeted", "DEMO-L2", "Scale demo: CSE targeted practice", 2, 24),
    ("scale-demo-information-sharing", "DEMO-INF", "Scale demo: information sharing", 2, 12),
    ("scale-demo-specialist", "DEMO-L3", "Scale demo: CSE specialist practice", 3, 12),
    ("scale-demo-taxi", "DEMO-TAXI", "Scale demo: signs for drivers", 1, 36),
]


@dataclass(frozen=True)
class ScaleResult:
    agencies: int
    staff: int
    staff_added: int
    completions: int
    completions_added: int
    enrolments_added: int


Progress = Callable[[str, int], None]  # (label, rows done since the last call)


def load_scale(*, staff: int, completions: int, seed: int = 2026, progress: Progress | None = None,
               today: date | None = None) -> ScaleResult:
    """Top the partnership up to ``staff`` people and about ``completions`` completions; commits."""
    progress = progress or (lambda label, done: None)
    today = today or uk_today()
    rng = random.Random(seed)
    agencies = _agencies()
    courses = _courses()
    _requirements(courses)
    db.session.commit()

    staff_added = _add_staff(staff, agencies, rng, progress)
    db.session.commit()

    have = db.session.scalar(select(func.count()).select_from(Completion))
    enrolments_added = completions_added = 0
    if completions > have:
        enrolments_added, completions_added = _add_histories(completions - have, courses, rng, today, progress)
    from modules.learning.latest import rebuild_latest

    rebuild_latest()
    db.session.commit()
    _analyse()
    return ScaleResult(
        agencies=db.session.scalar(select(func.count()).select_from(Agency)),
        staff=db.session.scalar(select(func.count()).select_from(User)),
        staff_added=staff_added,
        completions=db.session.scalar(select(func.count()).select_from(Completion)),
        completions_added=completions_added,
        enrolments_added=enrolments_added,
    )


# Agencies, courses, requirements --------------------------------------------------------------

def _agencies() -> list[tuple[Agency, int]]:
    result = []
    for name, kind, weight, team_names in SCALE_AGENCIES:
        agency = db.session.scalar(select(Agency).where(Agency.name == name))
        if agency is None:
            agency = Agency(name=name, kind=kind)
            db.session.add(agency)
        existing = {t.name for t in agency.teams}
        for team_name in team_names:
            if team_name not in existing:
                agency.teams.append(Team(name=team_name))
        result.append((agency, weight))
    db.session.flush()
    return result


@dataclass(frozen=True)
class ScaleCourse:
    course_id: int
    version_id: int
    level: int
    months: int
    code: str


def _courses() -> list[ScaleCourse]:
    """The courses with content, plus demo courses until there are at least six."""
    rows = db.session.execute(
        select(Course.id, CourseVersion.id, CourseVersion.level, CourseVersion.refresher_months, CourseVersion.code)
        .join(CourseVersion, CourseVersion.id == Course.current_version_id)
    ).all()
    have = {code for *_, code in rows}
    for slug, code, title, level, months in SCALE_COURSES:
        if len(rows) >= len(SCALE_COURSES) or code in have:
            continue
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        if course is None:
            course = Course(slug=slug)
            db.session.add(course)
            db.session.flush()
        version = CourseVersion(
            course_id=course.id, number=1, content_hash=f"scale-demo-{slug}", source_path=f"(scale demo) {slug}",
            title=title, code=code, level=level, audience=["all"], cpd_minutes=60, refresher_months=months,
            pass_mark=80, certificate_design="default", summary="Generated for the scale demo.",
            description_html="<p class=\"govuk-body\">Generated for the scale demo: no modules.</p>",
        )
        db.session.add(version)
        db.session.flush()
        course.current_version_id = version.id
        db.session.flush()
        rows.append((course.id, version.id, level, months, code))
    return [ScaleCourse(*row) for row in rows]


def _requirements(courses: Sequence[ScaleCourse]) -> None:
    """Require every course nobody has been required to take yet: level 1 courses of everyone,
    level 2 from training level 2, level 3 of level 3 staff; anything with "TAXI" in its code of
    licensing only. Requirements that exist (the small demo's, a partnership's own) are kept.

    They began three years ago, so staff who joined before then were due 90 days after it, and
    recent joiners 90 days after they joined (some overdue, some due soon, some not yet due)."""
    from modules.learning.requirements import set_requirement

    began = uk_today() - timedelta(days=3 * 365)

    required = set(db.session.scalars(select(TrainingRequirement.course_id).distinct()))
    for course in courses:
        if course.course_id in required:
            continue
        kinds = [AgencyKind.licensing] if "TAXI" in course.code else list(AgencyKind)
        for kind in kinds:
            requirement = set_requirement(db.session.get(Course, course.course_id), kind,
                                          min_training_level=None if course.level == 1 else course.level)
            requirement.starts_on = began


# Staff ------------------------------------------------------------------------------------------

def _add_staff(target: int, agencies: list[tuple[Agency, int]], rng: random.Random, progress: Progress) -> int:
    have = db.session.scalar(select(func.count()).select_from(User))
    missing = target - have
    if missing <= 0:
        return 0
    password_hash = hash_password(DEMO_PASSWORD)
    next_id = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    number = db.session.scalar(select(func.count()).select_from(User).where(User.email.like("scale%@example.org")))
    weights = [w for _, w in agencies]
    created = datetime.now(UTC)

    def users() -> Iterator[dict]:
        for offset in range(missing):
            agency, _ = rng.choices(agencies, weights=weights)[0]
            job_title, level = rng.choice(JOB_TITLES[agency.kind])
            team = rng.choice(agency.teams)
            yield dict(
                id=next_id + offset, email=f"scale{number + offset + 1:06d}@example.org",
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", agency_id=agency.id,
                team_id=team.id, job_title=job_title, training_level=level, password_hash=password_hash,
                active=rng.random() > 0.02, created_at=created, started_on=_joined(next_id + offset, created.date()),
            )

    for batch in _batches(users(), BATCH):
        _bulk_insert(User.__table__, batch)
        _bulk_insert(UserRole.__table__, [{"user_id": u["id"], "role": Role.learner.name} for u in batch])
        progress("staff", len(batch))
    _move_sequence(User.__table__)
    return missing


def _joined(user_id: int, today: date) -> date:
    """Most staff joined years ago; one in four in the last six months (their first completion is
    due 90 days after joining, so they are overdue, due soon or not yet due). Drawn from the id, not
    the loader's generator, so the rest of the data is what it was before joining days existed."""
    rng = random.Random(user_id)
    days = rng.randint(0, 180) if rng.random() < 0.25 else rng.randint(181, 3650)
    return today - timedelta(days=days)


# Enrolments and completions -----------------------------------------------------------------------

def _add_histories(wanted: int, courses: Sequence[ScaleCourse], rng: random.Random, today: date,
                   progress: Progress) -> tuple[int, int]:
    """Give people without any enrolment a training history until about ``wanted`` completions."""
    by_course = {c.course_id: c for c in courses}
    pairs = _required_pairs_without_history()
    if not pairs:
        return 0, 0
    next_enrolment = (db.session.scalar(select(func.max(Enrolment.id))) or 0) + 1
    next_completion = (db.session.scalar(select(func.max(Completion.id))) or 0) + 1
    counts = {"enrolments": 0, "completions": 0}

    def rows() -> Iterator[tuple[dict, dict | None]]:
        nonlocal next_enrolment, next_completion
        for index, (user_id, course_id) in enumerate(pairs):
            remaining = wanted - counts["completions"]
            if remaining <= 0:
                return
            # Spread what is still wanted over the pairs still to come (88% of them complete).
            mean = remaining / ((len(pairs) - index) * 0.88)
            course = by_course[course_id]
            for enrolment, completion in _history(user_id, course, mean, rng, today):
                enrolment["id"] = next_enrolment
                next_enrolment += 1
                counts["enrolments"] += 1
                if completion is not None:
                    completion["id"] = next_completion
                    completion["enrolment_id"] = enrolment["id"]
                    next_completion += 1
                    counts["completions"] += 1
                yield enrolment, completion

    for batch in _batches(rows(), BATCH):
        _bulk_insert(Enrolment.__table__, [e for e, _ in batch])
        done = [c for _, c in batch if c is not None]
        _bulk_insert(Completion.__table__, done)
        progress("completions", len(done))
    _move_sequence(Enrolment.__table__)
    _move_sequence(Completion.__table__)
    db.session.commit()
    return counts["enrolments"], counts["completions"]


def _required_pairs_without_history() -> list[tuple[int, int]]:
    from modules.reports.periods import reporting_year_of
    from modules.reports.queries import ReportScope, required_pairs

    today = uk_today()
    scope = ReportScope(agency_ids=None, period=reporting_year_of(today), today=today)
    pairs = required_pairs(scope).subquery()
    started = select(Enrolment.user_id, Enrolment.course_id).distinct().subquery()
    rows = db.session.execute(
        select(pairs.c.user_id, pairs.c.course_id)
        .outerjoin(started, (started.c.user_id == pairs.c.user_id) & (started.c.course_id == pairs.c.course_id))
        .where(started.c.user_id.is_(None))
        .order_by(pairs.c.user_id, pairs.c.course_id)
    ).all()
    return [(r.user_id, r.course_id) for r in rows]


def _history(user_id: int, course: ScaleCourse, mean_cycles: float, rng: random.Random,
             today: date) -> Iterator[tuple[dict, dict | None]]:
    """One person's cycles of one course, oldest first.

    About 6% never started, 6% part way through their first go; of the rest, how recent the
    latest completion is decides compliance (most within the refresher period, some lapsed, some
    expiring in the coming weeks), with earlier cycles a refresher period apart before it.
    """
    roll = rng.random()
    if roll < 0.06:
        return
    months = course.months
    if roll < 0.12:
        started = today - timedelta(days=rng.randint(1, 120))
        yield _enrolment(user_id, course, 1, started), None
        return
    cycles = max(1, _poisson(rng, mean_cycles))
    # Days since the latest completion: 12% lapsed, the rest inside the refresher period (so
    # expiry dates fall evenly over the coming months and years).
    period_days = months * 30.4
    since = int(rng.uniform(period_days, period_days * 1.6) if rng.random() < 0.12 else rng.uniform(0, period_days * 0.98))
    latest = today - timedelta(days=since)
    dates = [latest]
    for _ in range(cycles - 1):
        dates.append(add_months(dates[-1], -months) - timedelta(days=rng.randint(-20, 60)))
    dates.reverse()
    for cycle, completed_on in enumerate(dates, start=1):
        started = completed_on - timedelta(days=rng.randint(0, 21))
        enrolment = _enrolment(user_id, course, cycle, started)
        moment = datetime.combine(completed_on, time(rng.randint(8, 19), rng.randint(0, 59)), tzinfo=UTC)
        completion = dict(
            user_id=user_id, course_id=course.course_id, course_version_id=course.version_id,
            completed_at=moment, completed_on=completed_on, expires_on=add_months(completed_on, months),
            refresher_months=months, score=rng.choice((80, 85, 90, 95, 100)),
        )
        yield enrolment, completion
    if rng.random() < 0.05:  # a refresher under way
        yield _enrolment(user_id, course, len(dates) + 1, today - timedelta(days=rng.randint(0, 40))), None


def _enrolment(user_id: int, course: ScaleCourse, cycle: int, started: date) -> dict:
    return dict(user_id=user_id, course_id=course.course_id, course_version_id=course.version_id,
                cycle=cycle, started_at=datetime.combine(started, time(9, 0), tzinfo=UTC))


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method is fine for the small means used here.
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


# Bulk writing ---------------------------------------------------------------------------------

def _batches(rows: Iterable, size: int) -> Iterator[list]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _bulk_insert(table: Table, rows: list[dict]) -> None:
    """Insert ``rows`` in one go: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    if db.session.get_bind().dialect.name == "postgresql":
        _copy(table, rows)
    else:
        db.session.execute(insert(table), rows)


def _copy(table: Table, rows: list[dict]) -> None:
    columns = list(rows[0])
    connection = db.session.connection().connection.driver_connection  # the psycopg connection
    names = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])


def _move_sequence(table: Table) -> None:
    if db.session.get_bind().dialect.name != "postgresql":
        return
    db.session.execute(text(
        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
        f"(SELECT COALESCE(MAX(id), 1) FROM \"{table.name}\"))"
    ))


def _analyse() -> None:
    """Fresh planner statistics for the tables just loaded (both databases understand ANALYZE)."""
    for table in ("users", "user_roles", "learning_enrolments", "learning_completions", "report_latest_completions"):
        db.session.execute(text(f"ANALYZE {table}"))
    db.session.commit()
