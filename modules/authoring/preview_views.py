"""Preview as a learner (the module from the working copy, through the player's own partials and
question templates, nothing recorded) and dismissing a personal-data finding as a false alarm."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from modules.authoring import drafts, false_alarms, learner_preview
from modules.authoring.false_alarm_form import FalseAlarmForm
from modules.authoring.views import bp
from modules.content.models import ModuleKind
from modules.content.slots import fill_slots
from modules.core.extensions import db
from modules.core.policies import allow
from modules.core.roles import Role
from modules.learning.contacts import local_contacts
from modules.learning.progress import LearningError
from modules.learning.views.common import demote_headings

AUTHORS = (Role.trainer, Role.partnership_admin)
PREVIEW_URL = "/files/<path:path>/preview"
SECTION_FORM_ID = "preview-section-form"


def editor_url(path: str, line: int | None = None) -> str:
    url = url_for("authoring.edit_file", path=path)
    return f"{url}#L{line}" if line else url


def _load(path: str) -> learner_preview.LearnerPreview:
    try:
        return learner_preview.load(path)
    except learner_preview.NotAModule:
        abort(404)


def _page(template: str, preview, **context):
    return render_template(template, preview=preview, path=preview.path, mv=preview.version,
                           editor_url=editor_url, **context)


def _cannot_show(preview):
    return _page("authoring/preview_cannot_show.html", preview)


@bp.get(PREVIEW_URL)
@allow(*AUTHORS)
def preview_as_learner(path: str):
    """The module's front door as a learner meets it: the quiz page, the content note, or the
    first section."""
    preview = _load(path)
    mv = preview.version
    if mv is None:
        return _cannot_show(preview)
    if mv.kind is ModuleKind.quiz:
        return _page("authoring/preview_quiz.html", preview,
                     question_count=learner_preview.quizzes.questions_per_attempt(mv))
    if not mv.sections:
        return _cannot_show(preview)
    if mv.content_note:
        return _page("authoring/preview_note.html", preview)
    return _render_section(preview, 1)


@bp.post(PREVIEW_URL)
@allow(*AUTHORS)
def preview_start_quiz(path: str):
    """Start a try at the quiz: a fresh draw of questions, kept in the page, not in a table."""
    preview = _quiz_or_404(path)
    state = learner_preview.new_quiz(preview.version)
    if not state.drawn:
        return _cannot_show(preview)
    return _render_question(preview, state, 1)


def _quiz_or_404(path: str):
    preview = _load(path)
    if preview.version is None or preview.version.kind is not ModuleKind.quiz:
        abort(404)
    return preview


@bp.post(PREVIEW_URL + "/questions/<int:number>")
@allow(*AUTHORS)
def preview_answer(path: str, number: int):
    """An answer to one question of the try: the next question, or the marked results."""
    preview = _quiz_or_404(path)
    mv = preview.version
    state = learner_preview.quiz_state(request.form.get("state", ""), mv)
    questions = learner_preview.drawn_questions(state, mv)
    if not 1 <= number <= len(questions):
        return _render_question(preview, state, 1)
    question = questions[number - 1]
    form = request.form.to_dict(flat=False)
    try:
        state.answers[question.position] = learner_preview.read_answer(question, form)
    except LearningError as exc:
        return _render_question(preview, state, number, error=str(exc), draft=form)
    if number < len(questions):
        return _render_question(preview, state, number + 1)
    result = learner_preview.mark(state, mv, preview.pass_mark)
    return _page("authoring/preview_results.html", preview, outcome=result)


def _render_question(preview, state, number: int, *, error: str | None = None, draft=None):
    questions = learner_preview.drawn_questions(state, preview.version)
    question = questions[number - 1]
    answer_form = draft if draft is not None else state.answers.get(question.position, {})
    return _page("authoring/preview_question.html", preview, question=question, number=number,
                 total=len(questions), answer_form=answer_form, error=error, state=state.dumps())


def _section_number(preview, number: int) -> int:
    mv = preview.version
    if mv is None or mv.kind is ModuleKind.quiz or not 1 <= number <= len(mv.sections):
        abort(404)
    return number


@bp.get(PREVIEW_URL + "/sections/<int:number>")
@allow(*AUTHORS)
def preview_section(path: str, number: int):
    """One section of the module, as the player shows it."""
    preview = _load(path)
    return _render_section(preview, _section_number(preview, number))


@bp.post(PREVIEW_URL + "/sections/<int:number>")
@allow(*AUTHORS)
def preview_reflect(path: str, number: int):
    """A "Save my reflection" press: the section again with what was typed, saying that a
    preview keeps nothing."""
    preview = _load(path)
    number = _section_number(preview, number)
    typed = {r.key: request.form.get(f"reflection-{r.key}", "") for r in preview.version.reflections}
    return _render_section(preview, number, typed=typed, reflected=True)


@bp.post(PREVIEW_URL + "/sections/<int:number>/decisions/<key>")
@allow(*AUTHORS)
def preview_decide(path: str, number: int, key: str):
    """A choice at a decision point: the section again, showing its consequence."""
    preview = _load(path)
    number = _section_number(preview, number)
    mv = preview.version
    decision = mv.decision_point(key)
    if decision is None:
        abort(404)
    option = request.form.get("option", "")
    chosen = learner_preview.choices_from(request.form, mv)
    if option not in {o["key"] for o in decision.options}:
        return _render_section(preview, number, chosen=chosen, errors={key: "Choose what you would do"})
    if key in chosen:  # as in the player: the first choice stays, this one is opened
        if option != chosen[key].option_key and option not in chosen[key].explored:
            chosen[key].explored.append(option)
    else:
        chosen[key] = learner_preview.SimpleNamespace(option_key=option, explored=[])
    return _render_section(preview, number, chosen=chosen)


def _render_section(preview, number: int, *, chosen=None, errors=None, typed=None, reflected=False):
    mv = preview.version
    section = mv.sections[number - 1]
    chosen, errors, typed = chosen or {}, errors or {}, typed or {}
    decisions = {d.key: d for d in mv.decision_points}
    reflections = {r.key: r for r in mv.reflections}
    path = preview.path

    def section_url(page: int) -> str:
        return url_for("authoring.preview_section", path=path, number=page)

    def fill(name: str) -> str:
        kind, _, key = name.partition(":")
        if kind == "decision" and key in decisions:
            return render_template(
                "learning/_decision.html", decision=decisions[key], choice=chosen.get(key),
                error=errors.get(key), hidden_fields=_kept_choices(chosen),
                action=url_for("authoring.preview_decide", path=path, number=number, key=key),
            )
        if kind == "reflection" and key in reflections:
            return render_template(
                "learning/_reflection.html", reflection=reflections[key], error=None,
                text=typed.get(key, ""), saved=False, field_name=f"reflection-{key}",
                form_id=SECTION_FORM_ID, action=url_for("authoring.preview_reflect", path=path, number=number),
            )
        if name == "local-contacts":
            return render_template("learning/_local_contacts.html", contacts=local_contacts())
        return ""

    rewrite = learner_preview.in_page_links(mv, number, section_url)
    html = fill_slots(demote_headings(rewrite(section.html)), fill)
    error_list = [{"text": text, "href": f"#decision-{key}-option"} for key, text in errors.items()]
    return _page("authoring/preview_section.html", preview, section=section, html=html, number=number,
                 total=len(mv.sections), errors=error_list, form_id=SECTION_FORM_ID,
                 reflected=reflected, section_url=section_url)


def _kept_choices(chosen) -> Markup:
    """The choices already made on this page, sent again with the next one (nothing is stored)."""
    return Markup("").join(
        Markup('<input type="hidden" name="chose-{}" value="{}">').format(key, choice.option_key)
        + Markup("").join(
            Markup('<input type="hidden" name="explored-{}" value="{}">').format(key, opened)
            for opened in choice.explored
        )
        for key, choice in chosen.items()
    )


# False alarms --------------------------------------------------------------------------------

@bp.post("/files/<path:path>/false-alarms")
@allow(*AUTHORS)
def dismiss_finding(path: str):
    """Dismiss a personal-data finding as a false alarm, with a reason, in the file's draft."""
    if drafts.current_text(path) is None:
        abort(404)
    form = FalseAlarmForm()
    problem = None
    if form.validate_on_submit():
        try:
            false_alarms.dismiss(path, words=form.text.data, reason=form.reason.data,
                                 expected_revision=form.revision_number, actor=current_user)
        except false_alarms.NotDismissable as exc:
            problem = str(exc)
        except drafts.DraftConflict as exc:
            problem = (f"Your dismissal was not saved: {exc}. Open the file again to see their "
                       "changes, then dismiss the finding if it is still there.")
        except ValueError:
            abort(404)
        else:
            db.session.commit()
            flash(f"‘{form.text.data}’ is dismissed as a false alarm. The reason is kept in the "
                  "module's settings (false_alarms) and in the audit log.", "success")
            return redirect(editor_url(path))
    return render_template("authoring/false_alarm.html", form=form, path=path, problem=problem,
                           editor_url=editor_url)
