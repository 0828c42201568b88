"""Markdown to safe HTML, once, at import time.

Python-Markdown with tables, footnotes, admonitions (boxes), attribute lists and heading anchors,
then GOV.UK Frontend classes, then the nh3 allowlist (modules.content.sanitise). Anchors and
footnote ids are unique across a whole file even though each section is rendered on its own.
"""
from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from modules.content.links import DECORATIVE
from modules.content.sanitise import RESERVED_IDS, plain_text, sanitise

# rewrite(url, is_image) -> the URL to use, or None to drop it.
UrlRewriter = Callable[[str, bool], str | None]

FOOTNOTE_REF_RE = re.compile(r"\[\^([^\]\s]+)\]")


def slugify(text: str) -> str:
    """A heading's anchor: lower-case ASCII words joined by hyphens."""
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    value = re.sub(r"[-_\s]+", "-", value).strip("-")
    return value[:80].rstrip("-") or "section"


class AnchorRegistry:
    """Hands out anchors that are unique within one file and never clash with the page layout."""

    def __init__(self) -> None:
        self.used: set[str] = set(RESERVED_IDS)

    def reserve(self, anchor: str) -> None:
        self.used.add(anchor)

    def claim(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.used:
            candidate = f"{base}-{n}"
            n += 1
        self.used.add(candidate)
        return candidate


_CLASSES = {
    "p": "govuk-body",
    "h1": "govuk-heading-xl",
    "h2": "govuk-heading-l",
    "h3": "govuk-heading-m",
    "h4": "govuk-heading-s",
    "h5": "govuk-heading-s",
    "h6": "govuk-heading-s",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "table": "govuk-table",
    "thead": "govuk-table__head",
    "tbody": "govuk-table__body",
    "tr": "govuk-table__row",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
    "caption": "govuk-table__caption",
    "blockquote": "govuk-inset-text sl-quote",
    "hr": "govuk-section-break govuk-section-break--m govuk-section-break--visible",
    "img": "sl-picture",
}


class _GovukTreeprocessor(Treeprocessor):
    """Adds GOV.UK classes, styles boxes and footnotes, and rewrites link and picture URLs."""

    def __init__(self, md, rewrite: UrlRewriter):
        super().__init__(md)
        self.rewrite = rewrite

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            classes = el.get("class", "").split()
            if el.tag == "div" and "admonition" in classes:
                kind = classes[1] if len(classes) > 1 else "note"
                classes += ["sl-box", f"sl-box--{kind}", "govuk-inset-text"]
            elif el.tag == "div" and "footnote" in classes:
                classes += ["sl-footnotes"]
            elif el.tag == "p" and "admonition-title" in classes:
                classes += ["govuk-body", "sl-box__title"]
            elif el.tag in _CLASSES:
                classes += _CLASSES[el.tag].split()
            if classes:
                el.set("class", " ".join(dict.fromkeys(classes)))
            if el.tag == "a" and el.get("href") is not None:
                self._rewrite(el, "href", is_image=False)
            elif el.tag == "img" and el.get("src") is not None:
                self._rewrite(el, "src", is_image=True)
                if not el.get("alt", "").strip() and el.get("title", "").strip().lower() == DECORATIVE:
                    # A decorative picture: screen readers skip alt="" (and must not read "decorative").
                    el.set("alt", "")
                    del el.attrib["title"]

    def _rewrite(self, el: etree.Element, attr: str, *, is_image: bool) -> None:
        url = self.rewrite(el.get(attr, ""), is_image)
        if url is None:
            del el.attrib[attr]
        else:
            el.set(attr, url)


class _SightlineExtension(Extension):
    def __init__(self, rewrite: UrlRewriter):
        super().__init__()
        self.rewrite = rewrite

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's API
        # After inline patterns (20), attribute lists (8) and the table of contents (5).
        md.treeprocessors.register(_GovukTreeprocessor(md, self.rewrite), "sightline", 1)


@dataclass
class Rendered:
    html: str
    toc: list[dict] = field(default_factory=list)  # [{level, anchor, title}]
    ids: list[str] = field(default_factory=list)  # every id in the html
    text: str = ""


def _keep_url(url: str, is_image: bool) -> str | None:
    return url


class FileRenderer:
    """Renders the Markdown pieces of one file (sections, options, feedback) consistently.

    :param rewrite: maps each link and picture URL to its final form (see modules.content.links).
    :param footnotes: footnote definitions of the whole file by label; each piece gets those it uses.
    :param references: reference-style link definitions (``[name]: url``) of the whole file.
    """

    def __init__(
        self,
        rewrite: UrlRewriter = _keep_url,
        footnotes: dict[str, str] | None = None,
        references: list[str] | None = None,
    ):
        self.anchors = AnchorRegistry()
        self.footnotes = footnotes or {}
        self.references = references or []
        self._md = markdown.Markdown(
            extensions=[
                "tables", "footnotes", "admonition", "attr_list", "toc", "sane_lists",
                _SightlineExtension(rewrite),
            ],
            extension_configs={
                "tables": {"use_align_attribute": True},
                "footnotes": {"UNIQUE_IDS": True, "BACKLINK_TITLE": "Back to the text of note %d"},
                "toc": {"slugify": self._slugify, "permalink": False, "toc_depth": "2-4"},
            },
            output_format="html",
        )

    def _slugify(self, value: str, separator: str) -> str:
        return self.anchors.claim(slugify(value))

    def block(self, text: str) -> Rendered:
        """Render Markdown blocks to sanitised HTML."""
        if not text.strip():
            return Rendered(html="")
        self._md.reset()
        extra = [self.footnotes[label] for label in dict.fromkeys(FOOTNOTE_REF_RE.findall(text))
                 if label in self.footnotes]
        source = "\n\n".join([text, *extra, "\n".join(self.references)]) if (extra or self.references) else text
        try:
            raw = self._md.convert(source)
        except RecursionError:
            # Pathologically nested input: show it as plain text rather than fail.
            raw = "<p>" + markdown.util.code_escape(text) + "</p>"
        toc = [
            {"level": token["level"], "anchor": token["id"], "title": plain_text(token["name"])}
            for token in _flatten(getattr(self._md, "toc_tokens", []))
        ]
        html = sanitise(raw)
        return Rendered(
            html=html, toc=toc, ids=re.findall(r'\sid="([^"]+)"', html), text=plain_text(html)
        )

    def inline(self, text: str) -> str:
        """Render a short piece (a title, an option) without its surrounding paragraph."""
        html = self.block(text).html.strip()
        match = re.fullmatch(r'<p class="govuk-body">(.*)</p>', html, flags=re.S)
        if match and "<p" not in match.group(1):
            return match.group(1)
        return html

    def text(self, text: str) -> str:
        """Plain text of a short Markdown piece (headings, titles)."""
        return plain_text(self.inline(text))


def _flatten(tokens: list[dict]) -> list[dict]:
    flat: list[dict] = []
    for token in tokens:
        flat.append(token)
        flat.extend(_flatten(token.get("children", [])))
    return flat
