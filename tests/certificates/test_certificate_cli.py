"""`flask certificates designs` and `flask certificates preview` (no database involved)."""
import pytest
from pypdf import PdfReader

from modules.certificates import get_renderer
from modules.certificates.sample import sample_certificate
from modules.core.factory import create_app
from tests.certificates.certificate_helpers import decode_qr_codes, pdf_text


@pytest.fixture
def cli_runner(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-that-is-long-enough-for-tests")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'unused.db'}")
    monkeypatch.setenv("SIGHTLINE_PARTNERSHIP_NAME", "Eastmoor Safeguarding Partnership")
    monkeypatch.setenv("SIGHTLINE_BASE_URL", "https://learn.eastmoor.example")
    app = create_app({"TESTING": True})
    return app.test_cli_runner()


def test_designs_lists_the_default_design(cli_runner):
    result = cli_runner.invoke(args=["certificates", "designs"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("default (A4 landscape)")


def test_preview_writes_a_sample_certificate(cli_runner, tmp_path):
    out = tmp_path / "preview.pdf"
    result = cli_runner.invoke(args=["certificates", "preview", "--out", str(out)])
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    assert len(PdfReader(out).pages) == 1
    assert "EASTMOOR SAFEGUARDING PARTNERSHIP" in pdf_text(pdf)
    assert decode_qr_codes(pdf, tmp_path) == [
        "https://learn.eastmoor.example/verify/7KQ3-M9XD-2WFH-P4TC"
    ]


def test_preview_of_an_unknown_design_says_which_exist(cli_runner, tmp_path):
    result = cli_runner.invoke(
        args=["certificates", "preview", "--design", "nope", "--out", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == 1
    assert "'nope'" in result.output and "default" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_configured_logo_reaches_the_renderer(monkeypatch, tmp_path):
    logo = tmp_path / "our-logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect '
                    'width="4" height="4"/></svg>')
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-that-is-long-enough-for-tests")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'unused.db'}")
    monkeypatch.setenv("SIGHTLINE_PARTNERSHIP_LOGO", str(logo))
    app = create_app({"TESTING": True})
    renderer = get_renderer(app)
    assert get_renderer(app) is renderer  # one per app, reused
    html = renderer.render_html(sample_certificate())
    assert 'src="data:image/svg+xml;base64,' in html
    assert 'src="logo.svg"' not in html
