"""Validate many pages' HTML with html-validate (npm) in one Node process.

The rules are in .htmlvalidate.json at the top of the repository (docs/development.md says which
of html-validate's recommended rules are off and why); ``npm ci`` installs the validator.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "node_modules" / ".bin" / "html-validate"
CONFIG = ROOT / ".htmlvalidate.json"


def validate_html(pages: dict[str, str], workdir: Path) -> dict[str, list[str]]:
    """Check every page; return ``{name: ["line:column rule: message", ...]}`` for pages with
    problems (an empty dict when all are valid).

    :param pages: ``{name: html}``; names are only used in the result.
    """
    assert CLI.exists(), f"{CLI} is missing: run `npm ci` (html-validate is a devDependency)"
    names = {}
    for number, (name, html) in enumerate(pages.items()):
        path = workdir / f"page-{number:04d}.html"
        path.write_text(html, encoding="utf-8")
        names[str(path)] = name
    # To a file: Node exits before flushing a large report written to a pipe, cutting it short.
    report = workdir / "html-validate.json"
    run = subprocess.run(
        [str(CLI), "--config", str(CONFIG), "--formatter", f"json={report}", *names],
        capture_output=True, text=True, cwd=ROOT, timeout=600, check=False,
    )
    # 0: all valid, 1: problems found; anything else is the validator failing to run.
    assert run.returncode in (0, 1) and report.exists(), f"html-validate failed:\n{run.stderr}{run.stdout}"
    return {
        names[result["filePath"]]: [f"{m['line']}:{m['column']} {m['ruleId']}: {m['message']}"
                                    for m in result["messages"]]
        for result in json.loads(report.read_text(encoding="utf-8"))
        if result["messages"]
    }
