"""The training matrix's form: one requirement, previewed before it is saved."""
from __future__ import annotations

import hashlib

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from modules.accounts.models import TRAINING_LEVELS, AgencyKind
from modules.core.widgets import select_choices as choices

LEVEL_CHOICES = [("", "All levels")] + [
    (str(level), {1: "From level 1 (everyone)", 2: "From level 2 (targeted and specialist)",
                  3: "Level 3 (specialist) only"}[level]) for level in TRAINING_LEVELS
]


def _whole_number(text: str | None, *, low: int, high: int, message: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdecimal() or not low <= int(text) <= high:
        raise ValidationError(message)
    return int(text)


REFRESHER_MESSAGE = "Enter the refresher period as a whole number of months from 1 to 120, or leave it blank"
DUE_MESSAGE = "Enter the number of days to complete it in as a whole number from 1 to 730"


class RequirementForm(FlaskForm):
    """Add or change a requirement. Course and team choices are set by the view."""

    course = SelectField("Course", widget=GovSelect(), validators=[InputRequired(message="Select the course")])
    agency_kind = SelectField(
        "Agency kind", widget=GovSelect(),
        choices=choices([("", "Select the kind of agency")] + [(k.name, k.label) for k in AgencyKind]),
        validators=[InputRequired(message="Select the kind of agency that must take the course")],
    )
    team = SelectField("Team", widget=GovSelect())
    min_training_level = SelectField("Training level", widget=GovSelect(), choices=choices(LEVEL_CHOICES))
    refresher_months = StringField("Refresher period in months", widget=GovTextInput())
    due_within_days = StringField(
        "Days to complete it in", widget=GovTextInput(), default="90",
        validators=[InputRequired(message="Enter the number of days to complete it in, for example 90")],
    )
    # A fingerprint of the values whose effect was last shown: saving needs it to match, so
    # nothing is saved whose effect the admin has not seen.
    previewed = HiddenField()
    preview = SubmitField("Preview the effect", widget=GovSubmitInput())
    save = SubmitField("Save requirement", widget=GovSubmitInput())

    def validate_refresher_months(self, field):
        _whole_number(field.data, low=1, high=120, message=REFRESHER_MESSAGE)

    def validate_due_within_days(self, field):
        if _whole_number(field.data, low=1, high=730, message=DUE_MESSAGE) is None:
            raise ValidationError(DUE_MESSAGE)

    def refresher_value(self) -> int | None:
        return int(self.refresher_months.data.strip()) if (self.refresher_months.data or "").strip() else None

    def due_value(self) -> int:
        return int(self.due_within_days.data.strip())

    def fingerprint(self) -> str:
        values = (self.course.data, self.agency_kind.data, self.team.data, self.min_training_level.data,
                  self.refresher_value(), self.due_value())
        return hashlib.sha256(repr(values).encode()).hexdigest()[:32]
