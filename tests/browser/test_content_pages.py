"""The trainer's content pages in Chromium: axe-core finds nothing on the course list, a course,
and the preview of every bundled module (lessons, case studies, quizzes, handbooks)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def published(live_server):
    """The bundled courses, published in the live server's database (importing unchanged content
    again writes nothing, so this is safe whoever else publishes them)."""
    from modules.content.checker import check_paths
    from modules.content.importer import import_checked
    from modules.content.services import current_courses

    app = live_server["app"]
    with app.app_context():
        from modules.core.extensions import db

        result = check_paths([ROOT / "courses"], ROOT / "certificates")
        assert result.ok, [str(p) for p in result.errors]
        import_checked(result)
        courses = [(v.course.slug, [m.slug for m in v.module_versions]) for v in current_courses()]
        db.session.remove()
    return courses


def test_content_pages_have_no_axe_violations(page, axe, published):
    sign_in(page, "trainer@example.org")
    page.goto("/trainer")
    axe.assert_clean(page, "trainer_content_list")
    seen = set()
    for slug, modules in published:
        page.goto(f"/content/courses/{slug}")
        assert page.locator("h1").inner_text()
        axe.assert_clean(page, f"content_course_{slug}")
        for module in modules:
            if module in seen:
                continue
            seen.add(module)
            page.goto(f"/content/modules/{module}")
            assert page.title().startswith("Preview: ")
            axe.assert_clean(page, f"content_module_{module}")
