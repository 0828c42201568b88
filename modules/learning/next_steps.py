"""Where a learner goes once they finish something: the next module of the course, the time the
rest of the course takes, and the certificate when the course is done.

Certificates plug in through :func:`register_certificate_ready` (the learning area must not
import the certificates area, which sits above it): the certificates area registers a function
``(completion) -> CertificateReady | None``, and the module-complete and quiz results pages show
"Your certificate is ready" with its links, or say it will be on My certificates.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app

from modules.learning.models import Completion
from modules.learning.progress import ModuleEntry, ModuleState


@dataclass(frozen=True)
class CertificateReady:
    download_url: str
    email_url: str  # where the "Email it to me" form posts (with a CSRF token)
    number: str


CertificateProvider = Callable[[Completion], CertificateReady | None]
_EXTENSION_KEY = "sightline_certificate_ready"


def register_certificate_ready(app, provider: CertificateProvider) -> None:
    """Let the certificates area say which certificate a completion has, ready to hand out."""
    app.extensions[_EXTENSION_KEY] = provider


def certificate_ready(completion: Completion | None) -> CertificateReady | None:
    """The completion's certificate, if it has one that may be handed out (not revoked)."""
    if completion is None or completion.is_withdrawn:
        return None
    provider = current_app.extensions.get(_EXTENSION_KEY)
    return provider(completion) if provider else None


@dataclass(frozen=True)
class NextStep:
    """What follows a finished module in its course."""

    following: ModuleEntry | None  # the module to take next; None when none is left to take
    minutes_left: int  # the modules not yet completed, at their stated durations
    minutes_total: int  # every module of the course
    course_done: bool  # every module is completed


def next_module(entries: list[ModuleEntry], after_position: int) -> ModuleEntry | None:
    """The first module after ``after_position`` (course order) that the learner can take and
    has not completed, else the first such module before it (one they skipped)."""
    open_entries = [e for e in entries if e.state in (ModuleState.not_started, ModuleState.in_progress)]
    later = [e for e in open_entries if e.position > after_position]
    return (later or open_entries or [None])[0]


def minutes_left(entries: list[ModuleEntry]) -> int:
    return sum(e.module_version.minutes or 0 for e in entries if e.state is not ModuleState.completed)


def minutes_total(entries: list[ModuleEntry]) -> int:
    return sum(e.module_version.minutes or 0 for e in entries)


def next_step(entries: list[ModuleEntry], after_position: int) -> NextStep:
    """The next module after the one at ``after_position``, and how long the rest takes."""
    done = bool(entries) and all(e.state is ModuleState.completed for e in entries)
    return NextStep(
        following=None if done else next_module(entries, after_position),
        minutes_left=minutes_left(entries),
        minutes_total=minutes_total(entries),
        course_done=done,
    )
