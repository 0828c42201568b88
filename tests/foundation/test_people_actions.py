"""Acting on a person: a manager reaches only people ranked below them, in their own agency.

The route-by-route statuses are in tests/authz_matrix.py (targets of every role in both
agencies); these tests check the rule itself, what actually happens to the target, and that the
pages offer only what the user may do.
"""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from modules.accounts.models import AgencyKind, Role, User
from modules.core.policies import can_act_on
from modules.learning.models import Completion
from tests.authz_matrix import CASES, PERSON_TARGETS

LEARNER = (Role.learner,)
TRAINER = (Role.learner, Role.trainer)
MANAGER = (Role.learner, Role.manager)
ADMIN = (Role.learner, Role.partnership_admin)
MANAGER_AND_TRAINER = (Role.learner, Role.manager, Role.trainer)


@pytest.fixture
def agencies(make_agency):
    return make_agency(name="Home Police"), make_agency(name="Other Health", kind=AgencyKind.health)


# (actor's roles, target's roles, same agency?) -> may act. Written out rather than derived, so
# that a change to the rule has to change this table too.
RULE = [
    (MANAGER, LEARNER, True, True),
    (MANAGER, TRAINER, True, False),
    (MANAGER, MANAGER, True, False),
    (MANAGER, MANAGER_AND_TRAINER, True, False),
    (MANAGER, ADMIN, True, False),
    (MANAGER, LEARNER, False, False),
    (MANAGER, TRAINER, False, False),
    (MANAGER_AND_TRAINER, TRAINER, True, False),
    (MANAGER_AND_TRAINER, LEARNER, True, True),
    (ADMIN, LEARNER, False, True),
    (ADMIN, TRAINER, True, True),
    (ADMIN, MANAGER, False, True),
    (ADMIN, ADMIN, True, True),
    (ADMIN, ADMIN, False, True),
    (LEARNER, LEARNER, True, False),
    (TRAINER, LEARNER, True, False),
    (TRAINER, TRAINER, True, False),
]


@pytest.mark.parametrize("actor_roles, target_roles, same_agency, allowed", RULE)
def test_who_may_act_on_whom(make_user, agencies, actor_roles, target_roles, same_agency, allowed):
    home, other = agencies
    actor = make_user(roles=actor_roles, agency=home)
    target = make_user(roles=target_roles, agency=home if same_agency else other)
    assert can_act_on(actor, target) is allowed


def test_every_route_about_a_person_is_checked_against_targets_of_every_role(app):
    """A new route taking a person's id must get rows for every target in the matrix."""
    person_routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if "user_id" in rule.arguments
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert person_routes, "no route takes a user_id any more: update this test"
    for endpoint, method in sorted(person_routes):
        urls = [c.url for c in CASES if (c.endpoint, c.method) == (endpoint, method)]
        missing = [t for t in PERSON_TARGETS if not any("{" + t + "}" in url for url in urls)]
        assert not missing, f"{method} {endpoint} has no matrix row for {missing}"


@pytest.mark.parametrize("target_roles", [TRAINER, MANAGER, ADMIN], ids=["trainer", "manager", "admin"])
def test_a_manager_cannot_deactivate_anyone_ranked_as_high_as_them(
        db, client, sign_in, make_user, agencies, target_roles):
    home, _ = agencies
    manager = make_user(roles=MANAGER, agency=home)
    target = make_user(roles=target_roles, agency=home)
    targets_browser = client.application.test_client()
    sign_in(target, test_client=targets_browser)
    sign_in(manager)
    assert client.post(f"/people/{target.id}/active", data={"active": "0"}).status_code == 403
    target = db.session.get(User, target.id)
    assert target.active is True
    # Their own session carries on: nothing was ended behind their back.
    assert targets_browser.get("/account").status_code == 200
    # The person page says who can, instead of offering a button that would be refused.
    page = client.get(f"/people/{target.id}").get_data(as_text=True)
    assert "Deactivate account" not in page
    assert "Only a partnership admin can deactivate" in page


def test_a_manager_still_deactivates_a_learner_of_their_agency(db, client, sign_in, make_user, agencies):
    home, _ = agencies
    manager = make_user(roles=MANAGER, agency=home)
    learner = make_user(roles=LEARNER, agency=home)
    sign_in(manager)
    assert "Deactivate account" in client.get(f"/people/{learner.id}").get_data(as_text=True)
    assert client.post(f"/people/{learner.id}/active", data={"active": "0"}).status_code == 302
    assert db.session.get(User, learner.id).active is False


def test_an_admin_may_deactivate_a_manager_and_another_admin(db, client, sign_in, make_user, agencies):
    home, other = agencies
    admin = make_user(roles=ADMIN, agency=other)
    targets = [make_user(roles=MANAGER, agency=home), make_user(roles=ADMIN, agency=home)]
    sign_in(admin)
    for target in targets:
        assert "Deactivate account" in client.get(f"/people/{target.id}").get_data(as_text=True)
        assert client.post(f"/people/{target.id}/active", data={"active": "0"}).status_code == 302
        assert db.session.get(User, target.id).active is False


@pytest.fixture
def course(db):
    from tests.learning.factories import make_course_version, make_module_version

    return make_course_version("l1", [make_module_version("l1-lesson")], code="CSE-L1")


def _manual_form(course, day=date(2026, 3, 2)):
    return {"course": str(course.course_id), "completed_on": [str(day.day), str(day.month), str(day.year)],
            "evidence": "Face-to-face briefing, attendance sheet ref 14"}


def _completions(db) -> int:
    return db.session.scalar(select(func.count(Completion.id)))


@pytest.mark.parametrize("target_roles", [TRAINER, MANAGER, ADMIN], ids=["trainer", "manager", "admin"])
def test_a_manager_cannot_record_training_for_anyone_ranked_as_high_as_them(
        db, client, sign_in, make_user, agencies, course, target_roles):
    home, _ = agencies
    manager = make_user(roles=MANAGER, agency=home)
    target = make_user(roles=target_roles, agency=home)
    sign_in(manager)
    assert client.post(f"/reports/people/{target.id}/manual", data=_manual_form(course)).status_code == 403
    assert _completions(db) == 0
    page = client.get(f"/people/{target.id}").get_data(as_text=True)
    assert f"/reports/people/{target.id}/manual" not in page and "Record face-to-face training" not in page


@pytest.mark.parametrize("roles", [MANAGER, ADMIN], ids=["manager", "admin"])
def test_nobody_records_their_own_training(db, client, sign_in, make_user, agencies, course, roles):
    home, _ = agencies
    me = make_user(roles=roles, agency=home)
    sign_in(me)
    assert f"/reports/people/{me.id}/manual" not in client.get(f"/people/{me.id}").get_data(as_text=True)
    for response in (client.get(f"/reports/people/{me.id}/manual"),
                     client.post(f"/reports/people/{me.id}/manual", data=_manual_form(course))):
        assert response.status_code == 302
        assert response.location == f"/people/{me.id}"
    assert _completions(db) == 0
    page = client.get(f"/people/{me.id}").get_data(as_text=True)
    assert re.search(r"You cannot record your own training\. Ask a partnership admin", page)


def test_the_manual_record_service_refuses_the_actors_own_record(db, make_user, agencies, course):
    from modules.reports.manual import ManualRecordError, record_manual_completion

    me = make_user(roles=ADMIN, agency=agencies[0])
    with pytest.raises(ManualRecordError, match="your own training"):
        record_manual_completion(actor=me, person=me, course=course.course, completed_on=date(2026, 3, 2),
                                 evidence="Briefing", today=date(2026, 3, 3))
    assert _completions(db) == 0
