"""The language checker's rules: inflection and word order, allowed uses, marked examples, strict
mode for learners' answers, the guide's content, and the result shape."""
from __future__ import annotations

import re

import pytest

from modules.checks.language import check_language, guide


def kinds(text: str, **kwargs) -> list[str]:
    return [f.kind for f in check_language(text, **kwargs)]


def test_the_guide_has_at_least_60_entries_each_with_alternatives_a_reason_and_a_source():
    entries = guide().entries
    assert len(entries) >= 60
    for entry in entries:
        assert entry.use and entry.why and entry.source, entry.id
        # Every entry rests on the domain facts (section 1 or the addendum), and says where.
        assert re.search(r"facts\.md §1|addendum §\d+", entry.basis), entry.id
        assert "UNVERIFIED" not in f"{entry.why} {entry.source} {entry.basis}"
        assert entry.avoid, entry.id


@pytest.mark.parametrize("text, kind", [
    # Every person and tense of "putting themselves at risk", in other word orders too.
    ("She is putting herself at risk.", "putting-themselves-at-risk"),
    ("He puts himself at risk.", "putting-themselves-at-risk"),
    ("They put themselves at risk.", "putting-themselves-at-risk"),
    ("She put herself at real risk.", "putting-themselves-at-risk"),
    ("He has placed himself in danger.", "putting-themselves-at-risk"),
    ("She keeps getting herself into trouble.", "putting-themselves-at-risk"),
    ("She consented.", "consented"),
    ("He was consenting.", "consented"),
    ("She chose to go.", "chose-to"),
    ("He chooses to stay there.", "chose-to"),
    ("They have chosen to leave with the men.", "chose-to"),
    ("She is dating a 30 year old.", "is-dating"),
    ("He dated an older man.", "is-dating"),
    ("She is in a relationship with a man of 25.", "in-a-relationship"),
    ("They were in a relationship with the older boys.", "in-a-relationship"),
    ("She has sex in return for cigarettes.", "sex-in-return-for"),
    ("He had sex in exchange for a place to stay.", "sex-in-return-for"),
    ("She was recruited.", "recruited"),
    ("He is being recruited by the gang.", "recruited"),
    ("He works for the older boys.", "working-for"),
    ("She has been working for them since May.", "working-for"),
    ("He is hard to reach.", "hard-to-reach"),
    ("They are so difficult to reach.", "hard-to-reach"),
    ("She refuses to engage.", "refuses-to-engage"),
    ("He refused to engage with us.", "refuses-to-engage"),
    ("They are refusing to engage.", "refuses-to-engage"),
    ("The money mules were arrested.", "money-mule"),
])
def test_phrases_are_found_in_any_inflection(text, kind):
    assert kind in kinds(text)


@pytest.mark.parametrize("text", [
    "the man she calls her boyfriend",
    "a man who called himself her boyfriend",
    "the adult she describes as her boyfriend",
    "her so-called boyfriend",
    'He said he was her "boyfriend".',
    "the agencies agreed a plan",
    "The panel agreed to meet in a month.",
    "Children cannot consent to their own abuse.",
    "No child can consent to being exploited.",
    "The activity appeared consensual.",
    "It may seem consensual.",
    "She did not agree to it.",
    "Safer recruitment keeps children safe.",
    "He works for the council.",
    "Services are struggling to engage her.",
    "The term 'child prostitute' is harmful.",
    "Rather than saying she put herself at risk, say what the adults did.",
    "She told her teacher, \"I chose to go.\"",
])
def test_uses_the_guide_allows_are_not_flagged(text):
    assert check_language(text) == []


def test_a_negation_does_not_excuse_entries_where_it_is_the_blame():
    assert "refuses-to-engage" in kinds("She will not engage with anyone.")
    assert "refuses-to-engage" in kinds("He never engages.")
    assert "refuses-help" in kinds("She does not want help.")


def test_quoted_phrases_are_examples_only_where_the_text_says_so():
    text = 'Words like "promiscuous" move the focus. Her file calls her "promiscuous".'
    assert kinds(text) == ["promiscuous"]  # a mention ("words like") is never reported
    assert kinds(text, quoted_examples=True) == []
    assert kinds("She is promiscuous.", quoted_examples=True) == ["promiscuous"]


def test_strict_mode_for_answers_does_not_excuse_quotation_marks():
    answer = 'Jade said "I agreed to it".'
    assert check_language(answer) == []  # reported speech, in training text
    assert kinds(answer, strict=True) == ["agreed"]


def test_skipped_spans_are_not_reported():
    text = "She is promiscuous. He is hard to reach."
    assert kinds(text, skip=[(0, 19)]) == ["hard-to-reach"]


def test_findings_say_where_what_why_and_what_instead():
    (finding,) = check_language("First line.\nShe keeps going missing.", first_line=10)
    assert (finding.line, finding.column, finding.text) == (11, 5, "keeps going missing")
    assert finding.kind == "keeps-going-missing" and finding.checker == "language"
    assert "controlled or trafficked" in finding.why
    assert "reported missing" in finding.instead
    assert finding.source == "Cardiff Complex Safeguarding (Wales)"


def test_a_phrase_across_a_line_break_is_found_but_not_across_sentences():
    assert kinds("She is putting herself\nat risk.") == ["putting-themselves-at-risk"]
    assert kinds("She is putting herself. At risk are others.") == []


def test_the_longest_phrase_wins():
    assert kinds("This is the boyfriend model.") == ["boyfriend-model"]
