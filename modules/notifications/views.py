"""The development outbox: read the email Sightline would have sent.

Never in production, and otherwise only where ``policies.development_pages_visible`` allows: the
outbox holds password-reset links, so anyone who can read it can take over any account.
"""
from __future__ import annotations

from flask import Blueprint, abort, render_template

from modules.core.policies import allow
from modules.core.settings import setting
from modules.notifications.mail import read_outbox

bp = Blueprint("outbox", __name__, url_prefix="/dev/outbox")


@bp.get("/")
@allow(anonymous=True, development_only=True)
def index():
    """List messages in the development outbox."""
    return render_template("notifications/outbox.html", messages=read_outbox(setting("MAIL_OUTBOX_DIR")))


@bp.get("/<name>")
@allow(anonymous=True, development_only=True)
def show(name: str):
    """Show one message."""
    for message in read_outbox(setting("MAIL_OUTBOX_DIR")):
        if message.name == name:
            return render_template("notifications/message.html", message=message)
    abort(404)
