"""The upload and confirm forms of the staff import."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovFileInput, GovSubmitInput
from wtforms import BooleanField, HiddenField, SubmitField


class UploadForm(FlaskForm):
    file = FileField(
        "Staff list (CSV file)",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select a CSV file of staff to import")],
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class ConfirmImportForm(FlaskForm):
    upload = HiddenField()
    send_invitations = BooleanField(
        "Send invitations now",
        description="Each new person gets an email with a link to set their password. Without it "
                    "they cannot sign in until they are invited from their page.",
        widget=GovCheckboxInput(), default=True,
    )
    submit = SubmitField("Import", widget=GovSubmitInput())
