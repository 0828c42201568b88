"""Forms for running a partnership's workforce: agencies, teams, managers, people and self-registration."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
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
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, ValidationError
from wtforms.validators import Optional as OptionalValue

from modules.accounts.models import TRAINING_LEVELS, AgencyKind
from modules.core.widgets import GovDateField, select_choices

NAME_MAX = 200


class _ChoiceMessage:
    """A choice field whose "not one of the choices" message says what to do (a forged or
    out-of-date form), instead of WTForms' "Not a valid choice"."""

    def __init__(self, *args, invalid_message: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValueError:
            raise ValidationError(self.invalid_message) from None


class ChoiceRadioField(_ChoiceMessage, RadioField):
    pass


class ChoiceSelectField(_ChoiceMessage, SelectField):
    pass


class ChoiceCheckboxesField(_ChoiceMessage, SelectMultipleField):
    pass


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
    kind = ChoiceRadioField(
        "Kind of agency",
        invalid_message="Select the kind of agency from the list",
        choices=select_choices([(kind.name, kind.label) for kind in AgencyKind]),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the kind of agency")],
    )
    submit = SubmitField("Save agency", widget=GovSubmitInput())


class TeamForm(FlaskForm):
    name = _name("Team name", "Enter the team's name")
    submit = SubmitField("Save team", widget=GovSubmitInput())


class ManagerForm(FlaskForm):
    person = ChoiceSelectField(
        "Person", widget=GovSelect(), invalid_message="Select an active person of this agency who is not a manager yet", validators=[InputRequired(message="Select the person to make a manager")]
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
    team = ChoiceSelectField("Team", widget=GovSelect(), invalid_message="Select a team of this agency that is still in use")
    job_title = StringField(
        "Job title (optional)",
        widget=GovTextInput(),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[Length(max=NAME_MAX, message=f"Job title must be {NAME_MAX} characters or fewer")],
    )
    level = ChoiceRadioField(
        "Training level",
        invalid_message="Select level 1, 2 or 3",
        choices=select_choices([(str(level), label) for level, label in TRAINING_LEVELS.items()]),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the person's training level")],
    )
    # Everyone is a learner; these are the roles on top. Choices are set per user (policies.grantable_roles).
    roles = ChoiceCheckboxesField(
        "Other roles (optional)",
        invalid_message="You cannot give that role. Ask a partnership admin",
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
    agency = ChoiceSelectField("New agency", widget=GovSelect(), invalid_message="Select an agency that is still in use", validators=[InputRequired(message="Select the new agency")])
    # Every team of every agency offered; the service checks it belongs to the one chosen.
    team = ChoiceSelectField(
        "Team in the new agency (optional)",
        description="Leave as 'No team' to choose one later.",
        widget=GovSelect(),
        invalid_message="Select a team of the new agency that is still in use",
    )
    submit = SubmitField("Move person", widget=GovSubmitInput())


class LeavingForm(FlaskForm):
    left_on = GovDateField(
        "Leaving date",
        description="Their last working day. Leave blank for today.",
        validators=[OptionalValue()],
    )
    submit = SubmitField("Deactivate account", widget=GovSubmitInput())


class RegistrationSettingsForm(FlaskForm):
    self_registration = BooleanField("Let people register themselves for this agency", widget=GovCheckboxInput())
    registration_domains = TextAreaField(
        "Allowed email domains", widget=GovTextArea(),
        validators=[Length(max=500, message="The allowed email domains must be 500 characters or fewer")],
    )
    submit = SubmitField("Save registration settings", widget=GovSubmitInput())
