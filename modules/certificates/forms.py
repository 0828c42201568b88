"""Certificate forms: the verification code, the manager's filter, revocation."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, StopValidation, ValidationError

from modules.certificates.codes import normalise_code
from modules.certificates.models import RevocationCategory
from modules.certificates.services import REASON_MAX_LENGTH
from modules.core.widgets import GovDateInput


class VerifyForm(FlaskForm):
    """Sent by GET: looking a code up changes nothing, and needs no cookie or CSRF token."""

    class Meta:
        csrf = False

    code = StringField(
        "Verification code",
        description="The 16 letters and numbers printed on the certificate under \u201cCheck this "
        "certificate\u201d, for example 7KQ3-M9XD-2WFH-P4TC. Capitals, spaces and hyphens do not matter.",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the verification code from the certificate")],
    )
    submit = SubmitField("Check certificate", widget=GovSubmitInput())

    def validate_code(self, field) -> None:
        if normalise_code(field.data) is None:
            raise ValidationError(
                "Enter the verification code as it is printed: 16 letters and numbers, "
                "like 7KQ3-M9XD-2WFH-P4TC"
            )


class _OptionalDate:
    """Like ``Optional()``, but only when day, month and year are *all* empty: a half-typed date
    is an error to fix, not a filter silently ignored."""

    def __call__(self, form, field) -> None:
        raw = [part.strip() for part in (field.raw_data or []) if part is not None]
        if not any(raw):
            field.errors[:] = []
            field.data = None
            raise StopValidation()
        if not all(raw) or len(raw) != 3:
            field.errors[:] = []
            raise StopValidation(f"{field.label.text} must include a day, month and year")


class CertificateFilterForm(FlaskForm):
    """Which of an agency's certificates to list and put in the ZIP (sent by GET)."""

    class Meta:
        csrf = False

    course = SelectField("Course", widget=GovSelect(), validate_choice=True, default="")
    completed_from = DateField(
        "Completed on or after", format="%d %m %Y", widget=GovDateInput(),
        description="For example, 1 4 2026", validators=[_OptionalDate()],
    )
    completed_to = DateField(
        "Completed on or before", format="%d %m %Y", widget=GovDateInput(),
        description="For example, 31 3 2027", validators=[_OptionalDate()],
    )
    submit = SubmitField("Show certificates", widget=GovSubmitInput())

    def __init__(self, *args, course_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.course.choices = [("", "All courses")] + [(str(i), label) for i, label in course_choices]
        # The GOV.UK date widget expects exactly day, month and year: a query string with none
        # or some of them (a hand-edited link) must show an error, not break the page.
        for field in (self.completed_from, self.completed_to):
            if field.raw_data is not None:
                field.raw_data = (list(field.raw_data) + ["", "", ""])[:3]

    def validate_completed_to(self, field) -> None:
        if field.data and self.completed_from.data and field.data < self.completed_from.data:
            raise ValidationError("\u201cCompleted on or before\u201d must be the same as or after "
                                  "\u201cCompleted on or after\u201d")

    @property
    def course_id(self):
        return int(self.course.data) if self.course.data else None


# The query-string keys of the filter (what a link back to the filtered page may carry).
FILTER_FIELDS = ("course", "completed_from", "completed_to")


# What each kind of revocation does to the person's training, said where the admin chooses it.
REVOCATION_HINTS = {
    RevocationCategory.issued_in_error: (
        "For example, it went to the wrong person or the training was never done. The completion "
        "is withdrawn too: it no longer counts in reports, and the person's My training shows the "
        "course as needing to be done again."
    ),
    RevocationCategory.details_wrong: (
        "For example, the name is misspelt. The completion still counts in reports and on the "
        "person's My training; only the certificate stops being valid."
    ),
    RevocationCategory.other: "The completion still counts in reports and on the person's My training.",
}


class RevokeForm(FlaskForm):
    category = RadioField(
        "What kind of reason is it?",
        choices=[SelectChoice(category.name, category.label) for category in RevocationCategory],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select what kind of reason it is")],
    )
    reason = TextAreaField(
        "Why is this certificate being revoked?",
        description="The reason goes in the audit log, which partnership admins can read. It is "
        "not shown on the public verification page or to the learner.",
        widget=GovTextArea(),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired(message="Enter why the certificate is being revoked"),
            Length(max=REASON_MAX_LENGTH,
                   message=f"The reason must be {REASON_MAX_LENGTH} characters or fewer"),
        ],
    )
    submit = SubmitField("Revoke certificate", widget=GovSubmitInput())
    # Sent from the confirmation page only: without it, the first POST shows what revoking does.
    confirm = SubmitField("Yes, revoke this certificate", widget=GovSubmitInput())

    @property
    def confirmed(self) -> bool:
        return bool(self.confirm.data)

    @property
    def category_items(self) -> list[dict]:
        """Per-option hints for the radios (the GOV.UK macro's ``items``, in choice order)."""
        return [{"hint": {"text": REVOCATION_HINTS[category]}} for category in RevocationCategory]

    @property
    def chosen_category(self) -> RevocationCategory:
        return RevocationCategory[self.category.data]


class ReinstateForm(FlaskForm):
    reason = TextAreaField(
        "Why is this certificate being reinstated?",
        description="For example, the revocation was a mistake. The reason goes in the audit log with the "
        "revocation's own reason.",
        widget=GovTextArea(),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired(message="Enter why the certificate is being reinstated"),
            Length(max=REASON_MAX_LENGTH,
                   message=f"The reason must be {REASON_MAX_LENGTH} characters or fewer"),
        ],
    )
    reinstate = SubmitField("Reinstate certificate", widget=GovSubmitInput())
