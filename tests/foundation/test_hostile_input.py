"""No hostile input gives a 500: every route, every role, both databases.

Every GET route is requested with a hostile query string, and every POST with hostile form
fields (and a hostile query string), as each role, with the URL's placeholders filled with real
ids and slugs of a seeded world or with hostile values. Routes come from ``app.url_map`` and the
names to send from the seeded world's rendered forms and links (see ``tests/hostile_input.py``),
so a new route or field is fuzzed without touching this file.

A 500 is the failure this looks for (with ``TESTING`` on, Flask raises the exception instead, so
the test fails with its traceback); any other error status must come with the site's own error
page. The profile is derandomised, so CI runs the same examples every time.
"""
from __future__ import annotations

import re
import tempfile
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import weasyprint
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from modules.accounts.models import AgencyKind, Role
from modules.core.policies import policy_for_endpoint
from tests.authz_matrix import ROLES
from tests.conftest import TEST_PASSWORD, _empty_all_tables, _test_config, build_app
from tests.hostile_input import (
    HOSTILE_INTEGER_SEGMENTS,
    KINDS,
    Field,
    FieldCatalogue,
    all_subclasses,
    date_values,
    form_variants,
    hostile_name,
    hostile_value,
    routes,
    wtforms_field_names,
)

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# The routes, read once at collection from an application that never touches its database.
ROUTES = routes(build_app(_test_config("sqlite://", Path(tempfile.gettempdir()))).url_map)


@pytest.fixture(scope="module")
def world(database_url, tmp_path_factory):
    """One seeded world per database: the bundled courses, two agencies, a user per role, a
    learner part way through a course with an unfinished quiz attempt and a reflection, three
    certificates, a reset link, a message in the outbox; and the names every page's forms and
    links send."""
    from modules.accounts.models import Agency, Team, User
    from modules.accounts.passwords import hash_password
    from modules.accounts.services import issue_password_reset
    from modules.certificates.codes import format_code
    from modules.content.checker import check_paths
    from modules.content.importer import import_checked
    from modules.content.models import Course, ModuleKind
    from modules.core.extensions import db
    from modules.learning import progress, quizzes
    from tests.certificates.factories import make_certificate

    app = build_app(_test_config(database_url, tmp_path_factory.mktemp("hostile")))
    with app.app_context():
        checked = check_paths([ROOT / "courses"], ROOT / "certificates")
        assert checked.ok, [str(p) for p in checked.errors]
        import_checked(checked)
        hashed = hash_password(TEST_PASSWORD)
        home = Agency(name="Home Agency", kind=AgencyKind.police, teams=[Team(name="Team A")])
        other = Agency(name="Other Agency", kind=AgencyKind.health, teams=[Team(name="Team B")])
        db.session.add_all([home, other])

        def person(name, agency, *roles):
            user = User(email=f"{name}@example.org", name=name.title(), agency=agency,
                        job_title="Officer", training_level=1, password_hash=hashed)
            user.set_roles({Role.learner, *roles})
            db.session.add(user)
            return user

        people = {
            "learner": person("learner", home),
            "trainer": person("trainer", home, Role.trainer),
            "manager": person("manager", home, Role.manager),
            "admin": person("admin", other, Role.partnership_admin),
        }
        own_person, other_person = person("colleague", home), person("stranger", other)
        db.session.commit()
        certificates = [make_certificate(u) for u in (own_person, other_person, people["learner"])]

        # The learner's refresher cycle, in progress: every module but the assessment done, so the
        # assessment opens, then an attempt started and a reflection written.
        course = db.session.scalar(select(Course).where(Course.slug == "cse-level-1"))
        learner = people["learner"]
        enrolment = progress.start_course(learner, course).enrolment
        versions = enrolment.course_version.module_versions
        for mv in versions:
            if mv.kind is ModuleKind.quiz:
                continue
            run = progress.working_run(enrolment, mv, create=True)
            for dp in mv.decision_points:
                progress.choose_option(run, dp, dp.options[0]["key"])
            for number in range(1, progress.section_count(mv) + 1):
                progress.record_visit(run, number)
            for reflection in mv.reflections:
                progress.save_reflection(learner.id, reflection, "What I would do differently")
        quiz = next(mv for mv in versions if mv.kind is ModuleKind.quiz)
        attempt = quizzes.start_attempt(enrolment, quiz)
        token = issue_password_reset(own_person.email, valid_for=timedelta(hours=2))
        db.session.commit()

        # The first value of each placeholder is what discovery renders: a section with a
        # reflection box (and a decision), so that its forms are found.
        reflective = next(mv for mv in versions if mv.reflections)
        section = next(n for n in range(1, progress.section_count(reflective) + 1)
                       if progress.reflections_in_section(reflective, n))
        slugs = [reflective.slug] + [mv.slug for mv in versions if mv is not reflective]
        values = {
            "agency_id": [home.id, other.id],
            # Never the role users themselves: a hostile POST must not deactivate the account
            # the next examples sign in with.
            "user_id": [own_person.id, other_person.id],
            "certificate_id": [c.id for c in certificates],
            "attempt_id": [attempt.id],
            "number": [section, *(n for n in (1, 2, 3) if n != section)],
            "course_slug": ["cse-level-1", "cse-taxi-drivers"],
            "module_slug": slugs,
            "slug": ["cse-level-1", *slugs],
            "key": [k for mv in versions for k in [d.key for d in mv.decision_points] + [r.key for r in mv.reflections]],
            "code": [format_code(certificates[0].verification_code)],
            "token": [token.token],
            "sha256": ["0" * 64],
            "ext": ["png", "svg"],
            "fmt": ["csv", "xlsx"],
            "filename": ["images/sightline-logo.svg", "js/init.js"],
        }
        users = {role: (user.id, user.email) for role, user in people.items()}
        db.session.remove()

    state = {"values": {k: [str(v) for v in vs] for k, vs in values.items()}, "users": users, "cookies": {}}
    with app.app_context():
        # A message in the outbox, so /dev/outbox/<name> has a real name to try.
        app.test_client().post("/forgotten-password", data={"email": "colleague@example.org"})
    outbox = Path(app.config["MAIL_OUTBOX_DIR"])
    state["values"]["name"] = [p.name for p in outbox.glob("*.eml")] or ["none.eml"]
    state["catalogue"] = _discover_fields(app, state)
    catalogue = state["catalogue"]
    discovered = {name for key in catalogue.requests for name in catalogue.names(*key)}
    # "page" and "next" are read by views but appear only in some states (a second page, a
    # redirect to sign in), which the small world may not reach.
    state["get_names"] = sorted(
        {name for key in catalogue.requests if key[1] == "GET" for name in catalogue.names(*key)} | {"page", "next"})
    state["all_names"] = sorted(wtforms_field_names(all_subclasses(FlaskForm)) | discovered | {"page", "next"})
    yield app, state
    with app.app_context():
        _empty_all_tables(db)
        db.engine.dispose()


def _discover_fields(app, state) -> FieldCatalogue:
    """Render every GET route with real values as every role, send each GET form found on with
    its choices changed one at a time, and note what every form and link sends."""
    catalogue = FieldCatalogue(app.url_map, app.config["SERVER_NAME"])
    sent = set()

    def read(role, url):
        response = _client(app, state, role).get(url, follow_redirects=True, buffered=True)
        forms = []
        if response.status_code == 200 and response.request.path == urlsplit(url).path:
            catalogue.reached(catalogue.endpoint_of(urlsplit(url).path, "GET"), "GET", role)
        if response.mimetype == "text/html":
            forms = catalogue.read_page(role, response.request.path, response.get_data(as_text=True))
        response.close()
        return forms

    for route in ROUTES:
        if route.method != "GET" or route.endpoint == "static":
            continue
        url = route.url({name: state["values"].get(name, ["x"])[0] for name in route.arguments})
        for role in ROLES:
            for path, fields in read(role, url):
                for variant in form_variants(fields):
                    if (path, variant) not in sent:
                        sent.add((path, variant))
                        read(role, f"{path}?{urlencode(variant)}")
    return catalogue


ROLE_GRANTS = {"anonymous": set(), "learner": {Role.learner}, "trainer": {Role.learner, Role.trainer},
               "manager": {Role.learner, Role.manager}, "admin": {Role.learner, Role.partnership_admin}}


def _swept_as(app, catalogue, route, role) -> bool:
    """Whether to sweep the route as ``role``: the role was shown a form or link for it, or got
    its page, in the seeded world; for a route nothing in the world leads to, whether its
    ``@allow`` lets the role in (the static files let everyone in)."""
    reached = catalogue.reached_by.get((route.endpoint, route.method))
    if reached:
        return role in reached
    policy = policy_for_endpoint(app, route.endpoint)
    if policy is None or policy.anonymous:
        return policy is not None or route.endpoint == "static"
    if role == "anonymous":
        return False
    return not policy.roles or bool(policy.roles & ROLE_GRANTS[role])


def _client(app, state, role):
    """A fresh client signed in as ``role``, reusing that role's session cookie when it is still good."""
    client = app.test_client()
    if role == "anonymous":
        return client
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    if role not in state["cookies"]:
        user_id, email = state["users"][role]
        response = client.post("/sign-in", data={"email": email, "password": TEST_PASSWORD})
        assert response.status_code == 302, f"could not sign in as {role}"
        state["cookies"][role] = (client.get_cookie(cookie_name).value, _session_version(app, user_id))
    else:
        client.set_cookie(cookie_name, state["cookies"][role][0], domain=app.config["SERVER_NAME"])
    return client


def _session_version(app, user_id):
    """What a POST may have changed about the role's sign-in: which of its sessions are live
    (signing out, everywhere or here, ends them) and whether the account is active."""
    from sqlalchemy import select

    from modules.accounts.models import User, UserSession
    from modules.core.extensions import db

    with app.app_context():
        user = db.session.get(User, user_id)
        live = db.session.scalars(
            select(UserSession.id).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        ).all()
        return tuple(sorted(live)), user.active


def _keep_role_signed_in(app, state, role) -> None:
    """After a POST (a sign-out everywhere, a deactivation): make the role usable again."""
    from modules.accounts.models import User
    from modules.core.extensions import db

    if role == "anonymous" or role not in state["cookies"]:
        return
    user_id, _ = state["users"][role]
    if _session_version(app, user_id) != state["cookies"][role][1]:
        with app.app_context():
            db.session.get(User, user_id).active = True
            db.session.commit()
        del state["cookies"][role]


# How one example is built ----------------------------------------------------------------------

PATH, DATES, NAMES, OTHERS = "<path>", "<every date>", "<unexpected names>", "<names other routes read>"
SHAPE = "repeated or missing"
SWEEP_KINDS = [*KINDS, SHAPE]
RANDOM_EXAMPLES = {"swept": 4, "refused": 2}
DATE_EXAMPLES = 4
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date_names(requests) -> set[str]:
    """Names sent as a date: three boxes under one name, or a YYYY-MM-DD value."""
    names = set()
    for genuine in requests:
        counts = Counter(name for name, _ in genuine.pairs)
        names |= {name for name, value in genuine.pairs if counts[name] == 3 or _ISO.fullmatch(value)}
    return names


def _targets(route, names) -> list[tuple[str, str]]:
    """(what is tampered with, which kind of hostile value) for the sweep: the path's
    placeholders, every field with every kind, the names other routes read (all at once, as
    numbers), and unexpected names."""
    targets = [(PATH, kind) for kind in KINDS if route.arguments]
    targets += [(name, kind) for name in names for kind in SWEEP_KINDS]
    targets += [(OTHERS, "huge numbers"), (OTHERS, "unicode digits")] if route.method == "GET" else []
    return targets + [(NAMES, "any")]


def _values_of(draw, kind: str, known: Field) -> list[str]:
    if kind == SHAPE:
        return draw(st.one_of(st.just([]), st.lists(st.sampled_from(known.options or known.baseline or ["1"]),
                                                    min_size=2, max_size=5),
                              st.lists(hostile_value, min_size=1, max_size=5)))
    if kind == "extreme dates":
        return date_values(draw(st.sampled_from(KINDS[kind])), known.count)
    value = draw(st.sampled_from(KINDS[kind]) if kind in KINDS else hostile_value)
    return [value] * known.count


def _draw_request(draw, route, state, target: str | None, kind: str | None):
    """The path, query pairs and form pairs of one request: a genuine request with ``target``
    made hostile, or with no target anything made hostile at random."""
    catalogue = state["catalogue"]
    key = (route.endpoint, route.method)
    requests = catalogue.genuine(*key)
    options = catalogue.options.get(key, {})
    segments = {}
    for name in route.arguments:
        if target == PATH or (target is None and draw(st.booleans())):
            if name in route.integer_arguments:
                segments[name] = draw(st.sampled_from(HOSTILE_INTEGER_SEGMENTS))
            else:
                segments[name] = draw(st.sampled_from(KINDS[kind]) if kind in KINDS else hostile_value)
        else:
            segments[name] = draw(st.sampled_from(state["values"].get(name) or ["x"]))

    dates = _date_names(requests)
    chosen_date = draw(st.sampled_from(KINDS["extreme dates"])) if target == DATES else None
    if target is None:
        base = draw(st.sampled_from(requests)) if requests else None
    elif target == DATES:
        base = next(g for g in requests if any(name in dates for name, _ in g.pairs))
    else:
        base = catalogue.request_with(*key, target)
    # Tampering starts from where the genuine request went, unless the path is what is tampered with.
    use_genuine_path = base is not None and target != PATH and (target is not None or draw(st.booleans()))
    grouped: dict[str, list[str]] = {}
    for name, value in (base.pairs if base else ()):
        grouped.setdefault(name, []).append(value)
    if target == OTHERS:
        for name in state["get_names"]:
            grouped.setdefault(name, [])
    elif target not in (None, PATH, DATES, NAMES):
        grouped.setdefault(target, [])

    pairs = []
    for name, values in grouped.items():
        known = Field(count=len(values) or 1, baseline=values, options=options.get(name, []))
        if name == target or (target == OTHERS and not values):
            values = _values_of(draw, kind, known)
        elif chosen_date and name in dates:
            values = date_values(chosen_date, known.count)
        elif target is None and draw(st.booleans()):
            values = _values_of(draw, draw(st.sampled_from([*SWEEP_KINDS, "any"])), known)
        pairs += [(name, value) for value in values]
    if target in (NAMES, None):
        pairs += draw(st.lists(st.tuples(st.one_of(st.sampled_from(state["all_names"]), hostile_name),
                                         hostile_value), min_size=1 if target else 0, max_size=4))
    query, form = (pairs, []) if route.method == "GET" else ([], pairs)
    return (base.path if use_genuine_path else route.url(segments)), query, form


def _send(app, state, route, role, url, query, form) -> None:
    client = _client(app, state, role)
    # Buffered: a streamed export is read inside the request's own context, then closed.
    response = client.open(url, method=route.method, query_string=urlencode(query), data=MultiDict(form),
                           buffered=True)
    response.close()
    request_line = f"{role} {route.method} {url}?{urlencode(query)} {form!r}"[:3000]
    assert response.status_code != 500, request_line
    if response.status_code >= 400 and response.mimetype == "text/html":
        body = response.get_data(as_text=True)
        assert "govuk-template" in body and "Traceback" not in body, \
            f"{request_line}: {response.status_code} without the site's error page"
    if route.method == "POST":
        _keep_role_signed_in(app, state, role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=[r.id for r in ROUTES])
def test_no_hostile_input_gives_a_500(world, route, role, monkeypatch):
    """A role the route lets in gets the sweep (every field with every kind of hostile value,
    starting from the genuine request) and random examples; a role it refuses gets the random
    examples, since what runs before the refusal (routing, the input guard) reads input too."""
    app, state = world
    catalogue = state["catalogue"]

    @settings(HOSTILE, max_examples=1)
    @given(data=st.data())
    def sweep(target, kind, data):
        _send(app, state, route, role, *_draw_request(data.draw, route, state, target, kind))

    @settings(HOSTILE, max_examples=DATE_EXAMPLES)
    @given(data=st.data())
    def every_date(data):
        _send(app, state, route, role, *_draw_request(data.draw, route, state, DATES, None))

    def anything(data):
        _send(app, state, route, role, *_draw_request(data.draw, route, state, None, None))

    swept = _swept_as(app, catalogue, route, role)
    if swept:
        # The sweep lays out no PDF (0.3 s each, and the same layout every time): WeasyPrint
        # still gets the HTML the hostile request produced. The random examples use it for real.
        with monkeypatch.context() as patch:
            patch.setattr(weasyprint.HTML, "write_pdf", lambda self, *args, **kwargs: b"%PDF-1.7 stub")
            for target, kind in _targets(route, catalogue.names(route.endpoint, route.method)):
                sweep(target, kind)
            if _date_names(catalogue.genuine(route.endpoint, route.method)):
                every_date()
    settings(HOSTILE, max_examples=RANDOM_EXAMPLES["swept" if swept else "refused"])(given(data=st.data())(anything))()
