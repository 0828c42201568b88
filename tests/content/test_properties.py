"""Property tests: random and malformed Markdown and front matter fed to check and import.

Whatever the input: no unhandled exception, every problem has a path, line and column, content
with errors is never (even partly) imported, and content without errors imports consistently and
idempotently."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from modules.content.checker import check_paths
from modules.content.importer import ContentNotValid, import_checked
from modules.content.models import Course, CourseVersion, Module, ModuleVersion, Question
from modules.core.models import AuditEvent
from tests.content.conftest import CERTIFICATES

words = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,8}", fullmatch=True)
text = st.text(max_size=25)
plain = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FFF, exclude_characters="\\"), max_size=25)

FRAGMENTS = [
    "## {t}", "## Section {p}", "### Decision: {p}", "### Decision:", "- [x] {p}", "- [ ] {p}", "- [x]",
    "    Consequence: {p}", "  {p}", "**Practice point:** {p}", '!!! reflect "{p}"', "!!! reflect",
    "    {p}", "!!! note \"{p}\"", "!!! {w}", "[[local-contacts]]", "[[{w}]]", "> {p}", "Source: {p}",
    '- avoid "{p}": {p}', '- expect "{p}", "{w}": {p}', "- avoid {p}", "## {p} {{type={w}}}",
    "## {p} {{type=rewrite}}", "## {p} {{type=true-false}}", "## {p} {{pool={w} id={w}}}", "## {p} {{{w}}}",
    "[{p}](#{w})", "[{p}]({w}.md)", "[{p}](../{w}/{w}.md#{w})", "![{p}](images/{w}.png)", "![]({w})",
    "[{p}](javascript:{w})", "{p}[^{w}]", "[^{w}]: {p}", "[{w}]: https://example.org/{w}",
    "| a | b |\n|---|---|\n| {p} | {p} |", "{t}", "{p}", "", "", "---", "```", "<script>{p}</script>",
    "## {p} {{#{w}}}", "### {p}", "#" * 7, "{p} LS1 4AP 07700 900123 12 March 2023",
    "    - [x] {p}", "\t{p}", "- [X] {p}\n\n    {p}", "1. {p}",
]

fragment = st.builds(
    lambda template, t, p, w: template.format(t=t, p=p, w=w),
    st.sampled_from(FRAGMENTS), text, plain, words,
)
body = st.lists(fragment, max_size=14).map("\n".join)

MODULE_VALUES = {
    "title": st.one_of(plain, st.sampled_from(['"A: title"', "[a, b]", "", "1984", "null"])),
    "kind": st.sampled_from(["lesson", "case_study", "quiz", "handbook", "video", "", "[quiz]"]),
    "minutes": st.sampled_from(["5", "0", "-1", "ten", "1.5", "99999999999999999999"]),
    "content_note": plain,
    "id": st.one_of(words, plain),
    "summary": st.one_of(plain, st.just("2024-13-45")),
    "pass_mark": st.sampled_from(["80", "0", "101", "x"]),
    "assessment": st.sampled_from(["true", "false", "maybe"]),
    "draw": st.sampled_from(["1", "2", "50", "{default: 1}", "{terms: 2, x: 1}", "{a: b}", "[1, 2]", "lots"]),
    "colour": plain,
}


@st.composite
def front_matter(draw, values=MODULE_VALUES, required=("title", "kind", "minutes")):
    keys = draw(st.lists(st.sampled_from(sorted(values)), unique=True, max_size=len(values)))
    keys = list(dict.fromkeys([*(k for k in required if draw(st.booleans()) or True), *keys]))
    lines = [f"{key}: {draw(values[key])}" for key in keys if draw(st.integers(0, 9)) > 0]
    if draw(st.integers(0, 9)) == 0:
        lines.insert(draw(st.integers(0, len(lines))), draw(text))  # anything at all
    closing = "" if draw(st.integers(0, 19)) == 0 else "---\n"
    return "---\n" + "\n".join(lines) + "\n" + closing


@st.composite
def corpora(draw):
    """{relative path: bytes} for one or two course folders."""
    files: dict[str, bytes] = {}
    ids = []
    for folder in draw(st.lists(st.sampled_from(["one", "two", "Three"]), min_size=1, max_size=2, unique=True)):
        for n in range(draw(st.integers(0, 3))):
            ident = draw(words)
            name = f"{folder}/{n:02d}-{ident}.md"
            content = (draw(front_matter()) + draw(body)).encode("utf-8", "surrogatepass")
            if draw(st.integers(0, 29)) == 0:
                content = draw(st.binary(max_size=60))
            files[name] = content
            ids.append(ident)
        listed = draw(st.lists(st.one_of(st.sampled_from(ids or ["missing"]), words), max_size=4))
        modules = "\n".join(f"  - {i}" for i in listed) or "  []"
        course = (
            f"---\ntitle: {draw(plain) or 'T'}\ncode: {draw(st.sampled_from(['A-1', 'B-2', 'bad code']))}\n"
            f"level: {draw(st.sampled_from(['1', '2', '4']))}\naudience: {draw(st.sampled_from(['all', '[police]', '[x]']))}\n"
            f"cpd_minutes: 10\nrefresher_months: 12\npass_mark: 50\nmodules:\n{modules}\n---\n{draw(body)}"
        )
        files[f"{folder}/course.md"] = course.encode("utf-8", "surrogatepass")
        if draw(st.booleans()):
            files[f"{folder}/images/{draw(words)}.png"] = b"\x89PNG\r\n"
    return files


sentence = st.from_regex(r"[A-Z][a-z]{1,8}( [a-z]{1,8}){0,5}\.", fullmatch=True)
paragraph = st.lists(sentence, min_size=1, max_size=3).map(" ".join)


@st.composite
def decision_block(draw):
    options = draw(st.lists(st.tuples(sentence, st.booleans(), sentence), min_size=2, max_size=4))
    if not any(correct for _, correct, _ in options):
        options[0] = (options[0][0], True, options[0][2])
    lines = [f"### Decision: {draw(sentence)}", ""]
    for label, correct, consequence in options:
        lines += [f"- [{'x' if correct else ' '}] {label}", "", f"    Consequence: {consequence}", ""]
    return "\n".join(lines + [f"**Practice point:** {draw(sentence)}"])


@st.composite
def question_block(draw):
    kind = draw(st.sampled_from(["single", "multiple", "true-false", "better-wording", "rewrite", None]))
    pool = draw(st.sampled_from(["", " pool=terms", " pool=cases"]))
    heading = f"## {draw(sentence)}" + (f" {{type={kind}{pool}}}" if kind else (f" {{{pool.strip()}}}" if pool else ""))
    if kind == "rewrite":
        body = [f"> {draw(sentence)}", "", f'- avoid "{draw(words)}": {draw(sentence)}',
                f'- expect "{draw(words)}", "{draw(words)}": {draw(sentence)}']
    elif kind == "true-false":
        right = draw(st.booleans())
        body = [f"- [{'x' if right else ' '}] True", f"- [{' ' if right else 'x'}] False"]
    else:
        count = draw(st.integers(2, 4))
        correct = {0} if kind in ("single", "better-wording") else set(draw(st.lists(st.integers(0, count - 1), min_size=1, unique=True)))
        if kind == "multiple" and len(correct) < 2:
            correct = {0, 1}
        body = [f"- [{'x' if i in correct else ' '}] {draw(sentence)}" + (f"\n\n    {draw(sentence)}\n" if draw(st.booleans()) else "")
                for i in range(count)]
    tail = [f"> {draw(sentence)}", "", f"Source: {draw(sentence)}"] if draw(st.booleans()) else []
    return "\n".join([heading, "", *body, "", *tail])


@st.composite
def valid_module(draw, ident: str):
    kind = draw(st.sampled_from(["lesson", "case_study", "quiz", "handbook"]))
    settings = [f"title: {draw(sentence)}", f"kind: {kind}", f"minutes: {draw(st.integers(1, 60))}"]
    if kind == "case_study" or draw(st.booleans()):
        settings.append(f"content_note: {draw(sentence)}")
    parts = [draw(paragraph)] if draw(st.booleans()) else []
    if kind == "quiz":
        questions = draw(st.lists(question_block(), min_size=1, max_size=4))
        parts += questions
        if draw(st.booleans()):
            settings.append(f"draw: {draw(st.integers(1, len(questions)))}")
        if draw(st.booleans()):
            settings.append(f"pass_mark: {draw(st.integers(1, 100))}")
    else:
        for _ in range(draw(st.integers(0, 3))):
            parts.append(f"## {draw(sentence)}\n\n{draw(paragraph)}")
            if kind != "handbook" and draw(st.booleans()):
                parts.append(f'!!! reflect "Pause and reflect"\n    {draw(sentence)}')
            if kind != "handbook" and draw(st.booleans()):
                parts.append(draw(decision_block()))
            if kind == "handbook" and draw(st.booleans()):
                parts.append("[[local-contacts]]")
    if draw(st.integers(0, 4)) == 0:  # now and then, a malformed line somewhere
        parts.insert(draw(st.integers(0, len(parts))), draw(fragment))
    return "---\n" + "\n".join(settings) + "\n---\n" + "\n\n".join(parts) + "\n"


@st.composite
def valid_corpora(draw):
    """Mostly valid content (so that importing is exercised), sometimes with one bad line."""
    files: dict[str, bytes] = {}
    idents = draw(st.lists(words.filter(lambda w: "_" not in w and not w.endswith("-") and "--" not in w),
                           min_size=1, max_size=4, unique=True))
    for n, ident in enumerate(idents):
        files[f"one/{n:02d}-{ident}.md"] = draw(valid_module(ident)).encode()
    for folder, code in (("one", "ONE-1"), ("two", "TWO-2")):
        listed = draw(st.lists(st.sampled_from(idents), min_size=1, unique=True))
        modules = "\n".join(f"  - {i}" for i in listed)
        files[f"{folder}/course.md"] = (
            f"---\ntitle: {draw(sentence)}\ncode: {code}\nlevel: {draw(st.integers(1, 3))}\naudience: all\n"
            f"cpd_minutes: 10\nrefresher_months: 12\npass_mark: 50\nmodules:\n{modules}\n---\n{draw(paragraph)}\n"
        ).encode()
    return files


def materialise(files: dict[str, bytes], root: Path) -> None:
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def assert_well_formed(result, root: Path) -> None:
    for problem in result.problems:
        assert isinstance(problem.path, Path) and str(problem.path)
        assert problem.path == root or root in problem.path.parents or problem.path.is_relative_to(root)
        assert problem.line >= 1 and problem.col >= 1
        assert problem.message and "internal error" not in problem.message, str(problem)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(corpora(), valid_corpora()))
def test_check_never_crashes_and_locates_every_problem(files):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "courses"
        root.mkdir()
        materialise(files, root)
        result = check_paths([root], CERTIFICATES)
        assert_well_formed(result, root)


def _counts(db) -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (Course, CourseVersion, Module, ModuleVersion, Question, AuditEvent))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.one_of(valid_corpora(), corpora()))
def test_import_is_all_or_nothing(db, files):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "courses"
        root.mkdir()
        materialise(files, root)
        result = check_paths([root], CERTIFICATES)
        assert_well_formed(result, root)
        before = _counts(db)
        if not result.ok:
            try:
                import_checked(result)
            except ContentNotValid:
                pass
            else:
                raise AssertionError("content with errors was imported")
            assert _counts(db) == before
            return
        import_checked(result)
        db.session.expire_all()
        for parsed in result.modules:
            module = db.session.scalar(select(Module).where(Module.slug == parsed.slug))
            assert module.current_version.content_hash == parsed.content_hash
            assert len(module.current_version.questions) == len(parsed.questions)
        for parsed in result.courses:
            course = db.session.scalar(select(Course).where(Course.slug == parsed.slug))
            version = course.current_version
            assert version.content_hash == parsed.content_hash
            assert [mv.module.slug for mv in version.module_versions] == parsed.module_ids
        after = _counts(db)
        again = import_checked(check_paths([root], CERTIFICATES))
        assert not again.changed and _counts(db) == after
