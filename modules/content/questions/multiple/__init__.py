"""``type=multiple``: tick every right option (the default when several are marked [x]).
Right only when exactly the [x] options are ticked."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from modules.content.questions.base import InvalidAnswer, MarkResult, UnreadableAnswer, register
from modules.content.questions.choice import ChoiceQuestion


@register
class Multiple(ChoiceQuestion):
    name = "multiple"
    label = "Choose all the answers that apply"
    many = True
    quiz_lints = frozenset({"longest", "one-wrong"})

    def default_for(self, question) -> bool:
        options = question.of_kind("options")
        return bool(options) and sum(i.checked for i in options[0].items) > 1

    def read_answer(self, data: dict[str, Any], form: Mapping[str, list[str]]) -> list[str]:
        chosen = self.chosen_in(data, form)
        if not chosen:
            raise UnreadableAnswer("Select all the answers that apply.")
        return chosen

    def mark(self, data: dict[str, Any], answer: Any) -> MarkResult:
        if isinstance(answer, (str, bytes, dict)) or answer is None:
            raise InvalidAnswer("answer must be a list of option keys")
        return self.result(data, self.selected_keys(data, answer))

    def example_answer(self, data: dict[str, Any]) -> list[str]:
        return [o["key"] for o in data["options"] if o["correct"]]
