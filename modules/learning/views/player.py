"""The module player: one page per section, decision points, reflections, breaks, handbooks."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from modules.content.models import ModuleKind
from modules.content.slots import fill_slots
from modules.core.extensions import db
from modules.core.params import query_int
from modules.core.policies import allow
from modules.learning import handbook, next_steps, progress
from modules.learning.completion import after_module_activity
from modules.learning.contacts import local_contacts
from modules.learning.progress import ModuleState
from modules.learning.views.blueprint import bp
from modules.learning.views.common import (
    ModuleContext,
    demote_headings,
    link_rewriter,
    module_context,
    section_url,
)

MODULE_URL = "/my-training/courses/<course_slug>/modules/<module_slug>"


@bp.get(MODULE_URL)
@allow()
def module(course_slug: str, module_slug: str):
    """A module's front door: the content note before a first visit, else where the learner
    left off (quizzes go to the quiz page)."""
    ctx = module_context(course_slug, module_slug)
    mv = ctx.module_version
    if mv.kind is ModuleKind.quiz:
        return redirect(url_for("learning.quiz", course_slug=course_slug, module_slug=module_slug))
    run = progress.working_run(ctx.enrolment, mv)
    started = run is not None and bool(run.visits or run.choices)
    if mv.content_note and not started and request.args.get("note") != "read":
        return render_template("learning/content_note.html", ctx=ctx, course=ctx.course, mv=mv)
    number = run.last_section if run is not None and started else 1
    return redirect(section_url(course_slug, module_slug, min(max(number, 1), max(progress.section_count(mv), 1))))


def _section_number(ctx: ModuleContext, number: int) -> int:
    if ctx.module_version.kind is ModuleKind.quiz or not 1 <= number <= progress.section_count(ctx.module_version):
        abort(404)
    return number


@bp.get(MODULE_URL + "/sections/<int:number>")
@allow()
def section(course_slug: str, module_slug: str, number: int):
    """One section of a module."""
    ctx = module_context(course_slug, module_slug)
    return _render_section(ctx, _section_number(ctx, number))


# The section's one form: its Continue, Take a break and each "Save my reflection" button all
# send every reflection box (the boxes sit in the content, joined to the form by its id).
SECTION_FORM_ID = "section-form"
REFLECTION_FIELD = "reflection-{key}"
REFLECTION_SAVED = "Your reflection is saved. Only you can see it."


def _keep_what_was_typed(ctx: ModuleContext, number: int):
    """Save what is in the section's reflection boxes (every button of the page sends them).

    :return: the result, and the section page showing the errors when a box could not be kept
        (what was typed is shown again), else None.
    """
    reflections = progress.reflections_in_section(ctx.module_version, number)
    typed = {
        r.key: request.form[REFLECTION_FIELD.format(key=r.key)]
        for r in reflections
        if REFLECTION_FIELD.format(key=r.key) in request.form
    }
    result = progress.save_typed_reflections(current_user.id, reflections, typed)
    refusal = _render_section(ctx, number, errors=result.errors, drafts=typed) if result.errors else None
    return result, refusal


@bp.post(MODULE_URL + "/sections/<int:number>")
@allow()
def section_continue(course_slug: str, module_slug: str, number: int):
    """The learner has read the section: keep what they wrote, remember the section, then the
    next section (or the end)."""
    ctx = module_context(course_slug, module_slug)
    number = _section_number(ctx, number)
    mv = ctx.module_version
    reflections, refusal = _keep_what_was_typed(ctx, number)
    if refusal:
        return refusal
    run = progress.working_run(ctx.enrolment, mv, create=True)
    waiting = progress.unanswered_decisions(run, progress.decisions_in_section(mv, number))
    if waiting:
        db.session.commit()  # what they wrote is kept while they answer the decision
        return _render_section(
            ctx, number, errors={waiting[0].key: "Choose what you would do before you continue"}
        )
    progress.record_visit(run, number)
    if reflections.saved:
        flash(REFLECTION_SAVED, "success")
    return _after_section(ctx, run, number)


def _after_section(ctx: ModuleContext, run, number: int):
    """Once a section is done (read, or skipped for its summary): the next section, the first one
    still waiting, or the module-complete page."""
    course_slug, module_slug, mv = ctx.course.slug, ctx.module_version.slug, ctx.module_version
    completions = after_module_activity(run)
    db.session.commit()
    if number < progress.section_count(mv):
        return redirect(section_url(course_slug, module_slug, number + 1))
    if run.completed_at is None:
        missing = _first_unfinished_section(run)
        flash("You have not finished this module yet: this page still needs your attention.", "info")
        return redirect(section_url(course_slug, module_slug, missing))
    for other in (c for c in completions if c.course_id != ctx.course.id):
        # A shared module can finish another course too; this page speaks only of this one.
        flash(f"You have also completed “{other.course_version.title}”.", "success")
    return redirect(url_for("learning.module_complete", course_slug=course_slug, module_slug=module_slug))


@bp.get(MODULE_URL + "/complete")
@allow()
def module_complete(course_slug: str, module_slug: str):
    """After "Finish this module": the next module and the time the course still takes, or the
    course completed with its certificate. Reads only: a module not completed is sent to itself."""
    ctx = module_context(course_slug, module_slug)
    if ctx.entry.state is not ModuleState.completed:
        return redirect(url_for("learning.module", course_slug=course_slug, module_slug=module_slug))
    step = next_steps.next_step(ctx.entries, ctx.entry.position)
    completion = ctx.enrolment.completion
    course_done = step.course_done and completion is not None and not completion.is_withdrawn
    return render_template(
        "learning/module_complete.html", ctx=ctx, course=ctx.course, mv=ctx.module_version, step=step,
        course_done=course_done, completion=completion,
        certificate=next_steps.certificate_ready(completion) if course_done else None,
    )


def _first_unfinished_section(run) -> int:
    mv = run.module_version
    visited = run.visited_sections
    skipped = progress.summary_sections(run)
    for number in range(1, progress.section_count(mv) + 1):
        if number not in visited:
            return number
        if number not in skipped and progress.unanswered_decisions(run, progress.decisions_in_section(mv, number)):
            return number
    return 1


def _summary_section(ctx: ModuleContext, number: int):
    section = ctx.module_version.sections[_section_number(ctx, number) - 1]
    if not section.summary_html:
        abort(404)
    return section


@bp.get(MODULE_URL + "/sections/<int:number>/summary")
@allow()
def section_summary(course_slug: str, module_slug: str, number: int):
    """The summary a learner may read instead of one of the module's hardest sections (reads
    only: choosing Continue here is what records "summary viewed")."""
    ctx = module_context(course_slug, module_slug)
    section = _summary_section(ctx, number)
    return render_template(
        "learning/section_summary.html", ctx=ctx, course=ctx.course, mv=ctx.module_version,
        section=section, number=number, total=progress.section_count(ctx.module_version),
    )


@bp.post(MODULE_URL + "/sections/<int:number>/summary")
@allow()
def summary_continue(course_slug: str, module_slug: str, number: int):
    """The learner read the summary instead of the section: it counts as done, then on."""
    ctx = module_context(course_slug, module_slug)
    _summary_section(ctx, number)
    run = progress.working_run(ctx.enrolment, ctx.module_version, create=True)
    progress.record_summary_read(run, number)
    return _after_section(ctx, run, number)


@bp.post(MODULE_URL + "/break")
@allow()
def take_break(course_slug: str, module_slug: str):
    """Save the learner's place (and what they wrote) and go back to My training."""
    ctx = module_context(course_slug, module_slug)
    mv = ctx.module_version
    number = min(max(query_int(request.form, "section", 1), 1), max(progress.section_count(mv), 1))
    if mv.sections:
        _, refusal = _keep_what_was_typed(ctx, number)
        if refusal:
            return refusal
    run = progress.working_run(ctx.enrolment, mv, create=True)
    progress.save_place(run, number)
    db.session.commit()
    flash(
        f"Your place in “{ctx.module_version.title}” is saved. When you are ready, choose "
        "“Continue where you left off”.",
        "success",
    )
    return redirect(url_for("learning.my_training"))


@bp.post(MODULE_URL + "/decisions/<key>")
@allow()
def decide(course_slug: str, module_slug: str, key: str):
    """The learner's choice at a decision point; the page then shows its consequence. Once
    they have chosen, an option sent here is one they open to see what it would have led to
    (their first choice stays the one kept)."""
    ctx = module_context(course_slug, module_slug)
    mv = ctx.module_version
    decision = mv.decision_point(key)
    if decision is None or mv.kind is ModuleKind.quiz:
        abort(404)
    number = _section_of(mv, decision.section_anchor)
    option = request.form.get("option", "")
    run = progress.working_run(ctx.enrolment, mv)
    chosen = progress.choice_for(run, decision)
    if option not in {o["key"] for o in decision.options}:
        if chosen is not None:
            return redirect(section_url(course_slug, module_slug, number, f"decision-{key}"))
        return _render_section(ctx, number, errors={key: "Choose what you would do"})
    if chosen is not None:
        progress.explore_option(run, decision, option)
        db.session.commit()
        return redirect(section_url(course_slug, module_slug, number, f"decision-{key}-{option}"))
    run = run or progress.working_run(ctx.enrolment, mv, create=True)
    progress.choose_option(run, decision, option)
    after_module_activity(run)
    db.session.commit()
    return redirect(section_url(course_slug, module_slug, number, f"decision-{key}"))


@bp.post(MODULE_URL + "/reflections/<key>")
@allow()
def reflect(course_slug: str, module_slug: str, key: str):
    """Keep what the learner wrote for a "Pause and reflect" prompt (private to them), and in the
    section's other boxes too."""
    ctx = module_context(course_slug, module_slug)
    mv = ctx.module_version
    reflection = mv.reflection(key)
    if reflection is None:
        abort(404)
    number = _section_of(mv, reflection.section_anchor)
    typed = request.form.get(REFLECTION_FIELD.format(key=key), "")
    if not typed.strip():
        return _render_section(ctx, number, errors={key: "Write your reflection before you save it."},
                               drafts={key: typed})
    _, refusal = _keep_what_was_typed(ctx, number)
    if refusal:
        return refusal
    db.session.commit()
    flash(REFLECTION_SAVED, "success")
    return redirect(section_url(course_slug, module_slug, number, f"reflection-{key}"))


def _section_of(mv, anchor: str) -> int:
    for number, section in enumerate(mv.sections, start=1):
        if section.anchor == anchor:
            return number
    abort(404)


def _render_section(ctx: ModuleContext, number: int, *, errors: dict[str, str] | None = None,
                    drafts: dict[str, str] | None = None):
    mv = ctx.module_version
    section = mv.sections[number - 1]
    run = progress.working_run(ctx.enrolment, mv)
    progress.load_run_details(run)
    errors = errors or {}
    drafts = drafts or {}
    course_slug, module_slug = ctx.course.slug, mv.slug
    decisions = {d.key: d for d in mv.decision_points}
    reflections = {r.key: r for r in mv.reflections}
    notes = progress.reflection_notes(current_user.id, list(reflections.values()))

    def fill(name: str) -> str:
        kind, _, key = name.partition(":")
        if kind == "decision" and key in decisions:
            decision = decisions[key]
            return render_template(
                "learning/_decision.html", decision=decision, choice=progress.choice_for(run, decision),
                error=errors.get(key),
                action=url_for("learning.decide", course_slug=course_slug, module_slug=module_slug, key=key),
            )
        if kind == "reflection" and key in reflections:
            reflection = reflections[key]
            note = notes.get(reflection.id)
            return render_template(
                "learning/_reflection.html", reflection=reflection, error=errors.get(key),
                text=drafts.get(key, note.text if note else ""), saved=note is not None,
                field_name=REFLECTION_FIELD.format(key=key), form_id=SECTION_FORM_ID,
                action=url_for("learning.reflect", course_slug=course_slug, module_slug=module_slug, key=key),
            )
        if name == "local-contacts":
            return render_template("learning/_local_contacts.html", contacts=local_contacts())
        return ""

    html = fill_slots(demote_headings(link_rewriter(ctx, current_section=number)(section.html)), fill)
    error_list = [{"text": text, "href": f"#{_error_target(key, decisions)}"} for key, text in errors.items()]
    return render_template(
        "learning/section.html",
        form_id=SECTION_FORM_ID,
        ctx=ctx,
        course=ctx.course,
        mv=mv,
        section=section,
        html=html,
        number=number,
        total=progress.section_count(mv),
        run=run,
        errors=error_list,
        is_handbook=mv.kind is ModuleKind.handbook,
    )


def _error_target(key: str, decisions: dict) -> str:
    if key in decisions:
        return f"decision-{key}-option"
    return f"reflection-{key}-text"


# Handbooks -----------------------------------------------------------------------------------

def _handbook_context(course_slug: str, module_slug: str) -> ModuleContext:
    ctx = module_context(course_slug, module_slug)
    if ctx.module_version.kind is not ModuleKind.handbook:
        abort(404)
    return ctx


@bp.get(MODULE_URL + "/search")
@allow()
def handbook_search(course_slug: str, module_slug: str):
    """Search the handbook's sections; results link to the section."""
    ctx = _handbook_context(course_slug, module_slug)
    query = request.args.get("q", "").strip()[: handbook.MAX_QUERY_LENGTH]
    hits = handbook.search_sections(ctx.module_version, query) if query else []
    return render_template(
        "learning/handbook_search.html", ctx=ctx, course=ctx.course, mv=ctx.module_version, query=query,
        hits=hits, searched=bool(query),
    )


@bp.get(MODULE_URL + "/print")
@allow()
def handbook_print(course_slug: str, module_slug: str):
    """The whole handbook on one page, with a print stylesheet."""
    ctx = _handbook_context(course_slug, module_slug)
    mv = ctx.module_version
    contacts = local_contacts()
    rewrite = link_rewriter(ctx, current_section=None)

    def fill(name: str) -> str:
        if name == "local-contacts":
            return render_template("learning/_local_contacts.html", contacts=contacts, level=3)
        return ""

    sections = [(section, fill_slots(rewrite(section.html), fill)) for section in mv.sections]
    return render_template(
        "learning/handbook_print.html", ctx=ctx, course=ctx.course, mv=mv, sections=sections,
    )
