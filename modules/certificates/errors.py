"""Exceptions raised while rendering certificates."""
from __future__ import annotations


class CertificateError(Exception):
    """Base class: something stopped a certificate being rendered."""


class UnknownDesignError(CertificateError, LookupError):
    """The requested design folder does not exist (or is not a complete design)."""

    def __init__(self, design: str, available: list[str]):
        self.design = design
        self.available = list(available)
        listed = ", ".join(self.available) if self.available else "none found"
        super().__init__(
            f"There is no certificate design called {design!r}. Available designs: {listed}."
        )


class CertificateDesignError(CertificateError):
    """A design is broken: a template error, or it asked for a resource it may not load."""


class CertificateConfigError(CertificateError):
    """The certificate settings (for example SIGHTLINE_PARTNERSHIP_LOGO) are unusable."""
