"""The learner pages' one blueprint, in a module of its own so that each page group's views
(home, player, quiz) can import it and register their routes on it."""
from flask import Blueprint

from modules.learning.wording import minutes_in_words, months_in_words

bp = Blueprint("learning", __name__)
bp.add_app_template_filter(minutes_in_words, "minutes_in_words")
bp.add_app_template_filter(months_in_words, "months_in_words")
