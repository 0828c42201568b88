"""Walks every route x role x agency and checks the status (see tests/authz_matrix.py)."""
from __future__ import annotations

import pytest

from modules.accounts.models import Role
from modules.core.policies import policy_for_endpoint
from tests.authz_matrix import CASES, ROLES


@pytest.fixture
def world(make_agency, make_user):
    home = make_agency(name="Home Agency")
    other = make_agency(name="Other Agency")
    people = {
        "learner": make_user(roles=(Role.learner,), agency=home),
        "trainer": make_user(roles=(Role.learner, Role.trainer), agency=home),
        "manager": make_user(roles=(Role.learner, Role.manager), agency=home),
        "admin": make_user(roles=(Role.learner, Role.partnership_admin), agency=other),
    }
    own_person = make_user(agency=home)
    other_person = make_user(agency=other)
    from modules.certificates.codes import format_code
    from tests.certificates.factories import make_certificate

    own_certificate = make_certificate(own_person)
    other_certificate = make_certificate(other_person)
    return {
        "people": people,
        "values": {
            "own_agency": home.id,
            "other_agency": other.id,
            "own_person": own_person.id,
            "other_person": other_person.id,
            "own_certificate": own_certificate.id,
            "other_certificate": other_certificate.id,
            "own_certificate_code": format_code(own_certificate.verification_code),
        },
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_route_matrix(client, sign_in, world, case, role):
    if role != "anonymous":
        sign_in(world["people"][role])
    url = case.url.format(**world["values"])
    response = client.open(url, method=case.method, data=case.data)
    assert response.status_code == case.expected[role], f"{role} {case.method} {url}"
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
