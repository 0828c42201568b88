"""Forms of the partnership settings page: one per section, each with Preview and Save.

A repeated row (a support line, a contact) left completely empty is dropped, which is how a row
is removed; a few empty rows are always offered for adding.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import phonenumbers
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from phonenumbers import shortnumberinfo
from wtforms import (
    FieldList,
    Form,
    FormField,
    IntegerField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Email, Length, NumberRange, ValidationError
from wtforms.validators import Optional as OptionalValue

from modules.learning.contacts import parse_contacts

BLANK_ROWS = 2
MAX_ROWS = 20
TEXT_MAX = 200


def _strip(value):
    return " ".join(value.split()) if isinstance(value, str) else value


def phone_problem(value: str) -> str | None:
    """Why ``value`` is not a UK telephone number (or an international one with +), or None."""
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return "Enter a telephone number, like 0808 800 5000 or 116 123"
    if phonenumbers.is_valid_number(number) or shortnumberinfo.is_valid_short_number(number):
        return None
    return "Enter a telephone number that exists, like 0808 800 5000 or 116 123"


def _phone(form, field):
    if field.data:
        problem = phone_problem(field.data)
        if problem:
            raise ValidationError(problem)


def _https(form, field):
    if field.data:
        parts = urlsplit(field.data)
        if parts.scheme != "https" or not parts.hostname or " " in field.data:
            raise ValidationError("Enter a web address starting https://, like https://www.samaritans.org")


def _text(label, *, description=None, validators=(), max_length=TEXT_MAX, **kwargs):
    return StringField(
        label, description=description, widget=GovTextInput(), filters=[_strip],
        validators=[*validators, Length(max=max_length, message=f"{label} must be {max_length} characters or fewer")],
        **kwargs,
    )


class _Row(Form):
    """A repeated row: empty rows are dropped; a row with anything in it needs a name."""

    def is_empty(self) -> bool:
        return not any((field.data or "").strip() for field in self if isinstance(field.data, str))

    def validate_name(self, field):
        if not field.data and not self.is_empty():
            raise ValidationError("Enter the name, or clear the whole row to remove it")


class SupportLineRow(_Row):
    name = _text("Name", description="For example, Samaritans")
    audience = _text("Who it is for", description="Said after the name, for example: if this training "
                 "has upset you, day or night, free")
    phone = _text("Telephone", validators=[_phone])
    url = _text("Web address", validators=[_https], max_length=500)

    def validate_url(self, field):
        if not self.is_empty() and not field.data and not self.phone.data:
            raise ValidationError("Enter a telephone number or a web address")

    def value(self) -> dict:
        return {"name": self.name.data, "for": self.audience.data, "phone": self.phone.data, "url": self.url.data}


class ContactRow(_Row):
    name = _text("Name", description="For example, Northshire children's services front door")
    phone = _text("Telephone", validators=[_phone])
    email = _text("Email", validators=[OptionalValue(), Email(message="Enter an email address, like "
                                                                     "safeguarding@example.org")])
    hours = _text("Hours", description="For example, Monday to Friday, 9am to 5pm")
    notes = _text("Notes", max_length=500)

    def value(self) -> dict:
        return {key: getattr(self, key).data for key in ("name", "phone", "email", "hours", "notes")
                if getattr(self, key).data}


class _Prefixed(FlaskForm):
    """Several forms share the page: a prefix keeps their fields' names and ids apart."""

    prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", self.prefix)
        super().__init__(*args, **kwargs)


class _Section(_Prefixed):
    preview = SubmitField("Preview", widget=GovSubmitInput())
    save = SubmitField("Save", widget=GovSubmitInput())

    @property
    def previewing(self) -> bool:
        return bool(self.preview.data)


def _rows(form: FieldList) -> list:
    return [entry.form for entry in form.entries if not entry.form.is_empty()]


class SupportLinesForm(_Section):
    prefix = "support"
    lines = FieldList(FormField(SupportLineRow), min_entries=1, max_entries=MAX_ROWS + BLANK_ROWS)

    def validate_lines(self, field):
        if not _rows(field):
            raise ValidationError("Enter at least one support line")

    def value(self) -> list[dict]:
        return [row.value() for row in _rows(self.lines)]


class EmployerLineForm(_Section):
    prefix = "employer"
    name = _text("Name", description="For example, Northshire employee assistance programme. Leave every "
                 "field empty if there is no staff support line to show")
    phone = _text("Telephone", validators=[_phone])
    hours = _text("Hours", description="For example, 24 hours a day, every day")
    url = _text("Web address", validators=[_https], max_length=500)

    def _empty(self) -> bool:
        return not any((self.name.data, self.phone.data, self.hours.data, self.url.data))

    def validate_name(self, field):
        if not field.data and not self._empty():
            raise ValidationError("Enter the name of the staff support line, or clear every field to show none")

    def validate_url(self, field):
        if not self._empty() and not field.data and not self.phone.data:
            raise ValidationError("Enter a telephone number or a web address")

    def value(self) -> dict | None:
        if self._empty():
            return None
        return {"name": self.name.data, "phone": self.phone.data, "hours": self.hours.data, "url": self.url.data}


class LocalContactsForm(_Section):
    prefix = "contacts"
    intro = TextAreaField(
        "Introduction", description="Optional: shown above the contacts", widget=GovTextArea(),
        filters=[_strip], validators=[Length(max=1000, message="The introduction must be 1000 characters or fewer")],
    )
    contacts = FieldList(FormField(ContactRow), min_entries=1, max_entries=MAX_ROWS + BLANK_ROWS)

    def validate_contacts(self, field):
        try:
            parse_contacts(self.value())
        except ValueError as exc:
            if not _rows(field):
                raise ValidationError("Enter at least one contact, or reset to the file") from exc
            raise ValidationError(f"The contacts cannot be used: {exc}") from exc

    def value(self) -> dict:
        return {"intro": self.intro.data or "", "contacts": [row.value() for row in _rows(self.contacts)]}


class PercentField(IntegerField):
    """A whole percentage; "Enter a whole number" rather than WTForms' "Not a valid integer value"."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata([str(value).strip().rstrip("%").strip() for value in valuelist])
        except ValueError:
            raise ValueError(self.whole_number_message) from None

    def __init__(self, *args, whole_number_message: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.whole_number_message = whole_number_message


class TargetsForm(_Section):
    prefix = "targets"
    target = PercentField(
        "Compliance target (%)", description="The share of required training that should be covered, "
        "for example 90", widget=GovTextInput(),
        validators=[NumberRange(0, 100, message="Enter a target from 0 to 100")],
        whole_number_message="Enter the compliance target as a whole number, like 90",
    )
    amber = PercentField(
        "Amber from (%)", description="Below the target but at or above this is amber; below it is red. "
        "It cannot be above the target", widget=GovTextInput(),
        validators=[NumberRange(0, 100, message="Enter an amber threshold from 0 to 100")],
        whole_number_message="Enter the amber threshold as a whole number, like 75",
    )

    def validate_amber(self, field):
        if field.data is not None and self.target.data is not None and field.data > self.target.data:
            raise ValidationError("The amber threshold cannot be above the target")


class LogoForm(_Prefixed):
    prefix = "logo"
    logo = FileField("Upload a logo", description="A PNG or JPEG file, smaller than 1 MB. It is shown, "
                     "small, in the header of every page", widget=GovFileInput())
    upload = SubmitField("Upload logo", widget=GovSubmitInput())


class ResetContactsForm(_Prefixed):
    prefix = "reset-contacts"
    reset = SubmitField("Reset to the file", widget=GovSubmitInput())


class RemoveLogoForm(_Prefixed):
    prefix = "remove-logo"
    remove = SubmitField("Remove the logo", widget=GovSubmitInput())


def support_line_rows(lines: list[dict]) -> list[dict]:
    """Stored support lines as the form's rows, and the empty rows offered for adding."""
    rows = [{"name": line.get("name", ""), "audience": line.get("for", ""), "phone": line.get("phone", ""),
             "url": line.get("url", "")} for line in lines[:MAX_ROWS]]
    return rows + [{}] * BLANK_ROWS


def contact_rows(contacts) -> list[dict]:
    """Contacts (:class:`~modules.learning.contacts.Contact`) as the form's rows, and empty rows."""
    rows = [{key: getattr(contact, key) for key in ("name", "phone", "email", "hours", "notes")}
            for contact in list(contacts)[:MAX_ROWS]]
    return rows + [{}] * BLANK_ROWS
