"""The examples in docs/authoring.md (the contract for content) pass ``content check`` and mean
what the guide says they mean."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

from modules.content.checker import check_paths
from modules.content.questions import mark

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"


def examples() -> dict[str, str]:
    blocks = re.findall(r"```markdown\n(.*?)```", GUIDE.read_text(), re.S)
    found = {}
    for block in blocks:
        block = textwrap.dedent(block)
        if block.startswith("---\ntitle: Recognising"):
            found["course"] = block
        elif block.startswith("---\ntitle: Language matters"):
            found["module settings"] = block
        elif block.startswith("!!! note"):
            found["boxes"] = block
        elif block.startswith("!!! reflect"):
            found["reflect"] = block
        elif block.startswith("### Decision:"):
            found["decision"] = block
        elif block.startswith("## \"She is putting"):
            found["better wording"] = block
        elif block.startswith("## Rewrite"):
            found["rewrite"] = block
    assert len(found) == 7, sorted(found)
    return found


def test_the_guides_examples_pass_check(tmp_path):
    ex = examples()
    course = tmp_path / "courses" / "cse-level-1"
    course.mkdir(parents=True)
    course_md = re.sub(r"modules:\n(  - .*\n)+", "modules:\n  - what-is-cse\n  - case-study-missing-episodes\n  - language-matters\n", ex["course"])
    # Three of its modules here, so its CPD time is theirs: 5 + 5 + the guide's quiz's 5.
    course_md, swapped = re.subn(r"^cpd_minutes: \d+$", "cpd_minutes: 15", course_md, flags=re.M)
    assert swapped == 1
    (course / "course.md").write_text(course_md)
    (course / "01-what-is-cse.md").write_text(
        "---\ntitle: What is CSE\nkind: lesson\nminutes: 5\n---\n## Boxes\n\n" + ex["boxes"])
    (course / "02-case-study-missing-episodes.md").write_text(
        "---\ntitle: Missing episodes\nkind: case_study\nminutes: 5\ncontent_note: Grooming.\npseudonyms: [Jade]\n---\n"
        "## Month 1\n\n" + ex["reflect"] + "\n" + ex["decision"])
    (course / "03-language-matters.md").write_text(ex["module settings"] + ex["better wording"] + "\n" + ex["rewrite"])
    result = check_paths([tmp_path / "courses"])
    assert [str(p) for p in result.problems] == []

    story = next(m for m in result.modules if m.slug == "case-study-missing-episodes")
    (decision,) = story.decision_points
    assert [o["correct"] for o in decision.options] == [False, True]
    assert decision.options[1]["html"].startswith("Record the adult's age, the age gap")
    assert "Your lead links it" in decision.options[1]["consequence_html"]
    assert "cannot consent" in decision.practice_point_html
    assert story.reflections[0].title == "Pause and reflect"

    quiz = next(m for m in result.modules if m.slug == "language-matters")
    better, rewrite = quiz.questions
    assert (better.type, better.pool, rewrite.type) == ("better-wording", "terms", "rewrite")
    assert better.data["source_html"] == "The Children's Society, appropriate language guide (2022)"
    right = next(o["key"] for o in better.data["options"] if o["correct"])
    assert mark("better-wording", better.data, right).correct
    assert mark("rewrite", rewrite.data, "Adults are grooming and controlling Jade.").correct
    assert "does not make Jade responsible" in rewrite.data["correct_html"]
    result = mark("rewrite", rewrite.data, "Jade keeps putting herself at risk by going missing.")
    assert not result.correct and [f["rule"] for f in result.feedback] == ["language", "expect", "concept"]
    assert rewrite.data["model_html"] and mark("rewrite", rewrite.data, rewrite.data["model_text"]).correct
