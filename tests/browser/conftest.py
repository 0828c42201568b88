"""Browser tests: a real Sightline server on loopback, driven by Debian's Chromium through Playwright.

The server runs the production code paths (CSRF on, rate limits on) on a SQLite database built by
the migrations and loaded with the demo partnership. Never downloads a browser: Chromium comes
from the system package (`make test` installs it).
"""
from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.browser.accessibility import AxeChecker
from tests.conftest import _test_config, build_app, migrate_database

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{tmp / 'live.db'}"
    migrate_database(url, tmp)
    config = _test_config(url, tmp)
    config.update(
        WTF_CSRF_ENABLED=True,
        RATELIMIT_ENABLED=True,
        SIGHTLINE_LOGIN_LIMIT="200 per minute",
        SIGHTLINE_ENV="development",
    )
    config.pop("SERVER_NAME")
    app = build_app(config)
    with app.app_context():
        from modules.content.checker import check_paths
        from modules.content.importer import import_checked
        from modules.core.extensions import db
        from modules.demo.services import load_demo

        # As `make run` does: the bundled courses, then the demo partnership, whose training
        # requirements (CSE-L1 for everyone, CSE-TAXI for licensing) need the courses.
        root = Path(__file__).resolve().parents[2]
        checked = check_paths([root / "courses"], root / "certificates")
        assert checked.ok, [str(p) for p in checked.errors]
        import_checked(checked)
        load_demo(staff=40)
        db.session.remove()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_port}"
    app.config["SIGHTLINE_BASE_URL"] = base_url
    yield {"url": base_url, "app": app}
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server["url"], viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    return AxeChecker(ARTIFACTS)


def sign_in(page, email: str, password: str = "sightline-demo") -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
