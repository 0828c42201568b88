"""Raw HTML in Markdown that the sanitiser would remove: found in the source, with positions.

Markdown lets authors write HTML, and ``modules.content.sanitise`` removes whatever is not on its
allowlist. That keeps learners safe, but silently: an author who pastes ``<iframe>`` or writes
``<a href="javascript:...">`` sees the import succeed and the thing missing from the page. This
finds what would be removed, so ``content check`` reports it as an error at its line and column,
saying what to write instead. Text in code spans (```<script>```) and backslash-escaped ``\\<``
show as text and are left alone.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from modules.content.blocks import Line
from modules.content.sanitise import (
    ALLOWED_TAGS,
    ASSET_URL_PREFIX,
    MODULE_LINK_PREFIX,
    REMOVED_WITH_CONTENT,
    RESERVED_IDS,
)

_CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1")
_ESCAPED_LT = re.compile(r"\\<")
_HTML_NAME = re.compile(r"^[a-z][a-z0-9]*$")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_LINK_SCHEMES = {"http", "https", "mailto", "tel"}
_ACTIVE_CSS = re.compile(r"url\(|expression\(|javascript:|@import|behavior:|-moz-binding", re.IGNORECASE)
# A Markdown attribute list at the end of a line ({: .class #id key=value}); its on*= and style=
# attributes are removed just as raw HTML's are.
_ATTRIBUTE_LIST = re.compile(r"\{:?[ \t]*([^}\n]*)\}[ \t]*$")
_LIST_EVENT = re.compile(r"(?:^|\s)(on[a-z]+)\s*=", re.IGNORECASE)

_FORM_TAGS = {"form", "input", "button", "select", "option", "textarea", "label", "fieldset", "legend", "optgroup"}
_PAGE_TAGS = {"html", "head", "body", "base", "meta", "link"}

# What to write instead, by tag: the reason it goes and the Markdown that does the job.
_INSTEAD = {
    "script": "pages never run scripts: delete it (to show code, put it in backticks: `<script>`)",
    "noscript": "pages never run scripts: delete it",
    "style": "pages use the site's styles only: delete it and use Markdown formatting or a box (!!! note)",
    "iframe": "pages cannot embed other sites: link to the page instead, like [its title](https://...)",
    "frame": "pages cannot embed other sites: link to the page instead, like [its title](https://...)",
    "frameset": "pages cannot embed other sites: link to the page instead, like [its title](https://...)",
    "object": "pages cannot embed files or programs: link to it instead, like [its title](https://...)",
    "embed": "pages cannot embed files or programs: link to it instead, like [its title](https://...)",
    "applet": "pages cannot embed programs: delete it",
    "svg": "drawings cannot be written into the page: save it as a file and use ![what it shows](images/x.svg)",
    "math": "formulas cannot be written as MathML: write them as text",
    "canvas": "pages cannot draw with scripts: use a picture, ![what it shows](images/x.png)",
    "audio": "pages cannot play media: link to it instead, like [its title](https://...)",
    "video": "pages cannot play media: link to it instead, like [its title](https://...)",
    "template": "it is never shown: delete it",
    "title": "a module's title is its title: setting; delete it",
    "img": "write pictures in Markdown, ![what it shows](images/x.png), so that the file is stored with the module",
}
_FORM_INSTEAD = "pages cannot hold forms: ask the question as a decision point or a quiz question"
_PAGE_INSTEAD = "the page already has one: delete it"


@dataclass(frozen=True)
class RawHtmlProblem:
    line: int
    col: int
    message: str


def find_removed_html(lines: list[Line]) -> list[RawHtmlProblem]:
    """Every piece of raw HTML in ``lines`` that the sanitiser would remove, in file order."""
    if not any("<" in line.text or "{" in line.text for line in lines):
        return []
    finder = _Finder(lines)
    finder.feed("\n".join(_visible(line.text) for line in lines))
    finder.close()
    return sorted(finder.problems + _attribute_list_events(lines), key=lambda p: (p.line, p.col))


def _attribute_list_events(lines: list[Line]) -> list[RawHtmlProblem]:
    found = []
    for line in lines:
        match = _ATTRIBUTE_LIST.search(_visible(line.text))
        for event in _LIST_EVENT.finditer(match.group(1)) if match else ():
            found.append(RawHtmlProblem(line.number, match.start(1) + event.start(1) + 1,
                                        f"{event.group(1)}= is removed: pages never run scripts, so delete it"))
    return found


def _visible(text: str) -> str:
    """The line with code spans and escaped ``<`` blanked (same length, so columns still match)."""
    text = _CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), text)
    return _ESCAPED_LT.sub("  ", text)


class _Finder(HTMLParser):
    def __init__(self, lines: list[Line]) -> None:
        super().__init__(convert_charrefs=True)
        self.numbers = [line.number for line in lines]
        self.problems: list[RawHtmlProblem] = []

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: C901 - one rule per kind of tag
        if not _HTML_NAME.match(tag):
            return  # an autolink such as <https://...> or <name@example.org>, not HTML
        if tag in REMOVED_WITH_CONTENT:
            return self._report(
                f"<{tag}> is removed from the page with everything inside it: {_INSTEAD.get(tag, 'delete it')}")
        if tag in _FORM_TAGS:
            return self._report(f"<{tag}> is removed from the page: {_FORM_INSTEAD}")
        if tag in _PAGE_TAGS:
            return self._report(f"<{tag}> is removed from the page: {_PAGE_INSTEAD}")
        if tag == "img":
            self._check_picture(attrs)
        elif tag not in ALLOWED_TAGS:
            return None  # harmless markup (<font>, <center>...): the sanitiser keeps its text
        for name, value in attrs:
            self._check_attribute(tag, name, value or "")

    handle_startendtag = handle_starttag

    def _check_attribute(self, tag: str, name: str, value: str) -> None:
        if name.startswith("on"):
            self._report(f"{name}= is removed from <{tag}>: pages never run scripts, so delete the attribute")
        elif name == "style" and _ACTIVE_CSS.search(_INVISIBLE.sub("", html.unescape(value))):
            self._report(f"style= is removed from <{tag}>: it could load files or run code; delete it")
        elif name == "id" and value in RESERVED_IDS:
            self._report(f"id=\"{value}\" is removed: the anchor #{value} is used by the page layout; choose another")
        elif name in ("href", "src") and tag != "img":
            target = _INVISIBLE.sub("", html.unescape(value))
            scheme = _SCHEME.match(target)
            if scheme and scheme.group(1).lower() not in _LINK_SCHEMES:
                self._report(
                    f"links may only use https://, http://, mailto: or tel: (found '{scheme.group(1)}:'), "
                    f"so this link is removed: write [text](https://...) instead"
                )
            elif not scheme and target and not target.startswith(("#", MODULE_LINK_PREFIX)):
                self._report(
                    f"the link to '{target}' is removed: links in HTML are not checked, so write them in "
                    "Markdown, like [text](02-next-module.md) or [text](#a-heading)"
                )

    def _check_picture(self, attrs) -> None:
        src = _INVISIBLE.sub("", html.unescape(dict(attrs).get("src") or ""))
        if not src.startswith(ASSET_URL_PREFIX):
            self._report(f"<img> is not shown: {_INSTEAD['img']}")

    def _report(self, message: str) -> None:
        line, offset = self.getpos()
        number = self.numbers[min(line, len(self.numbers)) - 1]
        self.problems.append(RawHtmlProblem(number, offset + 1, message))
