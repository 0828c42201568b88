"""``flask --app app content gift FILE.gift OUTDIR``."""
from __future__ import annotations

from modules.content.checker import check_paths
from tests.content.conftest import write_course
from tests.content.gift.helpers import FILES


def test_writes_the_next_numbered_module_and_prints_the_report(runner, tmp_path):
    outdir = write_course(tmp_path, "awareness", {"01-intro.md": "---\ntitle: Intro\nkind: lesson\nminutes: 5\n---\nHello.\n"})
    response = runner.invoke(args=["content", "gift", str(FILES / "mixed.gift"), str(outdir)])
    assert response.exit_code == 0, response.output
    target = outdir / "02-mixed.md"
    assert target.exists()
    assert "line 31, 'How many': numerical questions" in response.output
    assert "5 questions converted, 4 left out." in response.output
    assert f"Wrote {target}." in response.output
    assert target.read_text(encoding="utf-8").startswith('---\ntitle: "Mixed"\nkind: quiz\n')
    # The course lists only intro: adding the id to course.md is the trainer's step; the file checks.
    text = (outdir / "course.md").read_text(encoding="utf-8").replace("  - intro", "  - intro\n  - mixed")
    (outdir / "course.md").write_text(text, encoding="utf-8")
    assert check_paths([outdir]).ok


def test_refuses_to_overwrite_without_force(runner, tmp_path):
    args = ["content", "gift", str(FILES / "true_false.gift"), str(tmp_path), "--id", "tf-quiz", "--title", "True or false"]
    assert runner.invoke(args=args).exit_code == 0
    target = tmp_path / "01-tf-quiz.md"
    assert 'title: "True or false"' in target.read_text(encoding="utf-8")
    target.write_text("mine", encoding="utf-8")
    response = runner.invoke(args=args)
    assert response.exit_code == 1
    assert "exists: nothing was written (add --force to overwrite it)" in response.output
    assert target.read_text(encoding="utf-8") == "mine"
    assert runner.invoke(args=[*args, "--force"]).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("---\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["01-tf-quiz.md"]


def test_exit_status_1_when_nothing_converts(runner, tmp_path):
    response = runner.invoke(args=["content", "gift", str(FILES / "numerical.gift"), str(tmp_path / "out")])
    assert response.exit_code == 1
    assert "line 5, 'Range': numerical questions" in response.output
    assert "No question could be converted: nothing was written." in response.output
    assert not (tmp_path / "out").exists()


def test_a_bad_id_is_refused(runner, tmp_path):
    response = runner.invoke(args=["content", "gift", str(FILES / "mixed.gift"), str(tmp_path), "--id", "Bad Id"])
    assert response.exit_code == 2
    assert "lower case letters, digits and hyphens" in response.output
