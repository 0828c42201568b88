"""Forms of the GIFT import page: upload and check, then add as a draft module."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput, GovTextInput
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

GIFT_MAX_BYTES = 1024 * 1024
_ID = Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$",
             message="The module id must be lower case letters, digits and single hyphens, "
                     "for example safeguarding-terms-quiz")


class UploadGiftForm(FlaskForm):
    file = FileField("GIFT file", widget=GovFileInput(),
                     validators=[FileRequired(message="Select a GIFT file (.gift or .txt) to import")])
    title = StringField("Title of the quiz", widget=GovTextInput(),
                        description="Leave empty to use the file's name.",
                        validators=[Optional(), Length(max=200, message="The title must be 200 characters or fewer")])
    module_id = StringField("Module id", widget=GovTextInput(),
                            description="The quiz's lasting identity, unique across all courses: lower "
                                        "case letters, digits and hyphens. Leave empty to use the file's name.",
                            validators=[Optional(), Length(max=100, message="The module id must be 100 characters or fewer"), _ID])
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class AddGiftForm(FlaskForm):
    """Carries the checked file's text, so that what is added is what the trainer saw."""

    gift = HiddenField(validators=[InputRequired(message="The file was lost: upload it again")])
    title = HiddenField(validators=[InputRequired(message="The title was lost: upload the file again"), Length(max=200)])
    module_id = HiddenField(validators=[InputRequired(message="The module id was lost: upload the file again"), _ID])
    add = SubmitField("Add as a draft module", widget=GovSubmitInput())

    def validate_gift(self, field) -> None:
        if len((field.data or "").encode("utf-8")) > 2 * GIFT_MAX_BYTES:
            raise ValidationError("The file is too large: upload it again")
