"""The form for recording training done outside Sightline."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from modules.core.widgets import GovDateField
from modules.reports.manual import EVIDENCE_MAX_LENGTH


class ManualCompletionForm(FlaskForm):
    course = SelectField(
        "Course", widget=GovSelect(), validators=[InputRequired(message="Select the course")]
    )
    completed_on = GovDateField(
        "Date of the training",
        validators=[InputRequired(message="Enter the date of the training, for example 27 3 2026")],
    )
    evidence = TextAreaField(
        "Evidence",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Describe the evidence for this training"),
            Length(max=EVIDENCE_MAX_LENGTH, message=f"The evidence must be {EVIDENCE_MAX_LENGTH} characters or fewer"),
        ],
    )
    submit = SubmitField("Record training", widget=GovSubmitInput())
