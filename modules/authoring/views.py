"""The trainer's authoring pages; each page group registers its routes on this blueprint."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("authoring", __name__, url_prefix="/authoring")
