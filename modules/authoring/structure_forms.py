"""Forms for new courses and modules, reordering, retiring and uploading pictures."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import InputRequired, Length, NumberRange, ValidationError
from wtforms.validators import Optional as OptionalValue

from modules.accounts.models import TRAINING_LEVELS, AgencyKind
from modules.authoring.structure import KIND_LABELS
from modules.core.widgets import select_choices


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _whole(label: str, low: int, high: int, example: int):
    message = f"Enter {label} as a whole number from {low} to {high}, for example {example}"
    return IntegerField(
        label[0].upper() + label[1:], widget=GovTextInput(),
        validators=[InputRequired(message=message), NumberRange(min=low, max=high, message=message)],
    )


class RevisionField(HiddenField):
    """The draft revision the page was shown with (0: no draft)."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = int(text) if text.isdecimal() else 0


class NewCourseForm(FlaskForm):
    title = StringField("Course title", widget=GovTextInput(), filters=[_strip],
                        validators=[InputRequired(message="Enter the course title"),
                                    Length(max=200, message="The title must be 200 characters or fewer")])
    folder = StringField(
        "Course folder name", widget=GovTextInput(), filters=[_strip],
        description="Lower case letters, digits and hyphens, for example cse-level-2. Leave it blank to "
                    "make one from the title. It cannot be changed later.",
    )
    code = StringField("Course code", widget=GovTextInput(), filters=[lambda v: _strip(v).upper() if v else v],
                       description="Capital letters, digits and hyphens, for example CSE-L2. Leave it "
                                   "blank to make one from the title.")
    level = RadioField(
        "Training level", widget=GovRadioInput(),
        choices=select_choices([(str(level), label) for level, label in TRAINING_LEVELS.items()]),
        validators=[InputRequired(message="Select the training level")],
    )
    audience = SelectMultipleField(
        "Who the course is for", widget=GovCheckboxesInput(),
        description="Select the kinds of agency. Select none for everyone, in every agency.",
        choices=select_choices([(kind.name, kind.label) for kind in AgencyKind]),
        validators=[OptionalValue()],
    )
    refresher_months = _whole("the refresher period in months", 1, 120, 36)
    pass_mark = _whole("the pass mark as a percentage", 1, 100, 80)
    cpd_minutes = _whole("the CPD time in minutes", 1, 100_000, 90)
    submit = SubmitField("Create course", widget=GovSubmitInput())


class NewModuleForm(FlaskForm):
    kind = RadioField("Kind of module", widget=GovRadioInput(),
                      choices=select_choices(list(KIND_LABELS.items())),
                      validators=[InputRequired(message="Select the kind of module")])
    title = StringField("Module title", widget=GovTextInput(), filters=[_strip],
                        validators=[InputRequired(message="Enter the module title"),
                                    Length(max=200, message="The title must be 200 characters or fewer")])
    module_id = StringField(
        "Module id", widget=GovTextInput(), filters=[_strip],
        description="Lower case letters, digits and hyphens, unique across all courses. Leave it blank to "
                    "make one from the title. Keep it once learners have started: their progress is kept "
                    "against it.",
    )
    revision = RevisionField()
    submit = SubmitField("Create module", widget=GovSubmitInput())


class MoveForm(FlaskForm):
    direction = HiddenField()
    revision = RevisionField()

    def validate_direction(self, field):
        if field.data not in ("up", "down"):
            raise ValidationError("Choose up or down")


class RetireForm(FlaskForm):
    course_revision = RevisionField()
    file_revision = RevisionField()
    submit = SubmitField("Retire module", widget=GovSubmitInput())


class PictureForm(FlaskForm):
    file = FileField("Picture", widget=GovFileInput(),
                     description="A PNG, JPEG or SVG file of at most 5 MB and 4000 by 4000 pixels.",
                     validators=[FileRequired(message="Select a picture to upload")])
    name = StringField("File name", widget=GovTextInput(), filters=[_strip],
                       description="Lower case letters, digits and hyphens, for example missing-timeline. "
                                   "Leave it blank to use the uploaded file's name.")
    alt = StringField("Describe the picture", widget=GovTextInput(), filters=[_strip],
                      description="What the picture shows, for people who cannot see it. Screen readers read "
                                  "it out.",
                      validators=[Length(max=300, message="Keep the description to 300 characters or fewer")])
    decorative = BooleanField("The picture is decorative: it adds nothing that needs describing",
                              widget=GovCheckboxInput())
    module = SelectField("Add it to the end of a module (optional)", widget=GovSelect())
    revision = RevisionField()
    replace = HiddenField()  # "1": replacing the picture of that name, from the list of pictures
    submit = SubmitField("Upload picture", widget=GovSubmitInput())
