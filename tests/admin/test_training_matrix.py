"""The training matrix page: who each requirement applies to, the preview of a change, and that
saving does what the preview said (My training of the people affected)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from modules.accounts.models import AgencyKind, Approval, Role
from modules.core.models import AuditEvent
from modules.learning.models import TrainingRequirement
from modules.learning.requirements import required_courses, set_requirement
from tests.learning.factories import make_course_version, make_module_version


@pytest.fixture
def world(db, make_agency, make_user):
    north = make_agency(name="Northshire Police", kind=AgencyKind.police, teams=("Response", "Custody"))
    east = make_agency(name="Eastport Police", kind=AgencyKind.police, teams=("Patrol",))
    school = make_agency(name="Eastport Academy", kind=AgencyKind.education, teams=("Pastoral",))
    l1 = make_course_version("l1", [make_module_version("l1-lesson")], code="CSE-L1", title="Awareness")
    bsl = make_course_version("bsl", [make_module_version("bsl-lesson")], code="BSL-101", title="Signs",
                              refresher_months=24)
    set_requirement(l1.course, AgencyKind.police)
    db.session.commit()
    admin = make_user(roles=(Role.learner, Role.partnership_admin), agency=school, name="Ada Admin")
    manager = make_user(roles=(Role.learner, Role.manager), agency=north, name="Mo Manager")
    people = {
        "n1": make_user(agency=north, name="North One", level=1),
        "n2": make_user(agency=north, name="North Two", level=2),
        "n3": make_user(agency=north, name="North Three", level=3),
        "e1": make_user(agency=east, name="East One", level=2),
        "s1": make_user(agency=school, name="School One", level=2),
        # Not counted: deactivated, and waiting for approval.
        "gone": make_user(agency=north, name="Gone Person", level=2, active=False),
        "pending": make_user(agency=north, name="Pending Person", level=2),
    }
    people["pending"].approval = Approval.pending
    people["n1"].team, people["n2"].team = north.teams[1], north.teams[0]
    db.session.commit()
    return {"north": north, "east": east, "school": school, "l1": l1, "bsl": bsl, "admin": admin,
            "manager": manager, **people}


def _form(course, kind, team="", level="", refresher="", due="90", **extra):
    return {"course": str(course.course.id), "agency_kind": kind.name, "team": str(team.id) if team else "",
            "min_training_level": level, "refresher_months": refresher, "due_within_days": due, **extra}


def _preview_then_save(client, url, data):
    preview = client.post(url, data={**data, "preview": "Preview the effect"})
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    fingerprint = re.search(r'name="previewed" type="hidden" value="([0-9a-f]+)"', html)
    assert fingerprint, html
    saved = client.post(url, data={**data, "previewed": fingerprint.group(1), "save": "Save requirement"})
    return html, saved


def _requiring(db, course_version, users) -> set[str]:
    db.session.commit()  # forgets the request memo of required courses, and reloads
    return {user.name for user in users if course_version.course.id in {r.course.id for r in required_courses(user)}}


def _must_do(client) -> str:
    """The "Training you must do" part of My training."""
    html = client.get("/my-training").get_data(as_text=True)
    return html.split("Training you must do", 1)[1].split("Other courses you can take", 1)[0]


def _counted(world):
    return [world[k] for k in ("admin", "manager", "n1", "n2", "n3", "e1", "s1")]


def test_the_matrix_counts_the_people_each_requirement_applies_to_per_agency(client, sign_in, world):
    sign_in(world["admin"])
    html = client.get("/admin/training-matrix").get_data(as_text=True)
    # North: manager, n1, n2, n3 (not the deactivated or pending person); East: e1.
    assert "5 people: 4 in Northshire Police, 1 in Eastport Police" in html
    assert "All teams" in html and "All levels" in html and "Course default: 36 months" in html


def test_counting_the_matrix_is_one_query_however_many_requirements(client, sign_in, world, db):
    from tests.sql_statements import recorded_statements

    sign_in(world["admin"])

    def statements():
        with recorded_statements(db.engine) as seen:
            assert client.get("/admin/training-matrix").status_code == 200
        return len(seen.queries)

    few = statements()
    for team in world["north"].teams:
        set_requirement(world["bsl"].course, AgencyKind.police, team=team)
    set_requirement(world["bsl"].course, AgencyKind.education, min_training_level=2)
    db.session.commit()
    assert statements() == few


def test_adding_a_requirement_previews_exactly_who_it_will_require_and_then_does(client, sign_in, world, db):
    sign_in(world["admin"])
    before = _requiring(db, world["bsl"], _counted(world))
    html, saved = _preview_then_save(client, "/admin/training-matrix/new",
                                     _form(world["bsl"], AgencyKind.police, level="2"))
    assert "This will require BSL-101 of 3 more people (2 in Northshire Police, 1 in Eastport Police)" in html
    assert saved.status_code == 302
    after = _requiring(db, world["bsl"], _counted(world))
    assert before == set() and after == {"North Two", "North Three", "East One"}
    assert len(after - before) == 3


def test_changing_a_requirement_previews_who_gains_and_loses_it(client, sign_in, world, db):
    requirement = set_requirement(world["bsl"].course, AgencyKind.police, min_training_level=2)
    db.session.commit()
    sign_in(world["admin"])
    before = _requiring(db, world["bsl"], _counted(world))
    html, saved = _preview_then_save(client, f"/admin/training-matrix/{requirement.id}/edit",
                                     _form(world["bsl"], AgencyKind.police, level="3"))
    assert "no longer be required of 2 people (1 in Eastport Police, 1 in Northshire Police)" in html
    assert "more people" not in html
    assert saved.status_code == 302
    after = _requiring(db, world["bsl"], _counted(world))
    assert before - after == {"North Two", "East One"} and after - before == set()


def test_a_person_required_by_another_requirement_gains_nothing(client, sign_in, world):
    # CSE-L1 is already required of all police staff: requiring it of one team changes nobody.
    sign_in(world["admin"])
    html = client.post("/admin/training-matrix/new", data=_form(
        world["l1"], AgencyKind.police, team=world["north"].teams[0], preview="Preview the effect")).get_data(as_text=True)
    assert "changes nobody" in html


def test_my_training_shows_the_course_after_the_save_and_not_after_removal(client, sign_in, world, db, app):
    learner_client = app.test_client()
    sign_in(world["n2"], test_client=learner_client)
    assert "BSL-101" not in _must_do(learner_client)

    sign_in(world["admin"])
    _, saved = _preview_then_save(client, "/admin/training-matrix/new",
                                  _form(world["bsl"], AgencyKind.police, team=world["north"].teams[0]))
    assert saved.status_code == 302
    assert "BSL-101" in _must_do(learner_client)

    requirement = db.session.scalar(select(TrainingRequirement).where(
        TrainingRequirement.course_id == world["bsl"].course.id))
    page = client.get(f"/admin/training-matrix/{requirement.id}/remove").get_data(as_text=True)
    assert "BSL-101 will no longer be required of 1 person (1 in Northshire Police); their completions stay on record" in page
    assert client.post(f"/admin/training-matrix/{requirement.id}/remove").status_code == 302
    assert "BSL-101" not in _must_do(learner_client)


def test_saving_without_previewing_those_values_only_shows_the_preview(client, sign_in, world, db):
    sign_in(world["admin"])
    data = _form(world["bsl"], AgencyKind.police)
    html, _ = _preview_then_save(client, "/admin/training-matrix/new", {**data, "min_training_level": "3"})
    # Saving the level-3 preview's fingerprint with other values (all levels) saves nothing.
    fingerprint = re.search(r'name="previewed" type="hidden" value="([0-9a-f]+)"', html).group(1)
    db.session.execute(db.delete(TrainingRequirement).where(TrainingRequirement.course_id == world["bsl"].course.id))
    db.session.commit()
    response = client.post("/admin/training-matrix/new", data={**data, "previewed": fingerprint, "save": "Save"})
    assert response.status_code == 200 and "What this will do" in response.get_data(as_text=True)
    assert db.session.scalar(select(TrainingRequirement).where(
        TrainingRequirement.course_id == world["bsl"].course.id)) is None


def test_every_change_is_audited_with_before_and_after(client, sign_in, world, db):
    sign_in(world["admin"])
    _preview_then_save(client, "/admin/training-matrix/new", _form(world["bsl"], AgencyKind.police, refresher="12"))
    requirement = db.session.scalar(select(TrainingRequirement).where(
        TrainingRequirement.course_id == world["bsl"].course.id))
    requirement_id = requirement.id
    _preview_then_save(client, f"/admin/training-matrix/{requirement_id}/edit",
                       _form(world["bsl"], AgencyKind.police, refresher="", due="30"))
    client.post(f"/admin/training-matrix/{requirement_id}/remove")
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("training_requirement.%"))
                                     .order_by(AuditEvent.id)))
    assert [e.action for e in events] == ["training_requirement.added", "training_requirement.changed",
                                          "training_requirement.removed"]
    assert all(e.actor_id == world["admin"].id and e.subject_id == str(requirement_id) for e in events)
    added, changed, removed = (e.details for e in events)
    assert added["before"] is None and added["after"]["refresher_months"] == 12
    assert changed["before"]["refresher_months"] == 12 and changed["after"]["refresher_months"] is None
    assert changed["after"]["due_within_days"] == 30
    assert removed["before"]["course"] == "BSL-101" and removed["after"] is None


@pytest.mark.parametrize(("field", "value", "message"), [
    ("refresher_months", "0", "from 1 to 120"),
    ("refresher_months", "121", "from 1 to 120"),
    ("refresher_months", "six", "from 1 to 120"),
    ("due_within_days", "731", "from 1 to 730"),
    ("due_within_days", "", "Enter the number of days"),
    ("due_within_days", "-5", "from 1 to 730"),
    ("agency_kind", "", "Select the kind of agency"),
    ("course", "", "Select the course"),
])
def test_bad_values_get_a_specific_message_and_keep_what_was_typed(client, sign_in, world, db, field, value, message):
    sign_in(world["admin"])
    data = {**_form(world["bsl"], AgencyKind.police, refresher="24"), field: value, "preview": "Preview the effect"}
    response = client.post("/admin/training-matrix/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html and "govuk-error-summary" in html
    assert "What this will do" not in html
    assert db.session.scalar(select(TrainingRequirement).where(
        TrainingRequirement.course_id == world["bsl"].course.id)) is None


def test_a_team_of_another_agency_kind_is_refused_with_the_reason(client, sign_in, world):
    sign_in(world["admin"])
    html = client.post("/admin/training-matrix/new", data=_form(
        world["bsl"], AgencyKind.police, team=world["school"].teams[0], preview="Preview")).get_data(as_text=True)
    assert "Choose a team of a Police agency, or All teams. Pastoral is in Eastport Academy" in html


def test_the_same_scope_twice_is_refused_edit_that_one(client, sign_in, world, db):
    sign_in(world["admin"])
    html = client.post("/admin/training-matrix/new", data=_form(
        world["l1"], AgencyKind.police, preview="Preview")).get_data(as_text=True)
    assert "already required of this agency kind, team and level: edit that one" in html
    assert len(list(db.session.scalars(select(TrainingRequirement)))) == 1


def test_a_manager_reads_their_own_kind_counted_in_their_own_agency_and_cannot_edit(client, sign_in, world, db):
    set_requirement(world["bsl"].course, AgencyKind.education)
    db.session.commit()
    sign_in(world["manager"])
    html = client.get("/admin/training-matrix").get_data(as_text=True)
    assert "CSE-L1" in html and "BSL-101" not in html  # education's row is not theirs
    assert "4 people: 4 in Northshire Police" in html and "Eastport Police" not in html
    assert "Add a requirement" not in html and "/edit" not in html
    assert client.get("/admin/training-matrix/new").status_code == 403
