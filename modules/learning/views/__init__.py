"""The learner's pages: one blueprint, views split by page group."""
from flask import Blueprint

bp = Blueprint("learning", __name__)
