"""Made-up certificate data for previews, tests and benchmarks (no real person or case)."""
from __future__ import annotations

from datetime import date

from modules.certificates.data import CertificateData

SAMPLE_VERIFICATION_CODE = "7KQ3-M9XD-2WFH-P4TC"


def sample_certificate(
    partnership_name: str = "Northshire Safeguarding Children Partnership",
    base_url: str = "https://sightline.example.org",
    **changes,
) -> CertificateData:
    """A complete, realistic certificate; pass keyword arguments to change any field."""
    values = dict(
        partnership_name=partnership_name,
        learner_name="Jordan Sample-Pemberton",
        agency_name="Northshire Constabulary",
        course_title="Recognising and responding to child sexual exploitation",
        course_code="CSE-L1",
        course_level=1,
        cpd_minutes=150,
        completed_on=date(2025, 11, 25),
        expires_on=date(2028, 11, 25),
        content_version="3f9c2a7b1e4d5c6a8b9f0e1d2c3b4a5968778695",
        certificate_number="NSCP-2025-000123",
        verification_code=SAMPLE_VERIFICATION_CODE,
        verify_url=f"{base_url.rstrip('/')}/verify/{SAMPLE_VERIFICATION_CODE}",
    )
    values.update(changes)
    return CertificateData(**values)
