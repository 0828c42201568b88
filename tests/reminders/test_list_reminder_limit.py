"""A manager's reminders to a report list are rate limited per sender (Flask-Limiter)."""
from __future__ import annotations

import pytest

from tests.conftest import TEST_PASSWORD, _empty_all_tables, _test_config, build_app
from tests.reminders.conftest import build_world
from tests.reminders.test_pages import remind_url


@pytest.fixture
def app(database_url, tmp_path):
    """Rate limits on, two reminders an hour. It replaces conftest's ``app`` so that every fixture
    uses it: the limiter is one object, switched on or off by the last app made."""
    config = _test_config(database_url, tmp_path)
    config.update(RATELIMIT_ENABLED=True, SIGHTLINE_LIST_REMINDER_LIMIT="2 per hour")
    app = build_app(config)
    with app.app_context():
        from modules.core.extensions import db

        yield app
        db.session.remove()
        _empty_all_tables(db)
        db.engine.dispose()


def test_reminders_to_a_list_are_rate_limited_per_sender(app, db, make_agency, make_user, smtp):
    from modules.accounts.models import Role
    from tests.reminders.conftest import DAY

    world = build_world(db, make_agency, make_user, DAY)
    other = make_user(agency=world.police, roles=(Role.learner, Role.manager), email="second.manager@example.org")

    def signed_in(user):
        client = app.test_client()
        assert client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 302
        return client

    first = signed_in(world.manager)
    assert first.post(remind_url(world)).status_code == 302
    assert first.post(remind_url(world)).status_code == 302
    refused = first.post(remind_url(world))
    assert refused.status_code == 429
    # Reading the confirmation is not limited, and another manager has their own allowance.
    assert first.get(remind_url(world)).status_code == 200
    assert signed_in(other).post(remind_url(world)).status_code == 302
