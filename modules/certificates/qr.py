"""QR codes for certificates, as SVG data URIs (no files, nothing fetched)."""
from __future__ import annotations

import segno


def qr_svg_data_uri(text: str) -> str:
    """A black-on-white QR code of ``text`` as an ``image/svg+xml`` data URI.

    Error correction "M" survives a crease or a smudged print; the 4-module quiet zone is part of
    the image so that the design cannot crowd it out. ``omitsize`` leaves the printed size to CSS.
    """
    code = segno.make(text, error="m", boost_error=False)
    return code.svg_data_uri(border=4, dark="#000", light="#fff", omitsize=True)
