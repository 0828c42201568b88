"""``type=single``: pick one option (the default when exactly one option is marked [x])."""
from __future__ import annotations

from modules.content.questions.base import register
from modules.content.questions.choice import SingleAnswer


@register
class Single(SingleAnswer):
    name = "single"
    label = "Choose one answer"
    called = "single-answer"

    def default_for(self, question) -> bool:
        options = question.of_kind("options")
        return bool(options) and sum(i.checked for i in options[0].items) == 1
