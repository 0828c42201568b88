"""Walks every route x role x agency and checks the status (see tests/authz_matrix.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from modules.accounts.models import AgencyKind, Role
from modules.core.policies import policy_for_endpoint
from tests.authz_matrix import CASES, GET_WRITES_ALLOWED, ROLES
from tests.conftest import TEST_PASSWORD, _empty_all_tables, _test_config, build_app
from tests.sql_statements import recorded_statements

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def matrix(database_url, tmp_path_factory):
    """One app and one world per database for the whole matrix.

    Building the world (two agencies, six people, two certificates) and emptying every table
    around each of the ~900 cases took minutes; the cases only read it, or change it in ways
    later cases do not depend on (each case signs in afresh, so an ended session or a
    deactivated bystander does not matter). Tables are emptied once the module is done.
    """
    from modules.accounts.models import Agency, Team, User
    from modules.accounts.passwords import hash_password
    from modules.certificates.codes import format_code
    from modules.core.extensions import db
    from tests.certificates.factories import make_certificate

    app = build_app(_test_config(database_url, tmp_path_factory.mktemp("matrix")))
    with app.app_context():
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
        # Targets of every role in both agencies, for the routes that act on a person; none of
        # them signs in, so deactivating one changes nothing for later cases.
        targets = {
            f"{side}_{name}": person(f"{side}-{name}", agency, *roles)
            for side, agency in (("own", home), ("other", other))
            for name, roles in (("trainer", (Role.trainer,)), ("manager", (Role.manager,)),
                                ("admin", (Role.partnership_admin,)))
        }
        db.session.commit()
        # The bundled courses, imported as `make run` does, so the authoring pages have a real
        # content folder (cse-level-1) to show; the certificates are for its CSE-L1 version.
        from modules.content.checker import check_paths
        from modules.content.importer import import_checked

        checked = check_paths([ROOT / "courses"], ROOT / "certificates")
        assert checked.ok, [str(p) for p in checked.errors]
        import_checked(checked)
        own_certificate = make_certificate(own_person)
        other_certificate = make_certificate(other_person)
        world = {
            "emails": {role: user.email for role, user in people.items()},
            "values": {
                "own_agency": home.id,
                "other_agency": other.id,
                "own_team": home.teams[0].id,
                "other_team": other.teams[0].id,
                "own_person": own_person.id,
                "other_person": other_person.id,
                **{name: user.id for name, user in targets.items()},
                "own_certificate": own_certificate.id,
                "other_certificate": other_certificate.id,
                "own_certificate_code": format_code(own_certificate.verification_code),
            },
        }
        # No session, transaction or pushed context may outlive the setup: an idle transaction
        # holding table locks would block the TRUNCATE of the next function-scoped test.
        db.session.remove()
    yield app, world
    with app.app_context():
        _empty_all_tables(db)
        db.engine.dispose()


# Downloads -----------------------------------------------------------------------------------
# Every export, learner record and certificate holds personal data. Walking every GET route of
# the matrix (as a role that gets it) finds each one, so a new download route is checked too.
# Defined before the route matrix, which revokes the certificates, and before the tests using the
# function-scoped ``app`` fixture, whose teardown empties the tables (and so the matrix's world).

# What the walk must find: if one of these stops being found, the walk itself is broken.
KNOWN_DOWNLOADS = {
    "reports.dashboard_export", "reports.people_export", "reports.completions_export",
    "reports.summary_pdf", "learning.record_csv", "certificates.download", "certificates.agency_zip",
}
_WALK_AS = ("manager", "admin", "learner", "trainer", "anonymous")


def _get_cases():
    for case in CASES:
        if case.method != "GET":
            continue
        role = next((r for r in _WALK_AS if case.expected[r] == 200), None)
        if role is not None:
            yield case, role


def test_every_download_is_kept_out_of_caches_and_typed_once(matrix):
    app, world = matrix
    clients = {}
    found, problems = set(), []
    for case, role in _get_cases():
        if role not in clients:
            clients[role] = app.test_client()
            if role != "anonymous":
                signed_in = clients[role].post(
                    "/sign-in", data={"email": world["emails"][role], "password": TEST_PASSWORD})
                assert signed_in.status_code == 302, f"could not sign in as {role}"
        response = clients[role].get(case.url.format(**world["values"]))
        content_type = response.headers.get("Content-Type", "")
        if content_type.lower().count("charset") > 1:
            problems.append(f"{case.id}: Content-Type {content_type!r}")
        # A page is HTML; the health check is JSON about nothing personal. Anything else is a file.
        if response.mimetype == "text/html" or case.endpoint == "pages.healthz":
            continue
        found.add(case.endpoint)
        if "no-store" not in response.headers.get("Cache-Control", ""):
            problems.append(f"{case.id}: Cache-Control {response.headers.get('Cache-Control')!r}")
        if not response.headers.get("Content-Disposition", "").startswith("attachment;"):
            problems.append(f"{case.id}: Content-Disposition {response.headers.get('Content-Disposition')!r}")
        response.close()
    assert not problems, problems
    assert KNOWN_DOWNLOADS <= found, f"not found by the walk: {KNOWN_DOWNLOADS - found}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_route_matrix(matrix, case, role):
    app, world = matrix
    client = app.test_client()
    if role != "anonymous":
        response = client.post("/sign-in", data={"email": world["emails"][role], "password": TEST_PASSWORD})
        assert response.status_code == 302, f"could not sign in as {role}"
    url = case.url.format(**world["values"])
    with app.app_context():
        from modules.core.extensions import db

        engine = db.engine
    with recorded_statements(engine) as log:
        response = client.open(url, method=case.method, data=case.data)
    assert response.status_code == case.expected[role], f"{role} {case.method} {url}"
    if case.method == "GET":
        # No GET handler writes (except the few named, and only to the tables named).
        unexpected = log.writes_outside(GET_WRITES_ALLOWED.get(case.endpoint, frozenset()))
        assert unexpected == [], role + " GET " + url + " wrote"
    if role == "anonymous" and case.expected[role] == 302 and case.endpoint not in {"accounts.sign_in"}:
        assert response.location.startswith("/sign-in")


def test_every_route_is_in_the_matrix(app):
    covered = {(c.endpoint, c.method) for c in CASES}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (rule.endpoint, method) not in covered:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "routes missing from tests/authz_matrix.py: " + ", ".join(sorted(missing))


def test_every_view_declares_a_policy(app):
    undeclared = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and policy_for_endpoint(app, rule.endpoint) is None
    ]
    assert undeclared == []


def test_undeclared_views_are_refused(app, client):
    app.add_url_rule("/unguarded", "unguarded", lambda: "secret")
    assert client.get("/unguarded").status_code == 403

