"""The learner's pages: one blueprint (``blueprint.py``), its views split by page group."""
from modules.learning.views import home, player, quiz, reflections  # noqa: F401  (importing them registers the routes)
from modules.learning.views.blueprint import bp

__all__ = ["bp"]
