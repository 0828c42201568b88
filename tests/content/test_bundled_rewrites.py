"""Every rewrite question in the bundled courses rejects answers that keep blaming the child in
other words, accepts good rewrites worded in ways its author did not list, rejects keyword lists
and stock paragraphs, and marks its own model answer right."""
from __future__ import annotations

from pathlib import Path

import pytest

from modules.content.checker import check_paths
from modules.content.questions import mark

ROOT = Path(__file__).resolve().parents[2]

# sentence (its start) -> (blaming answers, good answers)
ANSWERS = {
    "Jade, 14, is putting herself at risk": (
        [
            "Jade, 14, keeps placing herself in danger by going to the flat.",
            "Jade, 14, chooses to go to the flat even though it is not safe.",
            "Jade, 14, is making risky choices by visiting the flat.",
            "Jade, 14, exposes herself to harm at the flat.",
            "Jade, 14, goes to the flat of her own free will.",
        ],
        [
            "Adults at the flat are grooming Jade, who is 14.",
            "Jade, 14, may be being sexually exploited by the men who use the flat.",
            "The flat gives abusers an opportunity to harm Jade.",
            "Jade may be under duress when she is taken to the flat.",
            "Jade, 14, is being controlled by the adults at the flat.",
        ],
    ),
    "Sam, 15, is involved in CSE": (
        [
            "Sam, 15, is engaged in sexual exploitation.",
            "Sam, 15, takes part in CSE.",
            "Sam, 15, is mixed up in prostitution.",
            "Sam, 15, is selling sex.",
        ],
        [
            "Sam, 15, is a victim of child sexual exploitation.",
            "Adults are sexually exploiting Sam, who is 15.",
            "Sam is being groomed and abused by older men.",
            "Sam, 15, has been sexually exploited and is a victim.",
        ],
    ),
    "Mia's risky behaviour continues": (
        [
            "Mia's reckless behaviour goes on: she was found with older men again.",
            "Mia keeps putting herself at risk with older men at an address.",
            "Mia's dangerous lifestyle continues at an address with men.",
            "Mia has chosen to spend time with older men at an address.",
        ],
        [
            "Older men are exploiting Mia: she was found with them at an address.",
            "Mia was found at an address where older men are grooming her.",
            "Adults are sexually abusing Mia at an address, where police found her.",
            "Mia is being exploited; three men were with her when she was found.",
        ],
    ),
    "Tyler, 15, has been recruited": (
        [
            "Tyler, 15, was recruited into the group and works for them now.",
            "Tyler, 15, has joined the gang and is a gang member now.",
            "Tyler, 15, is working a county line for the group.",
            "Tyler, 15, has become a drug runner and is dealing drugs for the group.",
            "Tyler, 15, has decided to get involved in county lines.",
        ],
        [
            "Tyler, 15, is being criminally exploited by the group.",
            "The group is grooming Tyler and using him to move drugs.",
            "Tyler, who is 15, is a victim of criminal exploitation by the group.",
            "Adults in the group are exploiting Tyler and forcing him to sell drugs.",
        ],
    ),
    "Ellie, 14, has an older boyfriend": (
        [
            "Ellie, 14, is going out with a 22 year old.",
            "Ellie, 14, is dating a man who is 22.",
            "Ellie, 14, is in a relationship with a 22-year-old.",
            "Ellie, 14, and her partner, who is 22, are seeing each other.",
            "Ellie, 14, is seeing an older man of 22.",
        ],
        [
            "A 22 year old man is grooming Ellie, who is 14.",
            "Ellie, 14, is being exploited by a man who is eight years older than her.",
            "Ellie is 14 and the man is 22: the age gap and the power imbalance are a serious concern.",
            "An adult aged 22 has been contacting Ellie, 14, and the age difference worries us.",
        ],
    ),
    "Ruby, 15, agreed to go back": (
        [
            "Ruby, 15, consented to go back to the hotel with the men for alcohol.",
            "Ruby, 15, went willingly to the hotel with the men for alcohol.",
            "Ruby, 15, chose to go back to the hotel for alcohol.",
            "Ruby, 15, was happy to go to the hotel with the men because they had alcohol.",
            "Ruby, 15, went along with it and returned to the hotel for drink.",
        ],
        [
            "Ruby, 15, appeared to agree to go to the hotel; exploitation is suspected.",
            "The men took Ruby, 15, back to the hotel and gave her alcohol to exploit her.",
            "Ruby seemed to go with the men willingly, but she is 15 and is being groomed.",
            "Adults used alcohol to coerce Ruby, 15, into going back to the hotel.",
        ],
    ),
    "Kai, 14, is hard to reach": (
        [
            "Kai is difficult to reach and keeps running away.",
            "Kai refuses to engage and often goes missing.",
            "Kai is disengaged and constantly goes missing.",
            "Kai will not engage with services and is always running off.",
        ],
        [
            "Services are struggling to engage Kai. He has been reported missing four times and may be controlled.",
            "We have not yet found a way to engage Kai; he has been missing three times this month and may be trafficked.",
            "Services need to keep trying to reach Kai, who has been reported missing and may be being exploited.",
            "Professionals are finding it hard to engage Kai. His missing episodes suggest he may be coerced.",
        ],
    ),
    "Lily, 15, is putting herself at risk": (
        [
            "Lily, 15, keeps putting herself in danger by going to parties at the flat.",
            "Lily, 15, chooses to go to parties at the flat although it is unsafe.",
            "Lily, 15, is making risky choices by going to the flat for parties.",
            "Lily, 15, goes to parties at the flat of her own free will.",
        ],
        [
            "Adults at the flat are grooming Lily, who is 15, through the parties.",
            "Lily, 15, may be being sexually exploited by the adults who hold parties at the flat.",
            "The parties at the flat give abusers an opportunity to harm Lily.",
            "Lily may be under duress when she is taken to parties at the flat.",
        ],
    ),
    "Kyle, 16, has been working for a drugs gang": (
        [
            "Kyle, 16, has been dealing drugs for a gang and refuses to engage.",
            "Kyle, 16, has chosen to work for a drugs gang and will not engage with services.",
            "Kyle, 16, has been running drugs for a gang and is disengaged.",
            "Kyle, 16, has joined a drugs gang and is hard to engage.",
        ],
        [
            "Kyle, 16, is being criminally exploited by a drugs gang; services are struggling to engage him.",
            "A gang is criminally exploiting Kyle, who is 16, and we have not yet found a way to reach him.",
            "Adults in a drugs gang are exploiting Kyle, 16, and services need to keep trying to engage him.",
            "Kyle, 16, is a victim of criminal exploitation by a drugs gang; professionals are finding it hard to engage him.",
        ],
    ),
}

KEYWORDS = [
    "exploited groomed adult victim man",
    "exploited, groomed, coerced, adults, services, age gap, reported missing",
]
STOCK = ("Adults are grooming and exploiting this child; services are struggling to engage; "
         "the age gap and power imbalance are a concern, and she appeared to agree.")


@pytest.fixture(scope="module")
def rewrites():
    result = check_paths([ROOT / "courses"], ROOT / "certificates")
    assert result.ok
    return [q for m in result.modules for q in m.questions if q.type == "rewrite"]


def _question(rewrites, start: str):
    (question,) = [q for q in rewrites if q.data["sentence_text"].startswith(start)]
    return question


def test_every_bundled_rewrite_question_has_answers_here(rewrites):
    assert len(rewrites) == len(ANSWERS)
    for question in rewrites:
        assert any(question.data["sentence_text"].startswith(s) for s in ANSWERS)


@pytest.mark.parametrize("start", ANSWERS)
def test_blaming_answers_in_other_words_are_marked_wrong_with_the_reason(rewrites, start):
    question = _question(rewrites, start)
    blaming, _ = ANSWERS[start]
    assert len(blaming) >= 4
    for answer in blaming:
        result = mark("rewrite", question.data, answer)
        assert not result.correct, answer
        assert result.feedback and all(f["feedback_html"] for f in result.feedback)


@pytest.mark.parametrize("start", ANSWERS)
def test_good_rewrites_in_unlisted_wording_are_marked_right(rewrites, start):
    question = _question(rewrites, start)
    _, good = ANSWERS[start]
    assert len(good) >= 4
    for answer in good:
        result = mark("rewrite", question.data, answer)
        assert result.correct, (answer, result.feedback)


@pytest.mark.parametrize("start", ANSWERS)
def test_keyword_lists_and_a_stock_paragraph_are_not_rewrites(rewrites, start):
    question = _question(rewrites, start)
    for answer in KEYWORDS + [STOCK]:
        assert not mark("rewrite", question.data, answer).correct, answer


@pytest.mark.parametrize("start", ANSWERS)
def test_the_model_answer_is_marked_right_and_the_sentence_wrong(rewrites, start):
    question = _question(rewrites, start)
    assert question.data["model_html"]
    assert mark("rewrite", question.data, question.data["model_text"]).correct
    assert not mark("rewrite", question.data, question.data["sentence_text"]).correct


def test_a_blaming_answer_is_told_which_words_why_and_what_to_write(rewrites):
    question = _question(rewrites, "Ellie, 14")
    result = mark("rewrite", question.data, "Ellie, 14, is going out with a 22 year old.")
    (guide,) = [f for f in result.feedback if f["rule"] == "language"]
    assert guide["phrases"] == ["going out with a 22 year old"]
    assert "hides grooming" in guide["feedback_html"] and "is being groomed by" in guide["feedback_html"]
