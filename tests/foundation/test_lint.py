"""The lint gate: ruff (pyflakes, bugbear, pyupgrade, import order; settings in pyproject.toml's
``[tool.ruff]``) finds nothing in the project, so `make test` and CI fail on new findings."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _ruff(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing():
    result = _ruff(".")
    assert result.returncode == 0, "ruff findings (`ruff check --fix .` mends most):\n" + result.stdout + result.stderr


def test_the_gate_uses_the_projects_rules(tmp_path):
    """An unused import and a loop variable caught late by a closure are found with our settings."""
    sample = tmp_path / "sample.py"
    sample.write_text("import os\n\nfns = []\nfor i in range(3):\n    fns.append(lambda: i)\n")
    result = _ruff("--config", str(ROOT / "pyproject.toml"), str(sample), cwd=tmp_path)
    assert result.returncode != 0
    assert "F401" in result.stdout and "B023" in result.stdout
