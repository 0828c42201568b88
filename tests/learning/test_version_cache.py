"""Imported versions are read once per application, and what the cache holds is never shared.

The learner's pages take course versions (their modules) and module versions (their sections,
decision points, reflections) from ``modules.content.version_cache``: after the first request
the tables behind them are not queried again, and each request still gets its own objects.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import inspect

from modules.accounts.models import AgencyKind
from modules.content import version_cache
from modules.learning.requirements import set_requirement
from tests.sql_statements import recorded_statements

BASE = "/my-training/courses/course-a"
CONTENT_TABLES = ("course_version_modules", "module_versions", "module_sections",
                  "module_decision_points", "module_reflections")


@pytest.fixture
def started(db, client, sign_in, learner, course_a):
    for kind in AgencyKind:
        set_requirement(course_a.course, kind)
    db.session.commit()
    sign_in(learner)
    assert client.post(f"{BASE}/start").status_code == 302
    return course_a


def _tables_read(db, client, url) -> set[str]:
    with recorded_statements(db.engine) as log:
        response = client.get(url)
    assert response.status_code == 200, url
    return {table for statement in log.queries for table in CONTENT_TABLES
            if re.search(rf"\b(FROM|JOIN)\s+\"?{table}\b", statement)}


@pytest.mark.parametrize("url", [
    "/my-training", BASE, f"{BASE}/modules/lesson/sections/1", f"{BASE}/modules/case-study/sections/2",
])
def test_learner_pages_read_imported_content_only_the_first_time(app, db, client, started, url):
    app.extensions.pop(version_cache._EXTENSION, None)  # as a freshly started worker
    first = _tables_read(db, client, url)
    assert first, "the first request reads the content (else this test proves nothing)"
    assert _tables_read(db, client, url) == set()


def test_a_request_gets_copies_of_the_cached_versions_not_the_cached_objects(app, db, started):
    version_id = started.id
    module_version = started.module_versions[0]
    db.session.expunge_all()

    first = version_cache.course_version(version_id)
    assert [mv.slug for mv in first.module_versions] == ["lesson", "case-study", "handbook", "assessment"]
    db.session.remove()
    second = version_cache.course_version(version_id)

    cached = app.extensions[version_cache._EXTENSION]["course"][version_id]
    assert second is not first and second is not cached
    assert inspect(cached).detached, "the cached copy must never join a request's session"
    assert inspect(second).persistent and second in db.session
    assert all(inspect(entry.module_version).persistent for entry in second.entries)
    # A change made through one request's objects (never committed) stays out of the cache.
    second.title = "Changed in one request"
    assert cached.title != "Changed in one request"
    db.session.rollback()

    mv = db.session.get(type(module_version), module_version.id)
    version_cache.load_module_content(mv)
    sections = app.extensions[version_cache._EXTENSION]["module"][mv.id].sections
    assert [s.title for s in mv.sections] == [s.title for s in sections]
    assert all(a is not b for a, b in zip(mv.sections, sections, strict=True))
    assert all(inspect(s).detached for s in sections)


def test_each_application_has_its_own_cache(app, db, started):
    version_cache.course_version(started.id)
    assert started.id in app.extensions[version_cache._EXTENSION]["course"]
    from tests.conftest import build_app

    other = build_app({**app.config})
    assert version_cache._EXTENSION not in other.extensions
