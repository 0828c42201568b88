"""The URL fetcher: a design may load data: URIs and its own files, and nothing else."""
from pathlib import Path

import pytest

from modules.certificates.errors import CertificateDesignError
from modules.certificates.rendering import CertificateRenderer
from modules.core.fetcher import DesignURLFetcher, RefusedURLError
from tests.certificates.certificate_helpers import DESIGNS_ROOT


@pytest.fixture
def fetcher():
    return DesignURLFetcher(DESIGNS_ROOT / "default")


def test_allows_a_file_in_the_design_folder(fetcher):
    url = (DESIGNS_ROOT / "default" / "logo.svg").as_uri()
    response = fetcher.fetch(url)
    try:
        assert response.content_type == "image/svg+xml"
        assert response.read().startswith(b"<svg")
    finally:
        response.close()


def test_allows_data_uris(fetcher):
    response = fetcher.fetch("data:text/plain,hello")
    try:
        assert response.read() == b"hello"
    finally:
        response.close()


def _escape_urls() -> list[str]:
    design = (DESIGNS_ROOT / "default").as_uri()
    return [
        "file:///etc/passwd",
        f"{design}/../../../../etc/passwd",
        f"{design}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        f"{design}/../default-evil/logo.svg",  # a sibling whose name starts the same
        (DESIGNS_ROOT.parent / "pyproject.toml").as_uri(),
        "file://otherhost/etc/passwd",
        f"{design}/",  # the folder itself is not a file
        f"{design}/missing.png",
        "http://127.0.0.1/",
        "https://example.org/logo.png",
        "ftp://example.org/logo.png",
        "//example.org/logo.png",
    ]


@pytest.mark.parametrize("url", _escape_urls())
def test_refuses_everything_else(fetcher, url):
    with pytest.raises(RefusedURLError):
        fetcher.fetch(url)


def test_refuses_a_symlink_pointing_outside(tmp_path):
    design = tmp_path / "linked"
    design.mkdir()
    (design / "passwd").symlink_to("/etc/passwd")
    with pytest.raises(RefusedURLError):
        DesignURLFetcher(design).fetch((design / "passwd").as_uri())


def _write_design(root: Path, name: str, body: str, css: str = "p { color: black }") -> None:
    folder = root / name
    folder.mkdir()
    (folder / "certificate.html").write_text(
        f'<!DOCTYPE html><html lang="en-GB"><head><title>t</title></head><body>{body}'
        "<p>{{ learner_name }}</p></body></html>"
    )
    (folder / "certificate.css").write_text(css)
    (folder / "pixel.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">'
        '<rect width="1" height="1"/></svg>'
    )


@pytest.mark.parametrize(
    "body",
    [
        '<img src="../../../../etc/passwd" alt="x">',
        '<img src="file:///etc/passwd" alt="x">',
        '<img src="http://127.0.0.1:9/tracker.png" alt="x">',
        '<link rel="stylesheet" href="file:///etc/passwd">',
    ],
)
def test_a_design_that_reaches_outside_fails_to_render(tmp_path, sample, body):
    _write_design(tmp_path, "sneaky", body)
    renderer = CertificateRenderer(tmp_path)
    with pytest.raises(CertificateDesignError, match="sneaky"):
        renderer.render(sample, design="sneaky")


def test_a_stylesheet_that_reaches_outside_fails_to_load(tmp_path, sample):
    _write_design(tmp_path, "sneaky", "", css='body { background: url("file:///etc/passwd") }')
    renderer = CertificateRenderer(tmp_path)
    with pytest.raises(CertificateDesignError, match="sneaky"):
        renderer.render(sample, design="sneaky")


def test_a_design_may_use_its_own_files(tmp_path, sample):
    _write_design(tmp_path, "plain", '<img src="pixel.svg" alt="A square">')
    pdf = CertificateRenderer(tmp_path).render(sample, design="plain")
    assert pdf.startswith(b"%PDF-")
