"""The layers of ``modules`` read top-down: import-linter checks the contract in pyproject.toml
(``[tool.importlinter]``), so a new import from a layer above fails the test suite."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _lint_imports() -> subprocess.CompletedProcess:
    # In a subprocess: import-linter builds its graph from the files on disk, and must not see
    # the modules this test session has already imported.
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports())"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )


def test_no_package_imports_one_above_it():
    result = _lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout
