"""The language and personal-data checkers measured on corpora written for these tests
(tests/checks/corpus/): recall of at least 95% and false alarms of at most 5% for each.

The figures are printed (run with -s to see them). The corpora were written for the general case:
the checkers work from lemmas, patterns and name lists, not from these sentences, and are also
measured on a held-out set.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from modules.checks.language import check_language, guide
from modules.checks.personal_data import LABELS, find_personal_data

CORPUS = Path(__file__).resolve().parent / "corpus"
RECALL_GOAL = 0.95
FALSE_ALARM_LIMIT = 0.05


def _load(name: str):
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))


BLAMING = _load("language_blaming.yaml")
BLAMING_MIXED = _load("language_blaming_mixed.yaml")
CLEAN = _load("language_clean.yaml")
PD_ITEMS = _load("personal_data_items.yaml")
PD_CLEAN = _load("personal_data_clean.yaml")


def test_the_language_corpora_cover_every_guide_entry_in_at_least_two_phrasings():
    ids = {entry.id for entry in guide().entries}
    assert set(BLAMING) == ids
    assert all(len(sentences) >= 2 for sentences in BLAMING.values())
    assert sum(len(s) for s in BLAMING.values()) >= 150
    assert len(CLEAN) >= 100 and all(isinstance(s, str) for s in CLEAN)


def test_the_personal_data_corpora_cover_every_kind():
    assert len(PD_ITEMS) >= 150
    assert {item["kind"] for item in PD_ITEMS} == set(LABELS)
    for item in PD_ITEMS:
        assert item["found"] in item["text"], item
    assert len(PD_CLEAN) >= 100 and all(c["pseudonyms"] for c in PD_CLEAN)


def test_the_language_checker_finds_victim_blaming_and_leaves_clean_text_alone():
    sentences = [(entry, s) for entry, group in BLAMING.items() for s in group]
    sentences += [("(mixed)", s) for s in BLAMING_MIXED]
    missed = [(entry, s) for entry, s in sentences if not check_language(s)]
    alarms = [(s, [f.text for f in check_language(s)]) for s in CLEAN if check_language(s)]
    recall = 1 - len(missed) / len(sentences)
    false_alarms = len(alarms) / len(CLEAN)
    print(f"\nlanguage checker: recall {recall:.1%} of {len(sentences)} blaming sentences, "
          f"false alarms {false_alarms:.1%} of {len(CLEAN)} clean sentences")
    assert recall >= RECALL_GOAL, missed
    assert false_alarms <= FALSE_ALARM_LIMIT, alarms


def test_the_personal_data_finder_finds_every_kind_and_respects_pseudonyms():
    missed = []
    for item in PD_ITEMS:
        start = item["text"].index(item["found"])
        end = start + len(item["found"])
        if not any(f.kind == item["kind"] and f.start < end and start < f.end
                   for f in find_personal_data(item["text"])):
            missed.append(item)
    alarms = [(c["text"], [(f.kind, f.text) for f in find_personal_data(c["text"], pseudonyms=c["pseudonyms"])])
              for c in PD_CLEAN if find_personal_data(c["text"], pseudonyms=c["pseudonyms"])]
    recall = 1 - len(missed) / len(PD_ITEMS)
    false_alarms = len(alarms) / len(PD_CLEAN)
    print(f"\npersonal-data finder: recall {recall:.1%} of {len(PD_ITEMS)} items, "
          f"false alarms {false_alarms:.1%} of {len(PD_CLEAN)} clean texts")
    assert recall >= RECALL_GOAL, missed
    assert false_alarms <= FALSE_ALARM_LIMIT, alarms


@pytest.mark.parametrize("kind", sorted(LABELS))
def test_every_kind_of_personal_data_is_found_at_the_goal(kind):
    items = [i for i in PD_ITEMS if i["kind"] == kind]
    found = sum(
        1 for i in items
        if any(f.kind == kind and i["found"] in i["text"][f.start - 40 if f.start > 40 else 0:f.end + 40]
               for f in find_personal_data(i["text"]))
    )
    assert items and found / len(items) >= RECALL_GOAL
