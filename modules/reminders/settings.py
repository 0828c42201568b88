"""Whether Sightline emails someone about their training, in words they and their manager read."""
from __future__ import annotations

from modules.accounts.models import Approval, User


def reminder_setting(user: User) -> str:
    """What a learner is told about their reminders (their account page)."""
    if not user.agency.reminders_enabled:
        return ("Your agency has turned training reminders off, so we will not email you when training is due. "
                "Check this page and My training for your due dates.")
    if not user.reminders_enabled:
        return ("Your manager has turned training reminders off for you, so we will not email you when training "
                "is due. Ask your manager if you would like them back on.")
    return ("Training reminders are on: we will email you when a required course is due soon and if it becomes "
            "overdue, once for each due date.")


def why_not_mailed(user: User) -> str | None:
    """Why no reminder can go to ``user`` (None: one can). The same rule as
    ``candidates._can_be_mailed`` and the agency's switch, for pages that list people."""
    if not user.active or user.left_on is not None:
        return "has left or their account is deactivated"
    if user.approval is not Approval.approved:
        return "is waiting for approval"
    if user.password_hash is None:
        return "has not accepted their invitation yet"
    if user.agency.retired_at is not None:
        return "is in a retired agency"
    if not user.agency.reminders_enabled:
        return "is in an agency with reminders turned off"
    if not user.reminders_enabled:
        return "has reminders turned off"
    return None
