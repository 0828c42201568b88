"""The learner's pages: one blueprint, its views split by page group (importing them registers
the routes)."""
from flask import Blueprint

from modules.learning.wording import minutes_in_words, months_in_words

bp = Blueprint("learning", __name__)
bp.add_app_template_filter(minutes_in_words, "minutes_in_words")
bp.add_app_template_filter(months_in_words, "months_in_words")

from modules.learning.views import home, player, quiz  # noqa: E402,F401  (registers the routes)
