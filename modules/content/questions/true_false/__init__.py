"""``type=true-false``: the options are ``- [x] True`` and ``- [ ] False`` (or the other way round)."""
from __future__ import annotations

from modules.content.questions.base import register
from modules.content.questions.choice import SingleAnswer


@register
class TrueFalse(SingleAnswer):
    name = "true-false"
    label = "True or false"
    # Two options, "True" and "False": their length and order say nothing about the answer.
    quiz_lints = frozenset()

    def check_options(self, question, options, ctx) -> bool:
        texts = sorted(o["text"].strip().lower() for o in options)
        if texts != ["false", "true"]:
            ctx.error(
                question.line,
                "a true-false question has exactly two options: '- [ ] True' and '- [ ] False'",
            )
            return False
        return super().check_options(question, options, ctx)
