"""What the learner's views share: finding the course and module the URL names (for the signed-in
learner only, 404 otherwise), and preparing stored section HTML for the player."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from flask import abort, flash, redirect, url_for
from flask_login import current_user
from sqlalchemy import bindparam, select

from modules.content import version_cache
from modules.content.models import Course, ModuleKind, ModuleVersion
from modules.core.extensions import db
from modules.core.settings import setting
from modules.learning import progress, status
from modules.learning.models import Enrolment
from modules.learning.progress import ModuleEntry, ModuleState


def send_to(location: str):
    """Stop the view and redirect (a loader's way out, after flashing a message)."""
    abort(redirect(location))


def window_days() -> int:
    return setting("SIGHTLINE_REFRESHER_WINDOW_DAYS")


@cache
def _course_by_slug():
    """Built once per process: every learner page runs it (see progress.py)."""
    return select(Course).where(Course.slug == bindparam("slug"))


def course_or_404(slug: str) -> Course:
    """A course the signed-in learner may take (else 404: no hint that it exists)."""
    course = db.session.scalar(_course_by_slug(), {"slug": slug})
    if course is not None:
        version_cache.attach_current_versions([course])
    if course is None or not status.may_take(current_user, course):
        abort(404)
    return course


@dataclass(frozen=True)
class ModuleContext:
    course: Course
    enrolment: Enrolment
    entry: ModuleEntry

    @property
    def module_version(self) -> ModuleVersion:
        return self.entry.module_version

    @property
    def entries(self) -> list[ModuleEntry]:
        return progress.module_entries(self.enrolment)


def module_context(course_slug: str, module_slug: str) -> ModuleContext:
    """The learner's enrolment and the module entry for the URL.

    Before the course is started, or while an assessment is locked, the learner is sent back to
    the course page with a message; a module that is not in their course is a 404.
    """
    course = course_or_404(course_slug)
    enrolment = progress.latest_enrolment(current_user.id, course.id)
    if enrolment is None:
        if not any(mv.slug == module_slug for mv in course.current_version.module_versions):
            abort(404)
        flash("Start the course to open its modules.", "info")
        send_to(url_for("learning.course", course_slug=course.slug))
    entry = progress.find_entry(enrolment, module_slug)
    if entry is None:
        abort(404)
    if entry.state is ModuleState.cannot_start:
        flash("Complete the other modules before you start the final assessment.", "info")
        send_to(url_for("learning.course", course_slug=course.slug))
    if entry.module_version.kind is not ModuleKind.quiz:
        progress.load_module_content(entry.module_version)
    return ModuleContext(course, enrolment, entry)


def section_url(course_slug: str, module_slug: str, number: int, anchor: str = "") -> str:
    url = url_for("learning.section", course_slug=course_slug, module_slug=module_slug, number=number)
    return f"{url}#{anchor}" if anchor else url


# Stored HTML in the player -------------------------------------------------------------------

_HREF_RE = re.compile(r'href="([^"]*)"')
_HEADING_RE = re.compile(r"<(/?)h([3-6])\b")


def anchor_pages(module_version: ModuleVersion) -> dict[str, int]:
    """Which section (numbered from 1) holds each anchor of the module."""
    pages: dict[str, int] = {}
    for number, section in enumerate(module_version.sections, start=1):
        pages.setdefault(section.anchor, number)
        for anchor in section.anchors or []:
            pages.setdefault(anchor, number)
    return pages


def link_rewriter(ctx: ModuleContext, *, current_section: int | None) -> Callable[[str], str]:
    """Rewrites links in stored HTML for one page of the player.

    ``#anchor`` on another page of the module goes to that page; ``/content/go/<module>`` goes to
    the module inside this course when the course has it. ``current_section`` None: everything is
    on one page (the print view), so in-page anchors stay as they are.
    """
    pages = anchor_pages(ctx.module_version)
    course_slug = ctx.course.slug
    modules_here = {e.module_version.slug: e.module_version for e in ctx.entries}

    def rewrite(match: re.Match) -> str:
        href = match.group(1)
        if href.startswith("#") and current_section is not None:
            page = pages.get(href[1:])
            if page is not None and page != current_section:
                return f'href="{section_url(course_slug, ctx.module_version.slug, page, href[1:])}"'
        elif href.startswith("/content/go/"):
            slug, _, fragment = href[len("/content/go/"):].partition("#")
            target = modules_here.get(slug)
            if target is not None:
                page = anchor_pages(target).get(fragment, 1) if fragment else None
                if page is None:
                    url = url_for("learning.module", course_slug=course_slug, module_slug=slug)
                else:
                    url = section_url(course_slug, slug, page, fragment)
                return f'href="{url}"'
        return match.group(0)

    return lambda html: _HREF_RE.sub(rewrite, html)


def demote_headings(html: str) -> str:
    """A section's ``###`` headings come out as <h3>; on a page whose <h1> is the section title
    they are the next level down, <h2> (headings must not skip a level)."""
    return _HEADING_RE.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) - 1}", html)
