"""Template filters and globals: dates shown in UK style and UK time."""
from __future__ import annotations

from datetime import date, datetime

from modules.core import partnership_settings
from modules.core.dates import UK
from modules.core.roles import Role


def uk_date(value: date | datetime | None) -> str:
    """25 November 2026."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(UK).date()
    return f"{value.day} {value.strftime('%B %Y')}"


def uk_datetime(value: datetime | None) -> str:
    """25 November 2026 at 2:05pm (UK time)."""
    if value is None:
        return ""
    local = value.astimezone(UK)
    hour = local.hour % 12 or 12
    return f"{uk_date(local)} at {hour}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"


def init_app(app) -> None:
    app.add_template_filter(uk_date)
    app.add_template_filter(uk_datetime)
    app.add_template_global(Role, "roles")
    # The support box on every module page reads the partnership's lines (settings page).
    app.add_template_global(partnership_settings.get, "partnership_setting")
