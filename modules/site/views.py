"""Site-wide pages: the start page, the trainer's home page, accessibility statement, cookies and privacy."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from modules.accounts.models import Role
from modules.content.services import current_courses
from modules.core.policies import allow

bp = Blueprint("pages", __name__)

# Where "Home" takes each user: the most senior of their roles wins.
HOME_BY_ROLE = (
    (Role.partnership_admin, "admin.home"),
    (Role.manager, "admin.agency_home"),
    (Role.trainer, "pages.trainer_home"),
)


def home_endpoint_for(user) -> str:
    for role, endpoint in HOME_BY_ROLE:
        if user.has_role(role):
            return endpoint
    return "learning.my_training"


@bp.get("/")
@allow(anonymous=True)
def index():
    """Start page for visitors; signed-in users go to their home page."""
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint_for(current_user)))
    return render_template("pages/start.html")


@bp.get("/trainer")
@allow(Role.trainer, Role.partnership_admin)
def trainer_home():
    """The trainer's home page: the imported courses at their current versions."""
    return render_template("pages/trainer_home.html", courses=current_courses())


@bp.get("/accessibility")
@allow(anonymous=True)
def accessibility():
    """Accessibility statement (required by the PSBAR 2018 regulations)."""
    return render_template("pages/accessibility.html")


@bp.get("/cookies")
@allow(anonymous=True)
def cookies():
    """Cookies and privacy."""
    return render_template("pages/cookies.html")


@bp.get("/healthz")
@allow(anonymous=True)
def healthz():
    """Liveness check for load balancers."""
    return {"status": "ok"}

