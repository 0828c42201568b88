"""The ``false_alarms:`` module setting: personal-data findings a trainer dismissed with a reason
are not reported, language findings are not dismissable, stale entries are pointed out, and every
mistake in the setting has a message at its line."""
from __future__ import annotations

from modules.content.checker import check_paths
from tests.content.conftest import write_course

BODY = "## Week 1\n\nLeah Whitfield lives at 12 Hope Street."


def _module(settings: str = "", body: str = BODY) -> str:
    return ("---\ntitle: M\nkind: case_study\nminutes: 5\ncontent_note: Exploitation in general terms.\n"
            f"{settings}---\n{body}\n")


def _check(tmp_path, text: str):
    root = tmp_path / "courses"
    write_course(root, "one", {"01-story.md": text})
    result = check_paths([root])
    return result, [(p.line, p.col, p.severity.name, p.message) for p in result.problems]


def test_without_false_alarms_the_findings_block_and_say_what_they_found(tmp_path):
    result, problems = _check(tmp_path, _module())
    assert not result.ok
    subjects = [(p.checker, p.subject) for p in result.problems]
    assert subjects == [("personal_data", "Leah Whitfield"), ("personal_data", "12 Hope Street")]


def test_dismissed_findings_are_not_reported_and_the_case_study_passes(tmp_path):
    settings = ("false_alarms:\n  - text: leah  whitfield\n    reason: a made-up name\n"
                "  - text: \"12 Hope Street\"\n    reason: a made-up street\n")
    result, problems = _check(tmp_path, _module(settings))
    assert result.ok, problems
    assert problems == []


def test_one_dismissal_leaves_the_other_finding_blocking(tmp_path):
    settings = "false_alarms:\n  - text: 12 Hope Street\n    reason: a made-up street\n"
    result, problems = _check(tmp_path, _module(settings))
    assert not result.ok
    assert [m for *_, m in problems][0].startswith("'Leah Whitfield' looks like a personal name")
    assert len(problems) == 1


def test_a_false_alarm_that_matches_nothing_is_a_warning_at_its_line(tmp_path):
    settings = "false_alarms:\n  - text: Canal Street\n    reason: made up\n"
    result, problems = _check(tmp_path, _module(settings, body="## Week 1\n\nA quiet week."))
    assert result.ok
    assert problems == [(7, 11, "warning", "'Canal Street' is listed in false_alarms but does not "
                         "appear in this module as something that looks like personal data: remove "
                         "it from false_alarms")]


def test_language_findings_cannot_be_dismissed(tmp_path):
    body = "## Week 1\n\nShe was promiscuous."
    settings = "false_alarms:\n  - text: promiscuous\n    reason: not personal data\n"
    result, problems = _check(tmp_path, _module(settings, body=body))
    messages = [m for *_, m in problems]
    assert any("can blame the child" in m for m in messages)
    assert any("is listed in false_alarms but does not appear" in m for m in messages)
    assert [p.checker for p in result.problems if "blame" in p.message] == ["language"]


def test_mistakes_in_the_setting_are_reported_at_their_place(tmp_path):
    cases = [
        ("false_alarms: Hope Street\n", 6, "false_alarms must be a list"),
        ("false_alarms:\n  - Hope Street\n", 7, "each false alarm must have text and reason"),
        ("false_alarms:\n  - text: Hope Street\n", 7, "this false alarm has no reason"),
        ("false_alarms:\n  - text: Hope Street\n    reason: ''\n", 8, "the reason of a false alarm must be text, not empty"),
        ("false_alarms:\n  - text: Hope Street\n    why: made up\n", 8, "a false alarm has only text and reason (found 'why')"),
        ("false_alarms:\n  - text: [a, b]\n    reason: x\n", 7, "the text of a false alarm must be text"),
        (f"false_alarms:\n  - text: {'x' * 201}\n    reason: x\n", 7, "at most 200 characters (found 201)"),
    ]
    for settings, line, message in cases:
        result, problems = _check(tmp_path, _module(settings))
        assert not result.ok
        assert any(p[0] == line and message in p[3] for p in problems), (settings, problems)
