"""The report filters: a GET form, and turning it into an agency-scoped :class:`ReportScope`.

Scoping happens here and only here: a manager's scope is always their own agency (asking for
another agency, or for a team of another agency, is a 404, as if it did not exist); a partnership
admin may choose any agency or none (every agency side by side).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from flask import abort
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional as OptionalValue

from modules.accounts.models import Agency, Team, User
from modules.content.models import Course, CourseVersion
from modules.core.extensions import db
from modules.core.params import iso_date, whole_number
from modules.core.policies import require_agency, visible_agency_ids
from modules.core.settings import setting
from modules.reports.forms import GovDateField
from modules.reports.periods import (
    Period,
    ReportingYear,
    parse_reporting_year,
    recent_reporting_years,
    reporting_year_of,
)
from modules.reports.queries import ReportScope
from modules.reports.status import PeopleFilter

LEVELS = [("", "All levels"), ("1", "Level 1: awareness"), ("2", "Level 2: targeted"), ("3", "Level 3: specialist")]


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices (tuples are deprecated from WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]

# The query-string keys the filters use, in the order links are built with.
FILTER_KEYS = ("agency", "team", "course", "level", "status", "year", "from", "to")


class ReportFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    agency = SelectField("Agency", widget=GovSelect(), validate_choice=False)
    team = SelectField("Team", widget=GovSelect(), validate_choice=False)
    course = SelectField("Course", widget=GovSelect(), validate_choice=False)
    level = SelectField("Course level", choices=choices(LEVELS), widget=GovSelect(), validate_choice=False)
    status = SelectField("Status", widget=GovSelect(), validate_choice=False)
    year = SelectField("Reporting year (1 April to 31 March)", widget=GovSelect(), validate_choice=False)
    date_from = GovDateField("From", validators=[OptionalValue()])
    date_to = GovDateField("To", validators=[OptionalValue()])
    submit = SubmitField("Apply filters", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.date_from.data and self.date_to.data and self.date_to.data < self.date_from.data:
            self.date_to.errors.append("The ‘to’ date must be the same as or after the ‘from’ date")
            valid = False
        if bool(self.date_from.data) != bool(self.date_to.data) and not (self.date_from.errors or self.date_to.errors):
            missing = self.date_to if self.date_from.data else self.date_from
            missing.errors.append("Enter both dates, or neither to use the reporting year")
            valid = False
        return valid


@dataclass(frozen=True)
class Filters:
    """The filters a page was produced with: its scope, its form and its query string."""

    scope: ReportScope
    form: ReportFilterForm
    args: dict[str, str]
    agency: Agency | None
    team: Team | None
    course_label: str | None
    year: ReportingYear | None

    def query(self, **overrides: str | None) -> str:
        """The filters as a query string, with ``overrides`` (None removes a key)."""
        merged = {**self.args, **overrides}
        return urlencode([(k, v) for k, v in merged.items() if v not in (None, "")], doseq=True)

    @property
    def is_filtered(self) -> bool:
        """True when the page shows less than its default (or the form has an error): the
        filters then start open, so that what is applied can be seen and changed."""
        if self.form.errors or any(self.args.get(k) for k in FILTER_KEYS if k != "year"):
            return True
        return self.year is not None and self.year != reporting_year_of(self.scope.today)

    def showing(self) -> list[str]:
        """What the page shows, in words ("Northshire Police", "Overdue", "2026 to 2027")."""
        scope = self.scope
        items = [self.agency.name if self.agency else "All agencies"]
        if self.team:
            items.append(f"{self.team.name} team")
        if self.course_label:
            items.append(self.course_label)
        if scope.level:
            items.append(dict(LEVELS)[str(scope.level)])
        if scope.people_filter:
            items.append(scope.people_filter.label)
        items.append(f"reporting year {self.year.label}" if self.year else scope.period.label)
        return items

    def describe(self) -> list[tuple[str, str]]:
        """The filters in words, for the PDF and export pages: (name, value)."""
        scope = self.scope
        items = [("Period", scope.period.label), ("Compliance measured on", _uk(scope.as_at))]
        items.append(("Agency", self.agency.name if self.agency else "Every agency in your view"))
        if self.team:
            items.append(("Team", self.team.name))
        if self.course_label:
            items.append(("Course", self.course_label))
        if scope.level:
            items.append(("Course level", dict(LEVELS)[str(scope.level)]))
        if scope.people_filter:
            items.append(("Status", scope.people_filter.label))
        return items


def _uk(day: date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


def resolve(user: User, args: MultiDict, today: date, *, with_status: bool = False) -> Filters:
    """Read the filters from a query string and scope them to what ``user`` may see.

    :raise 404: an agency or team outside the user's scope.
    """
    args = from_query_dates(args)
    visible = visible_agency_ids(user)
    form = ReportFilterForm(formdata=args if args else None)
    _fill_choices(form, user, visible, today, with_status)
    # Invalid dates are shown as errors and ignored; everything else falls back to "all".
    form.validate()

    agency = None
    agency_ids: frozenset[int] | None = None if visible is None else frozenset(visible)
    if args.get("agency", ""):
        agency_id = whole_number(args["agency"])
        if agency_id is None:
            abort(404)
        require_agency(user, agency_id)
        agency = db.get_or_404(Agency, agency_id)
        agency_ids = frozenset({agency.id})
    elif visible is not None and len(visible) == 1:
        agency = db.session.get(Agency, next(iter(visible)))

    team = None
    if args.get("team", ""):
        team_id = whole_number(args["team"])
        team = db.session.get(Team, team_id) if team_id is not None else None
        if team is None or (agency_ids is not None and team.agency_id not in agency_ids):
            abort(404)

    course_id = whole_number(args.get("course"), minimum=1)
    course_label = {c.value: c.label for c in form.course.choices}.get(str(course_id)) if course_id else None
    if course_id and course_label is None:
        course_id = None  # not a course with content: ignore rather than show an empty report
    level = int(args["level"]) if args.get("level", "") in ("1", "2", "3") else None
    people_filter = None
    if with_status and args.get("status", "") in PeopleFilter.__members__:
        people_filter = PeopleFilter[args["status"]]

    year = None
    period: Period
    if form.date_from.data and form.date_to.data and not (form.date_from.errors or form.date_to.errors):
        period = Period(form.date_from.data, form.date_to.data)
    else:
        year = parse_reporting_year(args.get("year")) or reporting_year_of(today)
        period = year
        form.year.data = str(year.first_year)

    scope = ReportScope(
        agency_ids=agency_ids, period=period, today=today, team_id=team.id if team else None,
        course_id=course_id, level=level, people_filter=people_filter,
        expiring_days=setting("SIGHTLINE_REFRESHER_WINDOW_DAYS"), due_soon_days=setting("SIGHTLINE_DUE_SOON_DAYS"),
    )
    kept = {key: args.get(key, "") for key in FILTER_KEYS if key not in ("from", "to")}
    if not with_status:
        kept.pop("status")
    query_args = {k: v for k, v in kept.items() if v}
    if year is None:
        query_args.pop("year", None)
        query_args["from"], query_args["to"] = period.start.isoformat(), period.end.isoformat()
    return Filters(scope=scope, form=form, args=query_args, agency=agency, team=team,
                   course_label=course_label, year=year)


def _fill_choices(form: ReportFilterForm, user: User, visible, today: date, with_status: bool) -> None:
    agencies = db.session.execute(
        select(Agency.id, Agency.name).order_by(Agency.name)
        if visible is None else
        select(Agency.id, Agency.name).where(Agency.id.in_(sorted(visible))).order_by(Agency.name)
    ).all()
    form.agency.choices = choices([("", "All agencies")] + [(str(a.id), a.name) for a in agencies])
    team_query = select(Team.id, Team.name, Agency.name.label("agency")).join(Agency, Agency.id == Team.agency_id)
    if visible is not None:
        team_query = team_query.where(Team.agency_id.in_(sorted(visible)))
    teams = db.session.execute(team_query.order_by(Agency.name, Team.name)).all()
    several = len({t.agency for t in teams}) > 1
    form.team.choices = choices([("", "All teams")] + [
        (str(t.id), f"{t.agency}: {t.name}" if several else t.name) for t in teams
    ])
    courses = db.session.execute(
        select(Course.id, CourseVersion.code, CourseVersion.title)
        .join(CourseVersion, CourseVersion.id == Course.current_version_id)
        .order_by(CourseVersion.code)
    ).all()
    form.course.choices = choices([("", "All courses")] + [(str(c.id), f"{c.code} {c.title}") for c in courses])
    form.status.choices = choices([("", "Everyone in scope")] + [(f.name, f.label) for f in PeopleFilter])
    form.year.choices = choices([(str(y.first_year), y.label) for y in recent_reporting_years(today, count=6)])
    if not with_status:
        del form.status


def from_query_dates(args: MultiDict) -> MultiDict:
    """Accept ``from``/``to`` as ISO dates (the form's links and exports use them) as well as the
    form's day/month/year boxes."""
    result = MultiDict(args)
    for key, field in (("from", "date_from"), ("to", "date_to")):
        day = iso_date(args.get(key))
        if day is not None and field not in args:
            result.setlist(field, [f"{day.day:02d}", f"{day.month:02d}", str(day.year)])
    return result
