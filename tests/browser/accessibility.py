"""axe-core checks (WCAG 2.0-2.2, levels A and AA) with a readable failure message."""
from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class AxeChecker:
    def __init__(self, artifacts: Path):
        self._axe = Axe()
        self._artifacts = artifacts

    def violations(self, page) -> list[dict]:
        # A click that navigates may still be loading the page: axe must read the new document.
        page.wait_for_load_state()
        results = self._axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        return results.response["violations"]

    def assert_clean(self, page, name: str) -> None:
        violations = self.violations(page)
        if violations:
            self._artifacts.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(self._artifacts / f"axe-{name}.png"), full_page=True)
        report = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} at " + ", ".join(str(n["target"]) for n in v["nodes"][:3])
            for v in violations
        )
        assert not violations, f"axe-core found {len(violations)} violation(s) on {name} ({page.url}):\n{report}"
