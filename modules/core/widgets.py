"""Form widgets every feature shares: govuk-frontend-wtf's, with what Sightline needs changed."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovDateInput as _LibraryDateInput


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
