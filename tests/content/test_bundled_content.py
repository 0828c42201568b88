"""The bundled courses (courses/) as a training sub-group would review them: content check finds
nothing at all (no errors, no warnings), every module names the sources its facts come from and
none cites the training itself, every module with a content note lets a learner skip its hardest
part, and modules are short enough for a phone."""
from __future__ import annotations

from pathlib import Path

import pytest

from modules.content.checker import check_paths
from modules.content.sources import load_register

ROOT = Path(__file__).resolve().parents[2]
COURSES = ROOT / "courses"


@pytest.fixture(scope="module")
def checked():
    return check_paths([COURSES], ROOT / "certificates")


def test_content_check_finds_no_errors_and_no_warnings(checked):
    assert [str(p) for p in checked.problems] == []


def test_there_are_three_courses_sharing_modules(checked):
    courses = {c.value("code"): [ident for ident, _l, _c in c.value("modules")] for c in checked.courses}
    assert set(courses) == {"CSE-L1", "CSE-TAXI", "CSE-NTE"}
    shared = set(courses["CSE-L1"]) & set(courses["CSE-TAXI"]) & set(courses["CSE-NTE"])
    assert {"what-is-cse", "criminal-exploitation"} <= shared
    assert "language-matters" not in courses["CSE-TAXI"] + courses["CSE-NTE"]  # a frontline activity instead


def test_every_module_lists_its_sources_and_none_is_the_training_itself(checked):
    problems = []
    for module in checked.modules:
        if not module.sources:
            problems.append(f"{module.slug}: no sources")
        for source in module.sources:
            if any(word in f"{source['title']} {source['publisher']}".lower() for word in ("sightline", "this course")):
                problems.append(f"{module.slug}: cites {source['title']}")
    assert problems == []


def test_every_register_entry_names_the_facts_it_comes_from(checked):
    problems: list = []
    register = load_register([COURSES], problems)
    assert problems == []
    assert all(s.facts.startswith(("facts §", "facts-addendum §")) for s in register.sources.values()), [
        s.key for s in register.sources.values() if not s.facts.startswith(("facts §", "facts-addendum §"))]
    assert not [k for k, s in register.sources.items() if s.year == 2026], "a source's year is when it was published"


def test_modules_with_a_content_note_can_be_skipped_at_their_hardest_part(checked):
    missing = [m.slug for m in checked.modules
               if m.header.kind in ("lesson", "case_study") and m.value("content_note")
               and not any(s.summary_html for s in m.sections)]
    assert missing == []


def test_lessons_and_case_studies_suit_a_phone(checked):
    long = [(m.slug, m.value("minutes")) for m in checked.modules
            if m.header.kind in ("lesson", "case_study") and not 5 <= m.value("minutes") <= 20]
    assert long == []


def test_every_case_study_has_decisions_whose_good_option_moves(checked):
    for module in (m for m in checked.modules if m.header.kind == "case_study"):
        positions = [next(i for i, o in enumerate(d.options) if o["correct"]) for d in module.decision_points]
        assert len(positions) >= 3, module.slug
        assert len(set(positions)) > 1, module.slug
