"""The forms of the ZIP import: upload, then confirm with a change note."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import BooleanField, HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length


class ZipUploadForm(FlaskForm):
    file = FileField(
        "Content folder (ZIP file)",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select a ZIP file of a content folder or course folder")],
    )
    submit = SubmitField("Check the folder", widget=GovSubmitInput())


class ZipConfirmForm(FlaskForm):
    upload = HiddenField()
    note = TextAreaField(
        "Change note",
        description="What changed and why. Trainers see it in each file's history.",
        widget=GovTextArea(),
        validators=[DataRequired(message="Enter a change note saying what changed and why"),
                    Length(max=2000, message="The change note must be 2,000 characters or fewer")],
    )
    overwrite = BooleanField("Replace the changes made in the browser", widget=GovCheckboxInput())
    discard_drafts = BooleanField("Discard the drafts of these course folders", widget=GovCheckboxInput())
    submit = SubmitField("Publish the folder", widget=GovSubmitInput())
