from dataclasses import replace

import pytest
from pypdf.generic import BooleanObject, NameObject

from modules.certificates.designs import available_designs
from modules.certificates.errors import CertificateConfigError, UnknownDesignError
from modules.certificates.rendering import CertificateRenderer
from tests.certificates.certificate_helpers import (
    DESIGNS_ROOT,
    decode_qr_codes,
    pdf_reader,
    pdf_text,
)


def test_pdf_shows_everything_the_certificate_states(sample_pdf, sample):
    text = pdf_text(sample_pdf)
    for expected in (
        sample.partnership_name.upper(),  # the masthead is set in capitals
        "Jordan Sample-Pemberton",
        "Northshire Constabulary",
        "Recognising and responding to child sexual exploitation",
        "CSE-L1",
        "Level 1: awareness",
        "2 hours 30 minutes",
        "25 November 2025",
        "25 November 2028",
        "3f9c2a7b1e4d",
        "NSCP-2025-000123",
        "7KQ3-M9XD-2WFH-P4TC",
    ):
        assert expected in text, f"{expected!r} not found in the PDF text"
    # The short hash, not the full one, is what is printed.
    assert sample.content_version not in text


def test_pdf_is_a_single_page(sample_pdf):
    assert len(pdf_reader(sample_pdf).pages) == 1


def test_pdf_is_tagged_for_accessibility(sample_pdf):
    catalog = pdf_reader(sample_pdf).trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert catalog["/StructTreeRoot"]["/K"]  # a structure tree with content, not an empty shell
    assert catalog["/Lang"] == "en-GB"
    # Viewers show the title (not the file name) in the window bar, as PDF/UA requires.
    assert catalog["/ViewerPreferences"][NameObject("/DisplayDocTitle")] == BooleanObject(True)


def test_pdf_metadata(sample_pdf):
    metadata = pdf_reader(sample_pdf).metadata
    assert metadata.title == (
        "Certificate of completion: Recognising and responding to child sexual exploitation, "
        "Jordan Sample-Pemberton"
    )
    assert metadata.author == "Northshire Safeguarding Children Partnership"
    assert metadata.subject.startswith("CSE-L1 ")
    xmp = pdf_reader(sample_pdf).trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in xmp  # PDF/UA identification, claimed by the pdf/ua-1 variant


def test_qr_code_decodes_to_the_verification_url(sample_pdf, sample, tmp_path):
    assert decode_qr_codes(sample_pdf, tmp_path) == [sample.verify_url]


def test_verification_url_is_a_link(sample_pdf, sample):
    page = pdf_reader(sample_pdf).pages[0]
    uris = [annot.get_object()["/A"]["/URI"] for annot in page.get("/Annots", [])]
    assert sample.verify_url in uris


@pytest.mark.parametrize(
    "hostile",
    [
        '<script>alert("x")</script>',
        '"><img src="file:///etc/passwd">',
        "{{ 7*7 }} & <b>bold</b>",
    ],
)
def test_hostile_names_print_literally(renderer, sample, hostile):
    data = replace(sample, learner_name=hostile, agency_name=hostile)
    html = renderer.render_html(data)
    assert hostile not in html  # escaped in the HTML...
    assert "&lt;" in html
    text = pdf_text(renderer.render(data))
    compact = text.replace("\n", "")
    assert hostile in compact  # ...and shown character for character on the certificate


def test_unknown_design_names_it_and_the_available_ones(renderer, sample):
    with pytest.raises(UnknownDesignError) as caught:
        renderer.render(sample, design="gold-foil")
    message = str(caught.value)
    assert "'gold-foil'" in message
    assert "default" in message
    assert caught.value.available == available_designs(DESIGNS_ROOT)


@pytest.mark.parametrize("name", ["../certificates/default", "default/..", ".", "", "Default"])
def test_design_names_cannot_escape_the_designs_folder(renderer, sample, name):
    with pytest.raises(UnknownDesignError):
        renderer.render(sample, design=name)


def test_available_designs_lists_only_complete_designs(tmp_path):
    (tmp_path / "complete").mkdir()
    (tmp_path / "complete" / "certificate.html").write_text("<p>x</p>")
    (tmp_path / "complete" / "certificate.css").write_text("p {}")
    (tmp_path / "no-css").mkdir()
    (tmp_path / "no-css" / "certificate.html").write_text("<p>x</p>")
    (tmp_path / ".hidden").mkdir()
    assert available_designs(tmp_path) == ["complete"]
    assert "default" in available_designs(DESIGNS_ROOT)


def test_configured_logo_replaces_the_design_emblem(sample, tmp_path):
    logo = tmp_path / "partnership.svg"
    logo.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        '<rect width="10" height="10" fill="#000"/></svg>'
    )
    renderer = CertificateRenderer(DESIGNS_ROOT, logo_path=logo)
    html = renderer.render_html(sample)
    assert 'src="data:image/svg+xml;base64,' in html
    assert 'src="logo.svg"' not in html
    assert pdf_text(renderer.render(sample))  # renders: the data: URI passes the fetcher


def test_default_logo_is_the_designs_own(renderer, sample):
    assert 'src="logo.svg"' in renderer.render_html(sample)


def test_missing_configured_logo_is_a_clear_error(tmp_path):
    with pytest.raises(CertificateConfigError, match="not found"):
        CertificateRenderer(DESIGNS_ROOT, logo_path=tmp_path / "absent.png")
    with pytest.raises(CertificateConfigError, match=r"\.svg, \.png or \.jpg"):
        CertificateRenderer(DESIGNS_ROOT, logo_path=tmp_path / "logo.gif")


def test_level_and_long_values_stay_on_one_page(renderer, sample, tmp_path):
    data = replace(
        sample,
        learner_name="Alexandra-Rose Montgomery-Fitzwilliam Okonkwo-Lindqvist " * 2,
        course_title="Child sexual exploitation: specialist practice in strategy meetings " * 3,
        course_level=3,
        cpd_minutes=361,
    )
    pdf = renderer.render(data)
    assert len(pdf_reader(pdf).pages) == 1
    text = pdf_text(pdf)
    assert "Level 3: specialist" in text
    assert "6 hours 1 minute" in text
    assert decode_qr_codes(pdf, tmp_path) == [data.verify_url]
