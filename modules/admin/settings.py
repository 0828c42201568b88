"""The partnership settings page's services: what learners see today, the logo, and whether the
public address certificates print matches the one the site is served on.

Plain functions: they never commit and never read the request (the view passes the address the
request came in on). The values themselves live in :mod:`modules.core.partnership_settings`.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from urllib.parse import urlsplit

from PIL import Image, UnidentifiedImageError

from modules.core import audit, partnership_settings
from modules.core.extensions import db
from modules.core.models import PartnershipAsset, utcnow
from modules.learning.contacts import LocalContacts, local_contacts, parse_contacts

LOGO = "logo"
LOGO_MAX_BYTES = 1024 * 1024
# Big enough for a sharp header and certificate; a larger upload is scaled down, not refused.
LOGO_MAX_SIDE = 800
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


# Local contacts ------------------------------------------------------------------------------

def contacts_from_file() -> LocalContacts:
    """The contacts in the YAML seed file (what learners see while nobody has set them here)."""
    return local_contacts()


def current_contacts() -> LocalContacts:
    """What learners see today: the contacts set on this page, else the seed file's."""
    value = partnership_settings.get("local_contacts")
    if value is None:
        return contacts_from_file()
    try:
        return parse_contacts(value)
    except ValueError:
        # Saved values were checked with the same parser; a later, stricter parser must not
        # take the contacts away from learners.
        return contacts_from_file()


# Logo --------------------------------------------------------------------------------------

class LogoRefused(ValueError):
    """The upload is not a logo we can show; the message says why, for the error summary."""


@dataclass(frozen=True)
class Logo:
    sha256: str
    content_type: str

    @property
    def extension(self) -> str:
        return "png" if self.content_type == "image/png" else "jpg"


def prepared_logo(data: bytes) -> tuple[bytes, str]:
    """The uploaded file as the bytes we keep: a PNG or JPEG, checked by decoding it with
    Pillow and written out again (which drops metadata such as a photo's location and anything
    hidden after the picture), scaled down to ``LOGO_MAX_SIDE``.

    :raise LogoRefused: saying what is wrong.
    """
    if not data:
        raise LogoRefused("Select a logo to upload")
    if len(data) > LOGO_MAX_BYTES:
        raise LogoRefused("The logo must be smaller than 1 MB")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
        if kind not in LOGO_TYPES:
            raise LogoRefused("The logo must be a PNG or JPEG file")
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > 40_000_000:
                raise LogoRefused("The logo's picture is too large: use one under 4000 by 4000 pixels")
            image.load()
            image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
            out = io.BytesIO()
            if kind == "PNG":
                image.save(out, "PNG", optimize=True)
            else:
                image.convert("RGB").save(out, "JPEG", quality=90)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as exc:
        raise LogoRefused("The logo must be a PNG or JPEG file") from exc
    return out.getvalue(), LOGO_TYPES[kind]


def save_logo(data: bytes, content_type: str, *, actor) -> Logo:
    """Keep ``data`` (from :func:`prepared_logo`) as the partnership's logo; audited; not committed."""
    digest = hashlib.sha256(data).hexdigest()
    row = db.session.get(PartnershipAsset, LOGO)
    before = row.sha256 if row is not None else None
    if row is None:
        row = PartnershipAsset(name=LOGO)
        db.session.add(row)
    row.content_type, row.data, row.sha256 = content_type, data, digest
    row.updated_at = utcnow()
    row.updated_by_id = getattr(actor, "id", None)
    audit.record("settings.logo_changed", actor=actor, setting=LOGO, before=before, after=digest,
                 size=len(data))
    partnership_settings.put(LOGO, {"sha256": digest, "content_type": content_type}, actor=actor, audited=False)
    return Logo(digest, content_type)


def remove_logo(*, actor) -> bool:
    """Go back to no logo; audited; not committed."""
    row = db.session.get(PartnershipAsset, LOGO)
    if row is None:
        return False
    audit.record("settings.logo_removed", actor=actor, setting=LOGO, before=row.sha256)
    db.session.delete(row)
    partnership_settings.reset(LOGO, actor=actor, audited=False)
    return True


def stored_logo(sha256: str) -> tuple[bytes, str] | None:
    """The logo's bytes and type, if ``sha256`` is the current logo's."""
    row = db.session.get(PartnershipAsset, LOGO)
    if row is None or row.sha256 != sha256:
        return None
    return row.data, row.content_type


def current_logo() -> Logo | None:
    """The logo shown in the header, or None. Every page shows it, so it is read with the other
    partnership settings (one query in all; learner pages have query budgets)."""
    value = partnership_settings.get(LOGO)
    return Logo(value["sha256"], value["content_type"]) if isinstance(value, dict) else None


# The public address ------------------------------------------------------------------------

@dataclass(frozen=True)
class PublicAddress:
    base_url: str  # what certificates print (SIGHTLINE_BASE_URL)
    served_at: str  # the address this request came in on
    matches: bool
    development: bool  # not production: certificates print a development address

    @property
    def warn(self) -> bool:
        return not self.matches


def _normalised(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port is not None and (scheme, port) not in {("http", 80), ("https", 443)}:
        host = f"{host}:{port}"
    return scheme, host, parts.path.rstrip("/")


def public_address(base_url: str, served_at: str, *, production: bool) -> PublicAddress:
    """Whether the address certificates print (``base_url``) is the one the site is served on
    (``served_at``: the request's root URL, after a trusted proxy's headers are applied)."""
    return PublicAddress(
        base_url=base_url.rstrip("/"), served_at=served_at.rstrip("/"),
        matches=_normalised(base_url) == _normalised(served_at), development=not production,
    )
