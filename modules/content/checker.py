"""``content check``: read every course and module under the given paths, render them, and report
every problem with its file, line and column. Nothing is written anywhere.

The result also carries everything parsed, so ``content import`` writes exactly what was checked.
"""
from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from modules.certificates.designs import STYLESHEET_FILE, TEMPLATE_FILE, available_designs
from modules.checks.module_checks import check_module
from modules.checks.reading_time import SLACK
from modules.content.corpus import discover
from modules.content.course_file import (
    DEFAULT_DESIGN,
    ParsedCourse,
    read_course,
    render_description,
)
from modules.content.frontmatter import split_front_matter
from modules.content.links import CorpusIndex, FileLinks, is_decorative, link_problem
from modules.content.module_file import (
    ModuleHeader,
    ParsedModule,
    module_id_from_filename,
    parse_module_body,
    read_module_header,
)
from modules.content.problems import Problem, Problems, display_path
from modules.content.raw_html import find_removed_html
from modules.content.settings import SLUG_RE
from modules.content.source import read_source
from modules.content.sources import Register, load_register
from modules.core.svg_safety import active_content

# Part of every content hash: bump it when rendering changes in a way that should re-render
# (and so re-version) all content on the next import.
FORMAT_VERSION = 1


@dataclass
class CheckResult:
    problems: list[Problem] = field(default_factory=list)
    courses: list[ParsedCourse] = field(default_factory=list)
    modules: list[ParsedModule] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


def check_paths(paths: list[Path], certificates_dir: Path | None = None) -> CheckResult:
    """Check the content under ``paths``.

    :param certificates_dir: where certificate designs live (a course's ``certificate:`` must name
        one of its folders; ``default`` is always accepted).
    """
    return _check(paths, certificates_dir, only=None)


def check_file(paths: list[Path], target: Path, certificates_dir: Path | None = None) -> CheckResult:
    """The problems ``check_paths(paths)`` reports for the one file ``target``, found without
    rendering the other files: their settings are read (links and module ids need them) and a
    module's body is parsed only when ``target`` links to one of its headings.

    ``result.problems`` holds only ``target``'s problems; ``result.modules`` / ``courses`` hold
    ``target`` parsed (when it could be). No content hash is computed.
    """
    return _check(paths, certificates_dir, only=target.resolve())


def _check(paths: list[Path], certificates_dir: Path | None, only: Path | None) -> CheckResult:
    result = CheckResult()
    sink = result.problems
    folders, roots = discover(paths, sink)
    index = CorpusIndex(roots=roots)

    def wanted(path: Path) -> bool:
        return only is None or path.resolve() == only

    def read(path: Path, work):
        return _guard(path, sink, work) if wanted(path) else _read_other(path, work)

    headers: list[ModuleHeader] = []
    unreadable: set[str] = set()  # ids (from file names) of modules whose settings could not be read
    slugs: dict[str, Path] = {}
    for folder in folders:
        where = folder.course_file or folder.path
        if folder.slug in slugs:
            sink.append(Problem(where, 1, 1, f"course '{folder.slug}' is also in {display_path(slugs[folder.slug])}"))
        else:
            slugs[folder.slug] = folder.path
        if not SLUG_RE.match(folder.slug) or len(folder.slug) > 100:
            sink.append(Problem(
                where, 1, 1,
                f"course folder name '{folder.slug}' must be lower case letters, digits and hyphens",
            ))
        if folder.course_file is None:
            sink.append(Problem(folder.path, 1, 1, "no course.md in this folder: every folder in courses/ is a course"))
        else:
            result.files += 1
            course = read(folder.course_file, lambda p, f=folder: _read_course_file(f.course_file, f.slug, p))
            if course is not None:
                result.courses.append(course)
        for path in folder.module_files:
            result.files += 1
            header = read(path, lambda p, path=path: _read_module_file(path, p))
            if header is not None:
                headers.append(header)
            else:
                unreadable.add(module_id_from_filename(path))

    by_slug = _index_modules(headers, index, sink)
    parseable = [h for h in headers if by_slug.get(h.slug) is h and h.kind is not None]
    if only is not None:
        # Another module's anchors are only needed when a link names one of its headings.
        index.anchors_by_path = _LazyAnchors(index, {h.path.resolve(): h for h in parseable if not wanted(h.path)})
    for header in parseable:
        if not wanted(header.path):
            continue
        links = FileLinks(index, header.path)
        module = _guard(header.path, sink, lambda p, h=header, l=links: parse_module_body(h, l, p))
        if module is not None:
            result.modules.append(module)
            index.anchors_by_path[header.path.resolve()] = module.anchors
    for course in result.courses:
        if wanted(course.path):
            _guard(course.path, sink, lambda p, c=course: render_description(c, FileLinks(index, c.path), p))

    _check_courses(result.courses, by_slug, unreadable, certificates_dir, sink)
    for parsed in [*result.modules, *result.courses]:
        if wanted(parsed.path):
            _check_links(parsed, sink)
            _check_raw_html(parsed, sink)
    if only is None:  # (an SVG's problems are on the SVG's own lines, never on a Markdown file)
        _check_svg_pictures(index, certificates_dir, sink)
    _warn_unused(headers, result.courses, sink)
    register = load_register(roots, sink if only is None else [])
    for module in result.modules:
        _guard(module.path, sink, lambda p, m=module: _resolve_sources(m, register, p))
        _guard(module.path, sink, lambda p, m=module: check_module(m, p))
    if only is not None:
        result.problems[:] = [p for p in sink if Path(p.path).resolve() == only]
        result.courses = [c for c in result.courses if wanted(c.path)]
    elif result.ok:
        _hash(result)
    result.problems.sort(key=lambda p: (display_path(p.path), p.line, p.col, p.message))
    return result


# The settings of the other files, by file name, folder name and the SHA-256 of the bytes: what
# they read to depends on nothing else, so this is safe to share between requests (and between
# servers, each keeping its own). Copies are handed out, each with the path it is read from now.
_READ_CACHE: dict[tuple[str, str, str], ModuleHeader | ParsedCourse | None] = {}
_READ_CACHE_SIZE = 1024
_UNREAD = object()


def _read_other(path: Path, work):
    """``work``'s result for a file that is not being checked (its problems are not wanted)."""
    try:
        data = path.read_bytes()
    except OSError:
        return _guard(path, [], work)
    key = (path.parent.name, path.name, hashlib.sha256(data).hexdigest())
    found = _READ_CACHE.get(key, _UNREAD)
    if found is _UNREAD:
        found = _guard(path, [], work)
        if len(_READ_CACHE) >= _READ_CACHE_SIZE:
            _READ_CACHE.clear()  # (simpler than LRU, and safe with threads: refilled as used)
        _READ_CACHE[key] = found
    return None if found is None else replace(found, path=path)


# Anchors of a module's text, by the text's SHA-256: the same text always has the same headings,
# so this is safe to share between requests (and between servers, each keeping its own).
_ANCHOR_CACHE: dict[str, frozenset[str]] = {}
_ANCHOR_CACHE_SIZE = 512


class _LazyAnchors(dict):
    """``CorpusIndex.anchors_by_path`` that parses a module's body the first time its anchors are
    asked for (``check_paths`` would have parsed it anyway, with the same result)."""

    def __init__(self, index: CorpusIndex, pending: dict[Path, ModuleHeader]):
        super().__init__()
        self._index = index
        self._pending = pending

    def get(self, key, default=None):
        header = self._pending.pop(key, None)
        if header is not None:
            anchors = _anchors_of(header, self._index)
            if anchors is not None:
                self[key] = anchors
        return super().get(key, default)


def _anchors_of(header: ModuleHeader, index: CorpusIndex) -> set[str] | None:
    key = hashlib.sha256(header.text.encode("utf-8")).hexdigest()
    anchors = _ANCHOR_CACHE.get(key)
    if anchors is None:
        try:
            module = parse_module_body(header, FileLinks(index, header.path), Problems(header.path, []))
        except Exception:  # noqa: BLE001 - check_paths reports it on that file; here it has no anchors
            return None
        anchors = frozenset(module.anchors)
        if len(_ANCHOR_CACHE) >= _ANCHOR_CACHE_SIZE:
            _ANCHOR_CACHE.clear()
        _ANCHOR_CACHE[key] = anchors
    return set(anchors)


def _guard(path: Path, sink: list[Problem], work):
    """Run ``work(problems)``; an unexpected failure becomes a problem on the file, never a crash."""
    try:
        return work(Problems(path, sink))
    except Exception as exc:  # noqa: BLE001 - a bug must not hide every other problem
        sink.append(Problem(
            path, 1, 1,
            f"internal error while reading this file ({exc.__class__.__name__}: {exc}); "
            "please report it to the Sightline developers",
        ))
        return None


def _read_course_file(path: Path, slug: str, problems: Problems) -> ParsedCourse | None:
    source = read_source(path, problems)
    front = split_front_matter(source.text, problems) if source else None
    if front is None:
        return None
    return read_course(path, slug, source.text, front, problems)


def _read_module_file(path: Path, problems: Problems) -> ModuleHeader | None:
    source = read_source(path, problems)
    front = split_front_matter(source.text, problems) if source else None
    if front is None:
        return None
    return read_module_header(path, source.text, front, problems)


def _index_modules(headers: list[ModuleHeader], index: CorpusIndex, sink: list[Problem]) -> dict[str, ModuleHeader]:
    by_slug: dict[str, ModuleHeader] = {}
    for header in headers:
        first = by_slug.get(header.slug)
        if first is not None:
            sink.append(Problem(
                header.path, header.slug_line, header.slug_col,
                f"module id '{header.slug}' is also used by {display_path(first.path)}",
            ))
            continue
        by_slug[header.slug] = header
        index.slug_by_path[header.path.resolve()] = header.slug
    return by_slug


def _check_courses(courses: list[ParsedCourse], by_slug: dict[str, ModuleHeader], unreadable: set[str],
                   certificates_dir: Path | None, sink: list[Problem]) -> None:
    codes: dict[str, ParsedCourse] = {}
    designs = available_designs(certificates_dir) if certificates_dir is not None else []
    for course in courses:
        problems = Problems(course.path, sink)
        code = course.value("code")
        if code is not None:
            if code in codes:
                line, col = course.settings.position("code")
                problems.error(line, col, f"course code '{code}' is also used by {display_path(codes[code].path)}")
            else:
                codes[code] = course
        for ident, line, col in course.value("modules", []):
            if ident not in by_slug and ident not in unreadable:  # (an unreadable file is reported already)
                hint = difflib.get_close_matches(ident, list(by_slug), n=1)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
                problems.error(line, col, f"module '{ident}' does not exist{suggestion}")
        _check_cpd_minutes(course, by_slug, problems)
        design = course.value("certificate")
        if design is not None and design != DEFAULT_DESIGN and design not in designs:
            line, col = course.settings.position("certificate")
            if certificates_dir is not None and (certificates_dir / design).is_dir():
                folder = certificates_dir / design
                missing = [name for name in (TEMPLATE_FILE, STYLESHEET_FILE)
                           if not (folder / name).is_file()]
                what = f"needs {' and '.join(missing)}" if missing else "has a name that is too long"
                problems.error(
                    line, col,
                    f"certificate design '{design}' cannot be used: certificates/{design}/ {what} "
                    f"(designs you can use: {', '.join(sorted({DEFAULT_DESIGN, *designs}))})",
                )
            else:
                problems.error(line, col, f"unknown certificate design '{design}': there is no folder certificates/{design}/")


# cpd_minutes further than this from the sum of the modules' minutes is reported (a course may
# round, and add a little for its introduction and certificate).
CPD_TOLERANCE = 0.25


def _check_cpd_minutes(course: ParsedCourse, by_slug: dict[str, ModuleHeader], problems: Problems) -> None:
    stated = course.value("cpd_minutes")
    idents = [ident for ident, _line, _col in course.value("modules", [])]
    minutes = [by_slug[i].settings.values.get("minutes") for i in idents if i in by_slug]
    if not isinstance(stated, int) or not minutes or len(minutes) != len(idents) or None in minutes:
        return
    total = sum(minutes)
    if abs(stated - total) > max(total * CPD_TOLERANCE, SLACK):
        line, col = course.settings.position("cpd_minutes")
        problems.warning(
            line, col,
            f"cpd_minutes: {stated} is far from the {total} minutes its modules add up to: the "
            "certificate prints it as CPD time, so make it the modules' total (or correct their minutes)",
        )


def _check_links(parsed, sink: list[Problem]) -> None:
    links = parsed.file_links
    if links is None:
        return
    problems = Problems(parsed.path, sink)
    for link in parsed.links:
        message = link_problem(link, links, parsed.anchors)
        if message:
            problems.error(link.line, link.col, message)
        elif link.is_image and not link.alt.strip() and not is_decorative(link):
            problems.warning(
                link.line, link.col,
                "picture has no description: say what it shows between the [ ] (screen readers read it out)",
            )


def _check_raw_html(parsed, sink: list[Problem]) -> None:
    """Raw HTML the sanitiser would remove is an error, not a silent loss on the page."""
    problems = Problems(parsed.path, sink)
    for found in find_removed_html(parsed.lines):
        problems.error(found.line, found.col, found.message)


def _check_svg_pictures(index: CorpusIndex, certificates_dir: Path | None, sink: list[Problem]) -> None:
    """Each SVG picture the content uses, and each SVG of every certificate design, must be
    passive: the problems point at the SVG's own lines."""
    found = dict(index.svg_findings)
    if certificates_dir is not None:
        for design in available_designs(certificates_dir):
            for path in sorted((certificates_dir / design).rglob("*.svg")):
                # A design's pictures may use the files beside them (its fetcher keeps them in the folder).
                found[path] = active_content(path.read_bytes(), allow_local_files=True)
    for path, findings in found.items():
        for finding in findings:
            sink.append(Problem(path, finding.line, finding.col, finding.message))


def _warn_unused(headers: list[ModuleHeader], courses: list[ParsedCourse], sink: list[Problem]) -> None:
    used = {ident for course in courses for ident in course.module_ids}
    for header in headers:
        if header.settings.ok and header.slug not in used:
            Problems(header.path, sink).warning(1, 1, f"module '{header.slug}' is not used by any course")


def _resolve_sources(module: ParsedModule, register: Register, problems: Problems) -> None:
    """The module's ``sources:`` looked up in the register (what the learner will see)."""
    seen: set[str] = set()
    for key, line, col in module.value("sources", []):
        source = register.sources.get(key)
        if source is None:
            where = display_path(register.path) if register.path else "sources.yaml (there is none)"
            hint = difflib.get_close_matches(key, list(register.sources), n=1)
            problems.error(line, col, f"source '{key}' is not in the register of sources, {where}"
                           + (f" (did you mean '{hint[0]}'?)" if hint else ": add it there first, with the "
                              "section of the facts it comes from"))
        elif key in seen:
            problems.warning(line, col, f"source '{key}' is listed twice")
        else:
            seen.add(key)
            module.sources.append(source.stored())


def _hash(result: CheckResult) -> None:
    by_slug = {m.slug: m for m in result.modules}
    for module in result.modules:
        module.content_hash = _digest({
            "format": FORMAT_VERSION,
            "text": module.header.text,
            "links": sorted(module.file_links.resolved.items()),
            # A corrected title in the register is a new version of every module citing it.
            **({"sources": module.sources} if module.sources else {}),
        })
    for course in result.courses:
        course.content_hash = _digest({
            "format": FORMAT_VERSION,
            "text": course.text,
            "links": sorted(course.file_links.resolved.items()) if course.file_links else [],
            "modules": [[ident, by_slug[ident].content_hash] for ident in course.module_ids],
        })


def _digest(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
