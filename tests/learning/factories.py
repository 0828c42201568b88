"""Content rows built directly (the shapes the importer stores), for fast service tests.

Sections carry the importer's slots (``<div class="sl-slot" data-slot="decision:KEY">``) where
decision points, reflections and ``[[local-contacts]]`` sit.
"""
from __future__ import annotations

import hashlib
from typing import Any

from modules.content.models import (
    Course,
    CourseVersion,
    CourseVersionModule,
    DecisionPoint,
    Module,
    ModuleKind,
    ModuleSection,
    ModuleVersion,
    Question,
    Reflection,
)
from modules.content.slots import slot_html
from modules.core.extensions import db


def _hash(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def choice_question(key: str, *, pool: str = "default", correct: int = 0, options: int = 3,
                    type: str = "single", prompt: str | None = None) -> dict:
    """A choice question in the importer's data shape; option ``correct`` (or list) is right."""
    right = set(correct) if isinstance(correct, (list, tuple, set)) else {correct}
    return {
        "key": key,
        "type": type,
        "pool": pool,
        "data": {
            "prompt_html": prompt or f"Question {key}?",
            "stem_html": "",
            "options": [
                {
                    "key": f"{key}-o{i}",
                    "html": f"Option {i} of {key}",
                    "text": f"Option {i} of {key}",
                    "correct": i in right,
                    "feedback_html": f"<p class=\"govuk-body\">Feedback for option {i} of {key}.</p>",
                }
                for i in range(options)
            ],
            "explanation_html": f"<p class=\"govuk-body\">Why {key}.</p>",
            "source_html": f"Source for {key}",
        },
    }


def rewrite_question(key: str, *, pool: str = "default") -> dict:
    return {
        "key": key,
        "type": "rewrite",
        "pool": pool,
        "data": {
            "prompt_html": "Rewrite this sentence so that it does not blame the child",
            "stem_html": "",
            "sentence_html": "Jade keeps putting herself at risk.",
            "sentence_text": "Jade keeps putting herself at risk.",
            "avoid": [{"phrases": ["putting herself at risk"],
                       "feedback_html": "Putting herself at risk blames the child."}],
            "expect": [{"phrases": ["exploited", "groomed", "adults"],
                        "feedback_html": "Say what the adults are doing."}],
            "model_text": "Adults are grooming Jade and exploiting her.",
            "model_html": "<p class=\"govuk-body\">Adults are grooming Jade and exploiting her.</p>",
            "explanation_html": "<p class=\"govuk-body\">Describe the adults' actions.</p>",
            "source_html": "Language guide",
        },
    }


def decision(key: str, section_anchor: str, *, options: int = 3, correct: int = 1) -> dict:
    return {
        "key": key,
        "section_anchor": section_anchor,
        "prompt_html": f"What do you do at {key}?",
        "intro_html": "",
        "options": [
            {"key": f"{key}-o{i}", "html": f"Choice {i} at {key}",
             "consequence_html": f"<p class=\"govuk-body\">Consequence {i} at {key}.</p>",
             "correct": i == correct}
            for i in range(options)
        ],
        "practice_point_html": f"<p class=\"govuk-body\">Practice point for {key}.</p>",
    }


def make_module_version(
    slug: str,
    kind: ModuleKind = ModuleKind.lesson,
    *,
    sections: list[tuple[str, str, str]] | None = None,
    decisions: list[dict] | None = None,
    reflections: list[dict] | None = None,
    questions: list[dict] | None = None,
    draw: Any = None,
    pass_mark: int | None = None,
    assessment: bool = False,
    content_note: str | None = None,
    title: str | None = None,
) -> ModuleVersion:
    """A new version of module ``slug`` (creating the module identity the first time); it
    becomes the module's current version."""
    module = db.session.scalars(db.select(Module).where(Module.slug == slug)).first()
    if module is None:
        module = Module(slug=slug)
        db.session.add(module)
        db.session.flush()
    number = len(module.versions) + 1
    if sections is None:
        sections = [("introduction", title or slug, f"<p class=\"govuk-body\">About {slug}.</p>")]
    mv = ModuleVersion(
        module=module,
        number=number,
        content_hash=_hash(slug, number),
        source_path=f"courses/test/{slug}.md",
        kind=kind,
        title=title or slug.replace("-", " ").capitalize(),
        minutes=10,
        content_note=content_note,
        summary=f"Summary of {slug}",
        pass_mark=pass_mark,
        assessment=assessment,
        draw=draw,
        toc=[{"level": 2, "anchor": a, "title": t} for a, t, _ in sections],
        search_text="\n".join(f"{t}\n{h}" for _, t, h in sections) if kind == ModuleKind.handbook else None,
        sections=[
            ModuleSection(position=i, anchor=a, title=t, html=h, plain_text=_plain(h), anchors=[a])
            for i, (a, t, h) in enumerate(sections)
        ],
        decision_points=[DecisionPoint(position=i, **d) for i, d in enumerate(decisions or [])],
        reflections=[
            Reflection(position=i, key=r["key"], section_anchor=r["section_anchor"],
                       title=r.get("title", "Pause and reflect"),
                       prompt_html=r.get("prompt_html", "<p class=\"govuk-body\">What do you think?</p>"))
            for i, r in enumerate(reflections or [])
        ],
        questions=[Question(position=i, **q) for i, q in enumerate(questions or [])],
    )
    db.session.add(mv)
    db.session.flush()
    module.current_version = mv
    db.session.flush()
    return mv


def _plain(html: str) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def make_course_version(
    slug: str,
    module_versions: list[ModuleVersion],
    *,
    code: str | None = None,
    audience: list[str] | None = None,
    refresher_months: int = 36,
    pass_mark: int = 80,
    title: str | None = None,
) -> CourseVersion:
    """A new version of course ``slug`` listing ``module_versions``; it becomes current."""
    course = db.session.scalars(db.select(Course).where(Course.slug == slug)).first()
    if course is None:
        course = Course(slug=slug)
        db.session.add(course)
        db.session.flush()
    number = len(course.versions) + 1
    cv = CourseVersion(
        course=course,
        number=number,
        content_hash=_hash(slug, number, [m.id for m in module_versions]),
        source_path=f"courses/{slug}/course.md",
        title=title or f"Course {slug}",
        code=code or slug.upper(),
        level=1,
        audience=audience or ["all"],
        cpd_minutes=60,
        refresher_months=refresher_months,
        pass_mark=pass_mark,
        certificate_design="default",
        summary=f"Summary of {slug}",
        description_html=f"<p class=\"govuk-body\">About {slug}.</p>",
        entries=[CourseVersionModule(position=i, module_version=mv) for i, mv in enumerate(module_versions)],
    )
    db.session.add(cv)
    db.session.flush()
    course.current_version = cv
    db.session.commit()
    return cv


def standard_modules(prefix: str = "") -> dict[str, ModuleVersion]:
    """A lesson (2 sections), a case study (decision point + reflection, content note), a
    handbook with local contacts, and an assessment drawing 2 of 4 questions."""
    lesson = make_module_version(
        f"{prefix}lesson",
        sections=[
            ("introduction", "Lesson", "<p class=\"govuk-body\">Lesson introduction.</p>"),
            ("signs", "Signs", "<p class=\"govuk-body\">Unexplained gifts are a sign.</p>"),
        ],
    )
    case = make_module_version(
        f"{prefix}case-study",
        ModuleKind.case_study,
        content_note="This case study mentions sexual exploitation.",
        sections=[
            ("introduction", "Case study", "<p class=\"govuk-body\">A composite story.</p>"),
            ("month-1", "Month 1",
             "<p class=\"govuk-body\">Before the decision.</p>" + slot_html("decision:d-one")
             + "<p class=\"govuk-body\">After the decision.</p>" + slot_html("reflection:r-one")),
            ("month-2", "Month 2", "<p class=\"govuk-body\">What happened next.</p>"),
        ],
        decisions=[decision("d-one", "month-1")],
        reflections=[{"key": "r-one", "section_anchor": "month-1"}],
    )
    handbook = make_module_version(
        f"{prefix}handbook",
        ModuleKind.handbook,
        sections=[
            ("introduction", "Handbook", "<p class=\"govuk-body\">Keep this open. See <a href=\"#who-to-call\">who to call</a>.</p>"),
            ("recording", "Record", "<p class=\"govuk-body\">Write down what the child said, in their words.</p>"),
            ("who-to-call", "Who to call", "<p class=\"govuk-body\">Your contacts:</p>" + slot_html("local-contacts")),
        ],
    )
    quiz = make_module_version(
        f"{prefix}assessment",
        ModuleKind.quiz,
        assessment=True,
        draw={"a": 1, "b": 1},
        sections=[("introduction", "Assessment", "<p class=\"govuk-body\">Two questions.</p>")],
        questions=[
            choice_question(f"{prefix}qa1", pool="a", correct=0),
            choice_question(f"{prefix}qa2", pool="a", correct=1, type="true-false", options=2),
            choice_question(f"{prefix}qb1", pool="b", correct=[0, 1], type="multiple"),
            choice_question(f"{prefix}qb2", pool="b", correct=1, type="better-wording", options=2),
        ],
    )
    return {"lesson": lesson, "case": case, "handbook": handbook, "quiz": quiz}
