"""Links and pictures in content: finding them in the source (with positions), checking that they
lead somewhere, and rewriting them for the stored HTML.

- ``[text](other-module.md)`` / ``(../other-course/03-x.md#anchor)`` -> ``/content/go/<module id>#anchor``
- ``[text](#anchor)`` -> kept; the anchor must exist in the same file
- ``https://``, ``http://``, ``mailto:``, ``tel:`` -> kept
- ``![alt](images/x.svg)`` -> ``/content/assets/<sha256>.svg`` (the picture is stored by the import)
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from modules.content.blocks import Line
from modules.content.problems import display_path
from modules.content.sanitise import ASSET_URL_PREFIX, MODULE_LINK_PREFIX
from modules.core.svg_safety import SvgFinding, active_content

PICTURE_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
MAX_PICTURE_BYTES = 5 * 1024 * 1024
WEB_SCHEMES = ("http", "https", "mailto", "tel")

_CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1")
_INLINE_RE = re.compile(
    r"(!?)\[((?:[^\[\]\\]|\\.|\[[^\]]*\])*)\]\(\s*(<[^>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)"
    r"(?:\s+(\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
_REFERENCE_RE = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:[ \t]*(<[^>\n]*>|\S+)")
_AUTOLINK_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*)>")
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


@dataclass(frozen=True)
class LinkRef:
    line: int
    col: int
    target: str
    is_image: bool
    alt: str = ""
    title: str = ""  # a picture's title: "decorative" marks one that needs no description (h7)


def find_links(lines: list[Line]) -> list[LinkRef]:
    """Every inline link, picture, reference definition and autolink, with its position."""
    found: list[LinkRef] = []
    for line in lines:
        text = _CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), line.text)
        for match in _INLINE_RE.finditer(text):
            target = match.group(3).strip()
            if target.startswith("<") and target.endswith(">"):
                target = target[1:-1].strip()
            found.append(
                LinkRef(line.number, match.start() + 1, target, bool(match.group(1)), match.group(2),
                        (match.group(4) or "")[1:-1])
            )
        reference = _REFERENCE_RE.match(text)
        if reference:
            target = reference.group(2).strip("<>")
            found.append(LinkRef(line.number, reference.start(2) + 1, target, False))
        for match in _AUTOLINK_RE.finditer(text):
            found.append(LinkRef(line.number, match.start() + 1, match.group(1), False))
    return found


DECORATIVE = "decorative"


def is_decorative(link: LinkRef) -> bool:
    """``![](images/x.png "decorative")``: a picture that adds nothing a screen reader should say."""
    return link.is_image and not link.alt.strip() and link.title.strip().lower() == DECORATIVE


@dataclass(frozen=True)
class Asset:
    path: Path
    sha256: str
    media_type: str
    data: bytes = field(repr=False)

    @property
    def url(self) -> str:
        return f"{ASSET_URL_PREFIX}{self.sha256}{self.path.suffix.lower()}"


@dataclass
class CorpusIndex:
    """What links can point at: module files by path, pictures inside the content folders."""

    roots: list[Path] = field(default_factory=list)  # resolved folders pictures may come from
    slug_by_path: dict[Path, str] = field(default_factory=dict)  # resolved module file -> id
    anchors_by_path: dict[Path, set[str]] = field(default_factory=dict)
    _assets: dict[Path, Asset | str] = field(default_factory=dict)
    # SVG pictures refused for active content, with what was found (reported at the SVG's lines).
    svg_findings: dict[Path, list[SvgFinding]] = field(default_factory=dict)

    def load_asset(self, path: Path) -> Asset | str:
        """The picture at ``path`` (resolved), or why it cannot be used."""
        if path not in self._assets:
            self._assets[path] = self._read_asset(path)
        return self._assets[path]

    def _read_asset(self, path: Path) -> Asset | str:
        media_type = PICTURE_TYPES.get(path.suffix.lower())
        if media_type is None:
            return "pictures must be SVG, PNG, JPEG, GIF or WebP files"
        if not any(path.is_relative_to(root) for root in self.roots):
            return "pictures must be inside the course folders"
        if not path.is_file():
            return "picture not found"
        try:
            data = path.read_bytes()
        except OSError as exc:
            return f"cannot read the picture ({exc.strerror or exc})"
        if len(data) > MAX_PICTURE_BYTES:
            return f"picture is too large ({len(data) / 1048576:.1f} MB; at most 5 MB)"
        if media_type == "image/svg+xml":
            findings = active_content(data)
            if findings:
                self.svg_findings[path] = findings
                return (f"picture cannot be used: it could run code or load other files "
                        f"(see the errors for {display_path(path)})")
        return Asset(path, hashlib.sha256(data).hexdigest(), media_type, data)


def split_target(target: str) -> tuple[str, str]:
    path, _, fragment = target.partition("#")
    return unquote(path), unquote(fragment)


def resolve(base_dir: Path, relative: str) -> Path:
    return (base_dir / relative).resolve()


class FileLinks:
    """Rewrites the links of one file for rendering, and remembers what they resolved to (the
    module's content hash includes it, so a renamed target or changed picture makes a new version)."""

    def __init__(self, index: CorpusIndex, path: Path):
        self.index = index
        self.base_dir = path.resolve().parent
        self.resolved: dict[str, str] = {}
        self.assets: dict[str, Asset] = {}

    def rewrite(self, url: str, is_image: bool) -> str | None:
        result = self._rewrite(url.strip(), is_image)
        self.resolved[f"{'img' if is_image else 'a'}:{url}"] = result or ""
        return result

    def _rewrite(self, url: str, is_image: bool) -> str | None:
        scheme = _SCHEME_RE.match(url)
        if is_image:
            if scheme or url.startswith(("/", "#")) or not url:
                return None
            asset = self.index.load_asset(resolve(self.base_dir, split_target(url)[0]))
            if isinstance(asset, str):
                return None
            self.assets[asset.sha256] = asset
            return asset.url
        if scheme:
            return url if scheme.group(1).lower() in WEB_SCHEMES else None
        if url.startswith("#"):
            return url
        path, fragment = split_target(url)
        if path.lower().endswith(".md"):
            slug = self.index.slug_by_path.get(resolve(self.base_dir, path))
            if slug is None:
                return None
            return f"{MODULE_LINK_PREFIX}{slug}" + (f"#{fragment}" if fragment else "")
        return None


def link_problem(link: LinkRef, links: FileLinks, own_anchors: set[str]) -> str | None:
    """Why ``link`` does not work, or None. Call after every file has been rendered."""
    target = link.target
    scheme = _SCHEME_RE.match(target)
    if link.is_image:
        return _picture_problem(link, links)
    if not target:
        return "link has no address"
    if scheme:
        if scheme.group(1).lower() not in WEB_SCHEMES:
            return f"links may only use https://, http://, mailto: or tel: (found '{scheme.group(1)}:')"
        return None
    if target.startswith("#"):
        anchor = unquote(target[1:])
        if anchor not in own_anchors:
            return f"broken link: there is no heading with the anchor #{anchor} in this file"
        return None
    path, fragment = split_target(target)
    if not path.lower().endswith(".md"):
        return (
            f"link to '{target}' will not work: link to modules (.md files), "
            "to headings (#anchor) or to web addresses (https://...)"
        )
    resolved = resolve(links.base_dir, path)
    if resolved not in links.index.slug_by_path:
        return f"broken link: there is no module at '{path}'"
    if fragment and fragment not in links.index.anchors_by_path.get(resolved, set()):
        return f"broken link: '{path}' has no heading with the anchor #{fragment}"
    return None


def _picture_problem(link: LinkRef, links: FileLinks) -> str | None:
    target = link.target
    if not target:
        return "picture has no file name"
    if _SCHEME_RE.match(target) or target.startswith("//"):
        return "pictures must be files in the course folder, not web addresses"
    if target.startswith(("/", "#")):
        return "pictures must be given as a path relative to this file, like images/x.svg"
    asset = links.index.load_asset(resolve(links.base_dir, split_target(target)[0]))
    if isinstance(asset, str):
        return f"{asset}: '{target}'"
    return None
