"""What revoking a certificate would do to the compliance figures, said on the confirmation page.

The figures are the reports area's (its rule for who counts, on today's date), and reports sits
above certificates in the layers: it registers a provider here
(:func:`register_revocation_figures`), as certificates registers its link with learning. Without
one (an app built without reports) the page says the effect in words only.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import current_app

from modules.certificates.models import Certificate


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass(frozen=True)
class FigureChange:
    """One person's place in their agency's figure for the certificate's course, today."""

    person: str
    agency: str
    course_title: str
    counted: bool  # required of them, so in the agency's figure at all
    covered_now: bool
    covered_after: bool  # once the completion is withdrawn
    # An earlier completion that keeps them covered once this one is withdrawn: until when.
    earlier_until: date | None
    covered: int  # people covered in the agency's figure today
    in_scope: int

    @property
    def changes(self) -> bool:
        return self.counted and self.covered_now and not self.covered_after

    @property
    def before_percent(self) -> int | None:
        return _percent(self.covered, self.in_scope)

    @property
    def covered_later(self) -> int:
        return self.covered - (1 if self.changes else 0)

    @property
    def after_percent(self) -> int | None:
        return _percent(self.covered_later, self.in_scope)


RevocationFigures = Callable[[Certificate], FigureChange | None]
_EXTENSION_KEY = "sightline_revocation_figures"


def register_revocation_figures(app, provider: RevocationFigures) -> None:
    app.extensions[_EXTENSION_KEY] = provider


def revocation_figures(certificate: Certificate) -> FigureChange | None:
    """The figures for ``certificate``'s person and course today (None: no provider)."""
    provider = current_app.extensions.get(_EXTENSION_KEY)
    return provider(certificate) if provider else None
