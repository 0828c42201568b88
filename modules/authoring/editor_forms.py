"""Forms of the editor and the publish page."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import HiddenField, IntegerField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError
from wtforms.widgets import HiddenInput

from modules.content.source import MAX_FILE_BYTES

NOTE_MAX = 500


class EditorForm(FlaskForm):
    # Rendered by hand in templates/authoring/editor.html (the editor script finds it by id).
    text = TextAreaField("Text of the file")
    revision = IntegerField(widget=HiddenInput(), default=0)
    submit = SubmitField("Save draft", widget=GovSubmitInput())

    def validate_text(self, field) -> None:
        size = len((field.data or "").encode("utf-8"))
        if size > MAX_FILE_BYTES:
            raise ValidationError(
                f"The text is too long to save ({size:,} bytes; a file can be at most "
                f"{MAX_FILE_BYTES:,}). Split it into two modules, or shorten it."
            )

    def validate_revision(self, field) -> None:
        if field.data is None or field.data < 0:
            raise ValidationError("The form was out of date: open the file again and redo your change.")


class DiscardForm(FlaskForm):
    revision = IntegerField(widget=HiddenInput(), default=0)
    confirm = HiddenField(default="")
    submit = SubmitField("Discard the draft", widget=GovSubmitInput())


class PublishForm(FlaskForm):
    note = TextAreaField(
        "Change note",
        description="What changed and why, for the course history (for example "
                    "\u201cAdds the 2026 guidance on online grooming\u201d).",
        validators=[
            InputRequired(message="Enter a change note: what changed and why"),
            Length(max=NOTE_MAX, message=f"The change note must be {NOTE_MAX} characters or fewer"),
        ],
        widget=GovTextArea(),
    )
    submit = SubmitField("Publish", widget=GovSubmitInput())
