"""Certificate fixtures. Rendering needs no database, so none of these use `app`."""
from __future__ import annotations

import pytest

from modules.certificates.sample import sample_certificate
from tests.certificates.certificate_helpers import DESIGNS_ROOT


@pytest.fixture(scope="session")
def renderer():
    from modules.certificates.rendering import CertificateRenderer

    return CertificateRenderer(DESIGNS_ROOT)


@pytest.fixture(scope="session")
def sample():
    return sample_certificate()


@pytest.fixture(scope="session")
def sample_pdf(renderer, sample) -> bytes:
    return renderer.render(sample)
