"""Forms of the history pages: choosing two versions to compare, and confirming a restore."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea
from wtforms import IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import HiddenInput

from modules.core.params import whole_number

NOTE_MAX_LENGTH = 2000


def _number(value) -> int | None:
    """A version number from the query string; None for anything else (then an error, not a 500)."""
    return value if isinstance(value, int) else whole_number(value)


class CompareForm(FlaskForm):
    """Sent by GET (``?from=1&to=3``): comparing changes nothing, so no CSRF token."""

    class Meta:
        csrf = False

    older = SelectField("Compare version", name="from", coerce=_number, validate_choice=False,
                        widget=GovSelect(), validators=[InputRequired(message="Choose the version to compare from")])
    newer = SelectField("with version", name="to", coerce=_number, validate_choice=False,
                        widget=GovSelect(), validators=[InputRequired(message="Choose the version to compare with")])
    submit = SubmitField("Compare", widget=GovSubmitInput())

    def __init__(self, *args, numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, f"Version {n}") for n in numbers]
        self.older.choices = choices
        self.newer.choices = choices

    def validate_older(self, field) -> None:
        _known_version(field)

    def validate_newer(self, field) -> None:
        _known_version(field)


def _known_version(field) -> None:
    if field.data not in [number for number, _ in field.choices]:
        raise ValidationError("There is no such version of this file: choose one from the list")


class RestoreForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    note = TextAreaField(
        "Change note",
        description="Why you are restoring this version. It is kept with the new version in the "
        "history.",
        widget=GovTextArea(),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired(message="Enter a change note saying why you are restoring this version"),
            Length(max=NOTE_MAX_LENGTH,
                   message=f"The change note must be {NOTE_MAX_LENGTH} characters or fewer"),
        ],
    )
    submit = SubmitField("Restore this version", widget=GovSubmitInput())
