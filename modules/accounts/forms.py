"""Account forms. Widgets render GOV.UK components; validators give messages in GOV.UK style."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import EmailField, PasswordField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from modules.core.widgets import select_choices


class SignInForm(FlaskForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter your email address")],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ForgottenPasswordForm(FlaskForm):
    email = EmailField(
        "Email address",
        description="We will email a link to reset your password if an account uses this address.",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter your email address"),
            Email(message="Enter an email address in the correct format, like name@example.org",
                  check_deliverability=False),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    submit = SubmitField("Send reset link", widget=GovSubmitInput())


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        description="Use 12 characters or more. A few unrelated words make a strong password that "
        "is easy to remember. You can paste from a password manager.",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter a new password")],
    )
    confirm = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Confirm your new password"),
            EqualTo("password", message="The passwords do not match. Enter the same password twice"),
        ],
    )
    submit = SubmitField("Save password", widget=GovSubmitInput())


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your current password")],
    )


class ConfirmForm(FlaskForm):
    """An empty form: a button whose POST carries only the CSRF token."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class CertificateEmailForm(FlaskForm):
    """Whether a learner's certificates are emailed to them when they complete a course."""

    email_certificates = RadioField(
        "Email me my certificate when I complete a course",
        choices=select_choices([("yes", "Yes, email it to me"), ("no", "No, I will download it myself")]),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select whether to email your certificates")],
    )
    submit = SubmitField("Save email setting", widget=GovSubmitInput())


class RegisterForm(FlaskForm):
    """Self-registration. The agency choices are set by the view (those taking registrations by
    email domain)."""

    name = StringField(
        "Full name", widget=GovTextInput(),
        validators=[InputRequired(message="Enter your full name"),
                    Length(max=200, message="Your name must be 200 characters or fewer")],
    )
    email = EmailField(
        "Email address",
        description="We will email you a link to set your password.",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter your email address"),
            Email(message="Enter an email address in the correct format, like name@example.org",
                  check_deliverability=False),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    job_title = StringField(
        "Job title", widget=GovTextInput(),
        validators=[InputRequired(message="Enter your job title, for example Private hire driver"),
                    Length(max=200, message="Your job title must be 200 characters or fewer")],
    )
    code = StringField(
        "Registration code", widget=GovTextInput(),
        validators=[Length(max=40, message="A registration code is 14 characters, like K7RM-4QXD-9TCA")],
    )
    agency = SelectField("Your agency", widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Register", widget=GovSubmitInput())

    def validate_name(self, field):
        if not field.data.strip():
            raise ValidationError("Enter your full name")

    def validate_job_title(self, field):
        if not field.data.strip():
            raise ValidationError("Enter your job title, for example Private hire driver")
