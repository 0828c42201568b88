"""Pictures uploaded for a course: checked by what the bytes are, stored by SHA-256, drafted.

A picture is judged by its bytes, never its name: a PNG is opened with Pillow (its size read
before any pixel is decoded, so a decompression bomb is refused unread, then decoded in full so a
truncated file is refused too); an SVG must be a drawing with no active content, by the same
test the checker and the asset route use. Anything else is refused. The bytes are stored as a
``ContentAsset`` (as the importer does) and the picture becomes a draft file of the folder, so it
is published with the course and previews resolve it from the working copy. Nothing here commits.
"""
from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from PIL import Image, UnidentifiedImageError
from sqlalchemy import select

from modules.authoring.drafts import current_revision, current_text, save_draft
from modules.authoring.workspace import drafts, published_files
from modules.content.blocks import body_lines
from modules.content.links import MAX_PICTURE_BYTES, find_links
from modules.content.models import ContentAsset
from modules.content.sanitise import ASSET_URL_PREFIX
from modules.core import audit
from modules.core.extensions import db
from modules.core.svg_safety import active_content

MAX_SIDE = 4000  # pixels, each way
MAX_PIXELS = MAX_SIDE * MAX_SIDE
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KINDS = {"PNG": ("image/png", ".png"), "JPEG": ("image/jpeg", ".jpg")}
_EXTENSIONS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".svg": "SVG"}


class PictureError(ValueError):
    """The upload cannot be used; the message says why and what to do."""

    def __init__(self, message: str, field: str = "file"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class CheckedPicture:
    media_type: str
    extension: str  # ".png", ".jpg" or ".svg"
    sha256: str
    width: int | None = None
    height: int | None = None


def check_picture(data: bytes, filename: str = "") -> CheckedPicture:
    """What ``data`` is, if it is a picture Sightline can show; :raise PictureError: if not."""
    if not data:
        raise PictureError("The selected file is empty")
    if len(data) > MAX_PICTURE_BYTES:
        raise PictureError(f"The picture must be smaller than 5 MB (this one is {len(data) / 1048576:.1f} MB)")
    sha = hashlib.sha256(data).hexdigest()
    if data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff":
        picture = _raster(data, sha)
    elif _looks_like_svg(data):
        picture = _svg(data, sha)
    else:
        raise PictureError("The file must be a PNG, JPEG or SVG picture")
    claimed = _EXTENSIONS.get(PurePosixPath(filename.lower()).suffix)
    actual = {".png": "PNG", ".jpg": "JPEG", ".svg": "SVG"}[picture.extension]
    if filename and claimed != actual:
        raise PictureError(f"The file is a {actual} picture but its name ends in "
                           f"'{PurePosixPath(filename).suffix or 'nothing'}': rename it to end in "
                           f"{picture.extension} and upload it again")
    return picture


def _raster(data: bytes, sha: str) -> CheckedPicture:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format
                width, height = image.size
                if kind not in _KINDS:
                    raise PictureError("The file must be a PNG, JPEG or SVG picture")
                if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                    raise PictureError(f"The picture is {width} by {height} pixels: it must be at most "
                                       f"{MAX_SIDE} by {MAX_SIDE}. Make it smaller and upload it again")
                image.verify()  # every chunk and checksum, to the end marker
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # decodes every pixel: a truncated or damaged file fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PictureError(f"The picture is too big in pixels: it must be at most {MAX_SIDE} by {MAX_SIDE}") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        if isinstance(exc, PictureError):
            raise
        raise PictureError("The picture is damaged or incomplete and cannot be opened: save it again "
                           "from the program that made it") from None
    media_type, extension = _KINDS[kind]
    return CheckedPicture(media_type, extension, sha, width, height)


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lstrip().lower()
    return head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in data[:65536].lower()


def _svg(data: bytes, sha: str) -> CheckedPicture:
    findings = active_content(data)
    if findings:
        listed = "; ".join(f"line {f.line}: {f.message}" for f in findings[:3])
        more = f" (and {len(findings) - 3} more)" if len(findings) > 3 else ""
        raise PictureError(f"The SVG picture cannot be used, because it could run code or load other "
                           f"files: {listed}{more}. Save it as plain SVG and upload it again")
    return CheckedPicture("image/svg+xml", ".svg", sha)


def picture_markdown(name: str, alt: str, *, decorative: bool) -> str:
    """What to paste into a module of the same folder."""
    if decorative:
        return f'![](images/{name} "decorative")'
    return f"![{alt.replace('[', '(').replace(']', ')')}](images/{name})"


@dataclass(frozen=True)
class Uploaded:
    path: str
    markdown: str
    sha256: str


def store_picture(folder: str, *, name: str, data: bytes, filename: str, alt: str, decorative: bool,
                  expected_revision: int, actor, replace: bool = False, append_to: str | None = None) -> Uploaded:
    """Store the picture and save it as the draft ``<folder>/images/<name>.<ext>``.

    ``replace``: a picture of that name may be replaced (else that is refused, so an upload never
    silently swaps a picture a module already shows). ``append_to``: a module of the folder whose
    draft gets the Markdown at its end (added to its newest text, so nothing in it is replaced).

    :raise PictureError: for a bad picture, name or missing alt text.
    :raise DraftConflict: if that file's draft changed since ``expected_revision``.
    """
    if not NAME_RE.match(name) or len(name) > 80:
        raise PictureError("Enter a file name of lower case letters, digits and hyphens, for example "
                           "missing-timeline", "name")
    if not decorative and not alt.strip():
        raise PictureError("Describe what the picture shows, or tick that it is decorative", "alt")
    picture = check_picture(data, filename)
    file_name = f"{name}{picture.extension}"
    path = f"{folder}/images/{file_name}"
    existing = [p for p in folder_pictures(folder) if PurePosixPath(p.name).stem == name]
    if existing and not replace:
        raise PictureError(f"There is already a picture called {existing[0].name}: choose another name, "
                           "or replace it from the list of pictures", "name")
    module_text = None
    if append_to:
        module_text = current_text(append_to) if append_to.startswith(f"{folder}/") else None
        if module_text is None or not append_to.endswith(".md"):
            raise PictureError("That module is no longer in the course", "module")
    if db.session.scalar(select(ContentAsset.id).where(ContentAsset.sha256 == picture.sha256)) is None:
        db.session.add(ContentAsset(sha256=picture.sha256, media_type=picture.media_type, size=len(data),
                                    data=data))
    save_draft(path, expected_revision=expected_revision, actor=actor, asset_sha256=picture.sha256)
    markdown = picture_markdown(file_name, alt.strip(), decorative=decorative)
    if append_to and module_text is not None:
        save_draft(append_to, expected_revision=current_revision(append_to), actor=actor,
                   text=module_text.rstrip("\n") + f"\n\n{markdown}\n")
    audit.record("content.picture_uploaded", actor=actor, path=path, sha256=picture.sha256,
                 decorative=decorative, added_to=append_to)
    return Uploaded(path, markdown, picture.sha256)


@dataclass
class FolderPicture:
    path: str
    name: str  # relative to the course folder: images/x.png
    url: str
    draft: bool
    descriptions: list[str]  # the alt texts the folder's modules give it ("" for decorative)


def folder_pictures(folder: str) -> list[FolderPicture]:
    """The pictures of ``folder`` in the working copy, with how its modules describe them."""
    prefix = f"{folder}/images/"
    shas: dict[str, tuple[str, bool]] = {}
    texts: list[str] = []
    for path, published in published_files().items():
        if path.startswith(prefix):
            shas[path] = (hashlib.sha256(published.data).hexdigest(), False)
        elif path.startswith(f"{folder}/") and path.endswith(".md"):
            texts.append(published.data.decode("utf-8"))
    for draft in drafts(folder):
        if draft.removed:
            shas.pop(draft.path, None)
        elif draft.asset_sha256 and draft.path.startswith(prefix):
            shas[draft.path] = (draft.asset_sha256, True)
        elif draft.text is not None:
            texts.append(draft.text)
    uses: dict[str, list[str]] = {}
    for text in texts:
        for link in find_links(body_lines(text, 1)):
            if link.is_image:
                uses.setdefault(link.target.split("#", 1)[0].removeprefix("./"), []).append(link.alt)
    return [
        FolderPicture(path, path[len(folder) + 1:], f"{ASSET_URL_PREFIX}{sha}{PurePosixPath(path).suffix.lower()}",
                      is_draft, uses.get(path[len(folder) + 1:], []))
        for path, (sha, is_draft) in sorted(shas.items())
    ]
