"""Forms for running a partnership's workforce: agencies, teams, managers and people."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import Email, InputRequired, Length
from wtforms.validators import Optional as OptionalValue

from modules.accounts.models import TRAINING_LEVELS, AgencyKind
from modules.core.widgets import GovDateField, select_choices

NAME_MAX = 200


def _name(label: str, missing: str) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            InputRequired(message=missing),
            Length(max=NAME_MAX, message=f"{label} must be {NAME_MAX} characters or fewer"),
        ],
    )


class AgencyForm(FlaskForm):
    name = _name("Agency name", "Enter the agency's name")
    kind = RadioField(
        "Kind of agency",
        choices=select_choices([(kind.name, kind.label) for kind in AgencyKind]),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the kind of agency")],
    )
    submit = SubmitField("Save agency", widget=GovSubmitInput())


class TeamForm(FlaskForm):
    name = _name("Team name", "Enter the team's name")
    submit = SubmitField("Save team", widget=GovSubmitInput())


class ManagerForm(FlaskForm):
    person = SelectField(
        "Person", widget=GovSelect(), validators=[InputRequired(message="Select the person to make a manager")]
    )
    submit = SubmitField("Make manager", widget=GovSubmitInput())


class PersonForm(FlaskForm):
    name = _name("Full name", "Enter the person's full name")
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            InputRequired(message="Enter the person's email address"),
            Email(message="Enter an email address in the correct format, like name@example.org",
                  check_deliverability=False),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    team = SelectField("Team", widget=GovSelect(), validate_choice=True)
    job_title = StringField(
        "Job title (optional)",
        widget=GovTextInput(),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[Length(max=NAME_MAX, message=f"Job title must be {NAME_MAX} characters or fewer")],
    )
    level = RadioField(
        "Training level",
        choices=select_choices([(str(level), label) for level, label in TRAINING_LEVELS.items()]),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the person's training level")],
    )
    # Everyone is a learner; these are the roles on top. Choices are set per user (policies.grantable_roles).
    roles = SelectMultipleField(
        "Other roles (optional)",
        description="Everyone can take their own training. Select any other role they have.",
        widget=GovCheckboxesInput(),
        validators=[OptionalValue()],
    )
    send_invitation = BooleanField(
        "Send an invitation now",
        description="Emails a link to choose a password. You can send it later from their page.",
        default=True,
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class MoveForm(FlaskForm):
    agency = SelectField("New agency", widget=GovSelect(), validators=[InputRequired(message="Select the new agency")])
    team = SelectField(
        "Team in the new agency (optional)",
        description="Leave as 'No team' to choose one later.",
        widget=GovSelect(),
        validate_choice=False,  # depends on the agency chosen; the service checks it belongs there
    )
    submit = SubmitField("Move person", widget=GovSubmitInput())


class LeavingForm(FlaskForm):
    left_on = GovDateField(
        "Leaving date",
        description="Their last working day. Leave blank for today.",
        validators=[OptionalValue()],
    )
    submit = SubmitField("Deactivate account", widget=GovSubmitInput())
