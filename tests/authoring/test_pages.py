"""The authoring home, the course page and publishing, for trainers and partnership admins."""
from __future__ import annotations

import pytest

from modules.core.roles import Role


@pytest.fixture
def trainer_client(bundled, client, make_user, sign_in):
    return sign_in(make_user(roles=(Role.trainer,), name="Sam Trainer"))


def test_the_home_page_lists_the_courses_with_their_state(trainer_client):
    html = trainer_client.get("/authoring/").get_data(as_text=True)
    assert 'href="/authoring/courses/cse-level-1"' in html
    assert "Version 1 published" in html


def test_the_course_page_lists_modules_in_order_with_an_edit_link(trainer_client):
    page = trainer_client.get("/authoring/courses/cse-level-1")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'href="/authoring/files/cse-level-1/01-what-is-cse.md"' in html
    assert "Publish changes" not in html
