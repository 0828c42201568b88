"""``type=better-wording``: pick the better of two or more wordings (marked like ``single``)."""
from __future__ import annotations

from modules.content.questions.base import register
from modules.content.questions.choice import SingleAnswer


@register
class BetterWording(SingleAnswer):
    name = "better-wording"
    label = "Choose the better wording"
