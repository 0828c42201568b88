"""Form widgets every feature shares: govuk-frontend-wtf's, with what Sightline needs changed."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovDateInput as _LibraryDateInput
from wtforms import DateField
from wtforms.fields.choices import SelectChoice

from modules.core.params import EARLIEST_DATE, LATEST_DATE, in_date_range


class GovDateInput(_LibraryDateInput):
    """The GOV.UK date input (day, month and year boxes), without ``required`` on its wrapper.

    govuk-frontend-wtf copies a required field's ``required`` onto the date input's outer
    ``<div>``, where HTML does not allow it (only ``<input>``, ``<select>`` and ``<textarea>``
    take it) and nothing reads it. The field's validator already says what is missing.
    """

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        params["attributes"].pop("required", None)
        return params


class GovDateField(DateField):
    """A day/month/year date (GOV.UK date input) that copes with missing or partial boxes.

    The GOV.UK widget unpacks exactly three values; anything else (no boxes sent, a hand-made
    URL) is treated as "not given", with an error if something partial was sent.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", "%d %m %Y")
        kwargs.setdefault("widget", GovDateInput())
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(f"{self.label.text} must be a real date") from None
        if self.data is not None and not in_date_range(self.data):
            self.data = None
            raise ValueError(
                f"{self.label.text} must be between {EARLIEST_DATE.year} and {LATEST_DATE.year}"
            )

    def process(self, formdata, data=None, **kwargs):
        super().process(formdata, data, **kwargs)
        if self.raw_data is not None and len(self.raw_data) != 3:
            if any(value.strip() for value in self.raw_data):
                self.process_errors.append(f"Enter {self.label.text.lower()} as a day, month and year")
            self.raw_data = None
            self.data = None
        elif self.raw_data is not None and not any(value.strip() for value in self.raw_data):
            # Three empty boxes: nothing was entered (not "an invalid date").
            self.process_errors = []
            self.data = None


def select_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices (tuples are deprecated from WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]
