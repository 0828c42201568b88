"""The form for recording training done outside Sightline."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea
from wtforms import DateField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from modules.core.params import EARLIEST_DATE, LATEST_DATE, in_date_range
from modules.core.widgets import GovDateInput
from modules.reports.manual import EVIDENCE_MAX_LENGTH


class GovDateField(DateField):
    """A day/month/year date (GOV.UK date input) that copes with missing or partial boxes.

    The GOV.UK widget unpacks exactly three values; anything else (no boxes sent, a hand-made
    URL) is treated as "not given", with an error if something partial was sent.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", "%d %m %Y")
        kwargs.setdefault("widget", GovDateInput())
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(f"{self.label.text} must be a real date") from None
        if self.data is not None and not in_date_range(self.data):
            self.data = None
            raise ValueError(
                f"{self.label.text} must be between {EARLIEST_DATE.year} and {LATEST_DATE.year}"
            )

    def process(self, formdata, data=None, **kwargs):
        super().process(formdata, data, **kwargs)
        if self.raw_data is not None and len(self.raw_data) != 3:
            if any(value.strip() for value in self.raw_data):
                self.process_errors.append(f"Enter {self.label.text.lower()} as a day, month and year")
            self.raw_data = None
            self.data = None
        elif self.raw_data is not None and not any(value.strip() for value in self.raw_data):
            # Three empty boxes: nothing was entered (not "an invalid date").
            self.process_errors = []
            self.data = None


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
