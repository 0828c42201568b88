"""Forms of the authoring pages (WTForms, GOV.UK widgets, CSRF on every one)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Regexp

from modules.content.settings import MAX_FALSE_ALARM


class FalseAlarmForm(FlaskForm):
    """"This is not personal data": the words found, why, and the draft revision it starts from."""

    text = HiddenField(validators=[
        InputRequired(message="Choose the finding to dismiss from the file's findings"),
        Length(max=MAX_FALSE_ALARM, message=f"The words must be {MAX_FALSE_ALARM} characters or fewer"),
    ])
    reason = StringField(
        "Why is this not personal data?",
        description="For example: a made-up street in this composite case. It is kept with the module.",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter why this is not personal data"),
            Length(max=300, message="The reason must be 300 characters or fewer"),
        ],
    )
    revision = HiddenField(validators=[
        InputRequired(message="Open the file again: this form had no revision"),
        Regexp(r"^\d{1,9}$", message="Open the file again: this form's revision is not a number"),
    ])
    submit = SubmitField("Dismiss as a false alarm", widget=GovSubmitInput())

    @property
    def revision_number(self) -> int:
        return int(self.revision.data)
