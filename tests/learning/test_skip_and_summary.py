"""The skip-and-summary route on a module's hardest section: the start page says where the
hardest part is, the section offers its summary, reading the summary and continuing counts the
section as done (its decision point is not asked for), and only "summary viewed" is kept."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select

from modules.learning import progress
from modules.learning.models import ModuleProgress, SectionVisit

STORY = textwrap.dedent("""\
    ---
    title: A story in three parts
    kind: case_study
    minutes: 5
    content_note: This story mentions the exploitation of a child in general terms.
    pseudonyms: [Jo]
    sources: [dfe-cse-definition-2017]
    ---
    Jo is a made-up young person.

    ## The start

    Jo starts a new school.

    ## The hardest part

    !!! summary "If you skip this part"
        An adult gains Jo's trust and then controls Jo. A teacher notices and shares the concern.

    Something hard happens here, named but not described.

    ### Decision: What does the teacher do?

    - [x] Share the concern with the safeguarding lead today, and record what was seen.

        Consequence: The lead acts on it the same day.

    - [ ] Wait until next week to see whether things settle down again.

        Consequence: Nothing is shared, and the harm goes on for another week.

    **Practice point:** Share the same day.

    ## The end

    Jo gets support.
    """)

COURSE = textwrap.dedent("""\
    ---
    title: Skipping course
    code: SKIP-1
    level: 1
    audience: all
    cpd_minutes: 5
    refresher_months: 36
    pass_mark: 80
    modules:
      - a-story
    ---
    A course with one story.
    """)
BASE = "/my-training/courses/skipping/modules/a-story"


@pytest.fixture
def story(db, tmp_path: Path):
    from modules.content.checker import check_paths
    from modules.content.importer import import_checked
    from modules.content.models import Course

    folder = tmp_path / "courses" / "skipping"
    folder.mkdir(parents=True)
    (folder / "course.md").write_text(COURSE)
    (folder / "01-a-story.md").write_text(STORY)
    result = check_paths([tmp_path / "courses"])
    assert result.ok, [str(p) for p in result.problems]
    assert not result.warnings, [str(p) for p in result.warnings]
    import_checked(result)
    db.session.commit()
    return db.session.scalar(select(Course).where(Course.slug == "skipping"))


def test_the_summary_box_is_kept_apart_from_the_section_and_the_sources_are_resolved(db, story):
    mv = story.current_version.module_versions[0]
    hardest = mv.sections[2]
    assert hardest.title == "The hardest part"
    assert "controls Jo" in hardest.summary_html and "controls Jo" not in hardest.html
    assert [s.summary_html for s in mv.sections if s is not hardest] == [None, None, None]
    assert mv.sources == [{
        "key": "dfe-cse-definition-2017", "publisher": "Department for Education", "year": 2017,
        "title": "Child sexual exploitation: definition and a guide for practitioners",
    }]


def test_a_learner_skips_the_hardest_part_and_still_completes_the_module(db, story, learner, client, sign_in):
    progress.start_course(learner, story)
    db.session.commit()
    sign_in(learner)
    note = client.get(BASE).get_data(as_text=True)
    assert "The hardest part of this module is section 3, “The hardest part”" in note

    page = client.get(f"{BASE}/sections/3").get_data(as_text=True)
    assert "Skip this part and read a summary" in page and f"{BASE}/sections/3/summary" in page
    assert "Skip this part" not in client.get(f"{BASE}/sections/2").get_data(as_text=True)

    summary = client.get(f"{BASE}/sections/3/summary")
    assert summary.status_code == 200 and "controls Jo" in summary.get_data(as_text=True)
    assert db.session.scalar(select(SectionVisit).where(SectionVisit.section == 3)) is None  # GET writes nothing

    for number in (1, 2):
        assert client.post(f"{BASE}/sections/{number}").status_code == 302
    after = client.post(f"{BASE}/sections/3/summary")
    assert after.headers["Location"].endswith(f"{BASE}/sections/4")
    done = client.post(f"{BASE}/sections/4")
    assert done.headers["Location"].endswith(f"{BASE}/complete")  # the decision was not asked for

    run = db.session.scalar(select(ModuleProgress))
    assert run.completed_at is not None and not run.choices
    kept = {v.section: v.summary_only for v in run.visits}
    assert kept == {1: False, 2: False, 3: True, 4: False}
    last = client.get(f"{BASE}/sections/4").get_data(as_text=True)
    assert "(summary read)" in last
    assert "Department for Education, <cite>Child sexual exploitation: definition and a guide for practitioners</cite> (2017)" in last


def test_a_section_without_a_summary_has_no_summary_page(db, story, learner, client, sign_in):
    progress.start_course(learner, story)
    db.session.commit()
    sign_in(learner)
    assert client.get(f"{BASE}/sections/2/summary").status_code == 404
    assert client.post(f"{BASE}/sections/2/summary").status_code == 404
    assert client.get(f"{BASE}/sections/9/summary").status_code == 404


def test_reading_the_section_after_all_still_asks_for_its_decision(db, story, learner, client, sign_in):
    progress.start_course(learner, story)
    db.session.commit()
    sign_in(learner)
    response = client.post(f"{BASE}/sections/3")
    assert response.status_code == 200
    assert "Choose what you would do before you continue" in response.get_data(as_text=True)


def test_a_summary_box_in_a_handbook_or_empty_is_an_error(tmp_path: Path):
    from modules.content.checker import check_paths

    folder = tmp_path / "courses" / "skipping"
    folder.mkdir(parents=True)
    (folder / "course.md").write_text(COURSE.replace("  - a-story", "  - a-story\n  - a-book"))
    (folder / "01-a-story.md").write_text(STORY.replace(
        "    An adult gains Jo's trust and then controls Jo. A teacher notices and shares the concern.\n", ""))
    (folder / "02-a-book.md").write_text(
        "---\ntitle: A book\nkind: handbook\nminutes: 1\n---\n## Part\n\n!!! summary\n    Short.\n\nText.\n")
    messages = [(Path(p.path).name, p.line, p.message) for p in check_paths([tmp_path / "courses"]).errors]
    assert ("01-a-story.md", 17, "summary box has no text: indent, under the !!! summary line, what a "
            "learner who skips this section needs to know") in messages
    assert any(name == "02-a-book.md" and "cannot be skipped" in m for name, _line, m in messages)


def test_an_unknown_source_is_an_error_with_the_nearest_key(tmp_path: Path):
    from modules.content.checker import check_paths

    folder = tmp_path / "courses" / "skipping"
    folder.mkdir(parents=True)
    (folder / "course.md").write_text(COURSE)
    (folder / "01-a-story.md").write_text(STORY.replace("[dfe-cse-definition-2017]", "[dfe-cse-definition-2071]"))
    errors = [p.message for p in check_paths([tmp_path / "courses"]).errors]
    assert len(errors) == 1 and "source 'dfe-cse-definition-2071' is not in the register of sources" in errors[0]
    assert "did you mean 'dfe-cse-definition-2017'?" in errors[0]


def test_a_source_without_a_date_is_undated_and_a_made_up_year_is_refused(tmp_path: Path):
    from modules.content.sources import load_register

    (tmp_path / "sources.yaml").write_text(
        "page:\n  title: A council page\n  publisher: A council\n  year: undated\n  facts: facts §2\n"
        "bad:\n  title: B\n  publisher: C\n  year: last year\n  facts: facts §2\n")
    problems: list = []
    register = load_register([tmp_path], problems)
    assert register.sources["page"].year is None and register.sources["page"].stored()["year"] is None
    assert [(p.line, p.message) for p in problems] == [
        (6, "source 'bad': year must be a year like 2024, or undated for a page that gives none (found 'last year')")]
