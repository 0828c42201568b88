"""Is an SVG picture passive? Finding what in it could run code or load something else.

An SVG is a document, not just an image: opened on its own (the "open image in new tab" a
learner might do) it runs its scripts and event handlers, follows ``javascript:`` links, embeds
web pages through ``<foreignObject>`` and fetches other files. Sightline serves content pictures
with a sandboxing Content Security Policy, but that protects only while the header reaches the
browser, so pictures with active content are refused where they enter: ``content check`` (a
trainer's picture or certificate design) and the operator's logo setting.

Refusing, rather than silently rewriting, keeps what is stored exactly what the author made and
tells them what to change, in the ``path:line:col`` form the content checker uses. The file is read
with the standard library's expat parser, with entity declarations refused before any expansion
(no external entities, no "billion laughs").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from xml.parsers import expat

SVG_NS = "http://www.w3.org/2000/svg"
XHTML_NS = "http://www.w3.org/1999/xhtml"

# Elements that run code, embed documents or are only there to load something.
_ACTIVE_ELEMENTS = {
    "script": "runs code",
    "foreignobject": "embeds a web page, which can run code",
    "iframe": "embeds a web page",
    "embed": "embeds another document",
    "object": "embeds another document",
    "handler": "runs code",
    "listener": "runs code",
}
_ANIMATIONS = {"set", "animate", "animatetransform", "animatemotion", "animatecolor"}
_LINK_ATTRIBUTES = {"href", "src"}
# Pictures may embed PNG, JPEG, GIF and WebP images as data: URIs (not SVG: it could hold a script).
_SAFE_DATA_URI = re.compile(r"data:image/(png|jpeg|gif|webp)[;,]", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"(java|vb)script:", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_CSS_ACTIVE = re.compile(r"@import|expression\s*\(|behavior\s*:|-moz-binding", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class SvgFinding:
    """One thing that makes a picture active. Lines and columns count from 1."""

    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.line}:{self.col}: {self.message}"


class _Stop(Exception):
    """Stop parsing: the rest of the file cannot be read safely."""


def active_content(data: bytes, *, allow_local_files: bool = False) -> list[SvgFinding]:
    """Everything in the SVG ``data`` that could run code or load something, in file order.

    :param allow_local_files: accept links to files by relative path (a certificate design's
        pictures may use the files beside them; its URL fetcher keeps them inside the folder).
    """
    checker = _Checker(allow_local_files)
    try:
        checker.parse(data)
    except _Stop:
        pass
    return sorted(checker.findings)


class _Checker:
    def __init__(self, allow_local_files: bool) -> None:
        self.allow_local_files = allow_local_files
        self.findings: list[SvgFinding] = []
        self._parser = expat.ParserCreate(namespace_separator=" ")
        self._parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self._parser.StartElementHandler = self._start
        self._parser.EndElementHandler = self._end
        self._parser.CharacterDataHandler = self._text
        self._parser.ProcessingInstructionHandler = self._instruction
        self._parser.EntityDeclHandler = self._entity
        self._parser.ExternalEntityRefHandler = self._external_entity
        self._root_seen = False
        self._style: tuple[int, int, list[str]] | None = None

    def parse(self, data: bytes) -> None:
        try:
            self._parser.Parse(data, True)
        except expat.ExpatError as exc:
            self._add_at(exc.lineno, exc.offset + 1,
                         f"this is not a well-formed SVG file ({expat.ErrorString(exc.code)}); "
                         "save it again from your drawing program as plain SVG")
        if not self._root_seen and not self.findings:
            self._add_at(1, 1, "this file has no <svg> element; save it again as plain SVG")

    # Handlers ---------------------------------------------------------------------------------

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        namespace, local = _split(name)
        tag = local.lower()
        if not self._root_seen:
            self._root_seen = True
            if tag != "svg" or namespace not in (SVG_NS, ""):
                self._add(f"the file is not an SVG picture: it starts with <{local}>, not <svg>")
                raise _Stop
        if namespace == XHTML_NS:
            self._add(f"<{local}> is an HTML element, which can run code inside a picture: remove it")
        elif tag in _ACTIVE_ELEMENTS:
            self._add(f"<{local}> {_ACTIVE_ELEMENTS[tag]}: pictures may not do that, so remove it")
        if tag in _ANIMATIONS:
            target = attributes.get("attributeName", "").strip().lower()
            if target.rpartition(":")[2] in _LINK_ATTRIBUTES or target.startswith("on"):
                self._add(f"<{local} attributeName=\"{target}\"> can turn a link or event into code: remove it")
        for attribute, value in attributes.items():
            self._check_attribute(_split(attribute)[1], value)
        if tag == "style":
            self._style = (self._parser.CurrentLineNumber, self._parser.CurrentColumnNumber + 1, [])

    def _end(self, name: str) -> None:
        if self._style is not None and _split(name)[1].lower() == "style":
            line, col, parts = self._style
            self._style = None
            for message in self._css_problems("".join(parts)):
                self._add_at(line, col, f"the <style> element {message}")

    def _text(self, data: str) -> None:
        if self._style is not None:
            self._style[2].append(data)

    def _instruction(self, target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            self._add("<?xml-stylesheet?> loads a stylesheet from another file: remove it")

    def _entity(self, name, *_args) -> None:
        self._add(f"the DOCTYPE declares an entity ({name}), which can read other files or grow "
                  "without limit: remove the <!DOCTYPE ...> declaration")
        raise _Stop

    def _external_entity(self, *_args) -> int:
        self._add("the DOCTYPE refers to another file: remove the <!DOCTYPE ...> declaration")
        raise _Stop

    # Attributes and CSS -------------------------------------------------------------------------

    def _check_attribute(self, name: str, value: str) -> None:
        lowered = name.lower()
        compact = _INVISIBLE.sub("", value)
        if lowered.startswith("on"):
            self._add(f"{name}=\"...\" runs code when the picture is shown or touched: remove the attribute")
        elif _SCRIPT_URL.search(compact):
            self._add(f"{name}=\"{_short(value)}\" runs code: remove it")
        elif lowered in _LINK_ATTRIBUTES:
            problem = self._link_problem(compact)
            if problem:
                self._add(f"{name}=\"{_short(value)}\" {problem}")
        elif lowered == "style":
            for message in self._css_problems(value):
                self._add(f"the style attribute {message}")

    def _link_problem(self, url: str) -> str | None:
        if not url or url.startswith("#") or _SAFE_DATA_URI.match(url):
            return None
        if url.lower().startswith("data:"):
            return ("embeds a kind of file pictures may not contain: embed PNG, JPEG, GIF or WebP "
                    "images only, or draw the shape in the SVG itself")
        if self.allow_local_files and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^/", url):
            return None
        return ("loads another file: a picture must be self-contained (embed images as "
                "data:image/png;base64,... or remove the link)")

    def _css_problems(self, css: str) -> list[str]:
        problems = []
        if _CSS_ACTIVE.search(css) or _SCRIPT_URL.search(_INVISIBLE.sub("", css)):
            problems.append("can load other files or run code (@import, expression(), javascript:): remove it")
        for match in _CSS_URL.finditer(css):
            problem = self._link_problem(_INVISIBLE.sub("", match.group(2)))
            if problem:
                problems.append(f"has url({_short(match.group(2))}), which {problem}")
        return problems

    # Positions --------------------------------------------------------------------------------

    def _add(self, message: str) -> None:
        self._add_at(self._parser.CurrentLineNumber, self._parser.CurrentColumnNumber + 1, message)

    def _add_at(self, line: int, col: int, message: str) -> None:
        self.findings.append(SvgFinding(max(1, line), max(1, col), message))


def _split(name: str) -> tuple[str, str]:
    namespace, _, local = name.rpartition(" ")
    return namespace, local


def _short(value: str, limit: int = 60) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
