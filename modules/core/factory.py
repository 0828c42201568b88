"""The application factory."""
from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from modules.core import params
from modules.core.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]

# Feature areas register themselves here; each exposes ``init_app(app)``.
FEATURE_MODULES = (
    "modules.site",
    "modules.accounts",
    "modules.admin",
    "modules.notifications",
    "modules.demo",
    "modules.content",
    "modules.certificates",
    "modules.learning",
    "modules.reports",
    "modules.reminders",
    "modules.authoring",
)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        "sightline",
        root_path=str(ROOT),
        instance_path=str(ROOT / "instance"),
        template_folder="templates",
        static_folder="static",
    )
    try:
        app.config.update(load_config(Path(app.instance_path)))
    except ConfigError as exc:
        # One line an operator can act on, not a traceback.
        sys.stderr.write(f"Sightline cannot start: {exc}\n")
        raise SystemExit(2) from None
    if test_config:
        app.config.update(test_config)
    _trust_proxies(app)

    _configure_templates(app)
    _init_extensions(app)
    # Before any blueprint adds a rule: ``<int:...>`` is bounded in every route.
    params.init_app(app)
    for dotted in FEATURE_MODULES:
        module = __import__(dotted, fromlist=["init_app"])
        module.init_app(app)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind SIGHTLINE_TRUSTED_PROXIES proxies, take the visitor's address and scheme from the
    X-Forwarded-For/-Proto headers they add. Off by default: without a proxy those headers come
    from the visitor, who could then pick a fresh address for every rate-limited attempt."""
    hops = app.config.get("SIGHTLINE_TRUSTED_PROXIES", 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _configure_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    from govuk_frontend_wtf.main import WTFormsHelpers

    WTFormsHelpers(app)


def _init_extensions(app: Flask) -> None:
    from modules.core import (  # noqa: F401
        errors,
        input_guard,
        jobs,
        navigation,
        policies,
        read_only_transactions,
        savepoints,
        security,
        sqlite_tuning,
        templating,
    )
    from modules.core.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    read_only_transactions.init_app(app)  # after db: its teardown runs before the session's
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)
    input_guard.init_app(app)
    policies.init_app(app)
    errors.init_app(app)
    jobs.init_app(app)
    templating.init_app(app)
    navigation.init_app(app)

    # Core's own models; each area imports its own in its init_app (Alembic and relationship
    # strings see them all once every area is initialised).
    import modules.core.models  # noqa: F401
