"""The manager lands on the answer (the agency page: its compliance figure, each state with who is
behind it, the staff with their training status) and the one person page (identity, required
training with due and expiry dates, certificates, completions, the actions), issue 15."""
from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest

from modules.certificates.issuing import issue_certificate_for_completion
from modules.reports.services import percent
from tests.reports.conftest import complete, read_csv, start
from tests.sql_statements import recorded_statements


@pytest.fixture
def busy(db, world, today):
    """The home agency's staff in every state (relative to today)."""
    p = world.people
    alice_l1 = complete(db, p["alice"], world.l1, on=today - timedelta(days=20))  # compliant
    complete(db, p["alice"], world.l2, on=today - timedelta(days=800))  # expired (24 months)
    complete(db, p["bob"], world.l1, on=today - timedelta(days=350))  # expiring within 60 days
    start(db, p["carol"], world.l1, on=today - timedelta(days=2))
    p["carol"].started_on = today - timedelta(days=200)  # overdue for both courses, one in progress
    world.manager.started_on = today - timedelta(days=70)  # CSE-L1 due in 20 days: due soon
    complete(db, p["dan"], world.l1, on=today - timedelta(days=5))  # the other agency
    issue_certificate_for_completion(alice_l1, render=False)
    db.session.commit()
    return world


def _text(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _figures(page: str) -> dict[str, tuple[int, str]]:
    """The landing page's states: label -> (count, "see who" link)."""
    block = page[page.index('id="agency-figures"'):]
    block = block[:block.index("</ul>")]
    return {
        label: (int(count), unescape(href))
        for count, label, href in re.findall(r"<strong>(\d+) ([a-z ]+)</strong>: <a class=\"govuk-link\" href=\"([^\"]+)\"", block)
    }


# The landing page ---------------------------------------------------------------------------

def test_the_manager_lands_on_their_agencys_compliance_the_dashboards_figure(client, sign_in, busy):
    sign_in(busy.manager)
    home = client.get("/manager")
    assert home.status_code == 302 and home.location == f"/agencies/{busy.home.id}"
    page = _text(client.get(home.location))
    # The dashboard's own figures for the same agency, from its export.
    rows = read_csv(client.get(f"/reports/dashboard.csv?agency={busy.home.id}"))
    in_scope = sum(int(r["Staff in scope"]) for r in rows)
    covered = sum(int(r["Covered"]) for r in rows)
    assert (in_scope, covered) == (6, 2)  # alice 2, bob 1, carol 2, the manager 1; alice's L1 and bob's
    expected = percent(covered, in_scope)
    assert f"Your agency: {expected}% compliant" in _plain(page)
    assert f"{covered} of {in_scope} required courses" in _plain(page)
    # The answer comes before the staff list and the other actions.
    assert page.index("% compliant") < page.index("Add a person") < page.index("Staff</caption>")

    figures = _figures(page)
    by_column = {label.lower(): sum(int(r[label]) for r in rows)
                 for label in ("Compliant", "Expiring", "Expired", "Overdue", "Due soon", "Not yet due", "In progress")}
    assert {label: count for label, (count, _) in figures.items()} == {k: v for k, v in by_column.items() if v}
    assert figures["overdue"][0] == 2 and figures["in progress"][0] == 1 and "not yet due" not in figures


def test_every_see_who_link_lists_exactly_the_people_counted(client, sign_in, busy):
    sign_in(busy.manager)
    figures = _figures(_text(client.get(f"/agencies/{busy.home.id}")))
    assert len(figures) == 6  # every state but not yet due, and in progress
    for label, (count, href) in figures.items():
        assert href.startswith(f"/reports/people?agency={busy.home.id}&status="), href
        listed = _text(client.get(href))
        assert re.search(rf'id="people-count"><strong>{count}</strong>', listed), label
        rows = read_csv(client.get(href.replace("/reports/people?", "/reports/people.csv?")))
        assert len(rows) == count and {r["Agency"] for r in rows} == {"Home Police"}, label
    names = {r["Name"] for r in read_csv(client.get(figures["overdue"][1].replace("people?", "people.csv?")))}
    assert names == {"Carol Home"}


def test_the_staff_list_shows_each_persons_training_status_and_notable_accounts(db, client, sign_in, busy, make_user):
    leaver = make_user(agency=busy.home, name="Lee Leaver", level=1)
    leaver.active = False
    newcomer = make_user(agency=busy.home, name="Nia Newcomer", level=1)
    newcomer.password_hash = None
    db.session.commit()
    sign_in(busy.manager)
    page = _text(client.get(f"/agencies/{busy.home.id}"))

    def row(name: str) -> str:
        start_at = page.index(f">{name}</a>") + 1
        return _plain(page[start_at:page.index("</tr>", start_at)])

    assert row("Carol Home").startswith("Carol Home Overdue 2 courses, 1 in progress")
    assert row("Alice Home").startswith("Alice Home Expired 1 expired, 1 compliant")
    # One course, one state: the tag alone, then the team.
    assert row("Bob Home").startswith(f"Bob Home Expiring {busy.people['bob'].team.name}")
    assert row("Mina Manager").startswith("Mina Manager Due soon")
    assert row("Lee Leaver").startswith("Lee Leaver Not counted") and row("Lee Leaver").endswith("Deactivated")
    assert row("Nia Newcomer").endswith("Not signed up yet")
    assert row("Bob Home").endswith("Active")
    assert "Dan Other" not in page


def test_the_landing_page_sends_the_same_number_of_queries_whatever_the_staff(db, app, client, sign_in, busy,
                                                                              make_user, today):
    sign_in(busy.manager)
    url = f"/agencies/{busy.home.id}"
    client.get(url)  # warm up (sessions, caches)
    with recorded_statements(db.engine) as few:
        _text(client.get(url))
    for n in range(12):
        person = make_user(agency=busy.home, name=f"Extra Person {n}", level=2)
        complete(db, person, busy.l1, on=today - timedelta(days=n + 1))
    with recorded_statements(db.engine) as many:
        page = _text(client.get(url))
    assert "Extra Person 11" in page
    assert len(many.queries) == len(few.queries), many.describe()
    assert len(many.queries) <= 20, many.describe()


def test_an_admin_sees_the_agencys_name_in_the_answer(client, sign_in, busy):
    sign_in(busy.admin)
    page = _plain(_text(client.get(f"/agencies/{busy.home.id}")))
    assert "Home Police: 33% compliant" in page and "Your agency" not in page


def test_an_agency_without_staff_gets_one_line(client, sign_in, busy, make_agency):
    empty = make_agency(name="Empty Trust")
    sign_in(busy.admin)
    page = _text(client.get(f"/agencies/{empty.id}"))
    assert "Empty Trust has no staff on Sightline yet: add a person, or import a list of staff, below." in _plain(page)
    assert "<table" not in page and "% compliant" not in page


def test_staff_with_nothing_required_get_one_line_not_a_figure(db, client, sign_in, world, make_agency, make_user):
    from modules.accounts.models import AgencyKind

    schools = make_agency(name="Quiet School", kind=AgencyKind.education)
    make_user(agency=schools, name="Sole Teacher")
    sign_in(world.admin)
    page = _plain(_text(client.get(f"/agencies/{schools.id}")))
    assert "No training is required of Quiet School’s staff at the moment" in page
    assert "% compliant" not in page and "Sole Teacher No required training" in page


# The one person page ------------------------------------------------------------------------

def test_the_person_page_shows_required_training_with_due_and_expiry_dates_and_certificates(
        client, sign_in, busy, today):
    alice = busy.people["alice"]
    sign_in(busy.manager)
    page = _text(client.get(f"/people/{alice.id}"))
    text = _plain(page)
    # Identity and account.
    for expected in ("Alice Home", alice.email, alice.team.name, "Last signed in", "Account Active"):
        assert expected in text, expected
    # Every required course with its state in the report's words, due by and expiry dates.
    l1_done = today - timedelta(days=20)
    l1 = text[text.index("CSE-L1 Awareness"):]
    assert l1.startswith("CSE-L1 Awareness Status Compliant Due by")
    from modules.core.dates import add_months
    from modules.core.templating import uk_date
    assert f"Last completed {uk_date(l1_done)} Expires {uk_date(add_months(l1_done, 12))}" in l1
    l2 = text[text.index("CSE-L2 Targeted"):]
    assert l2.startswith("CSE-L2 Targeted Status Expired")
    # The certificate, linked to its page.
    certificate = re.search(r'href="/certificates/(\d+)"', page)
    assert certificate and "Valid" in text
    assert client.get(f"/certificates/{certificate.group(1)}").status_code == 200
    # The actions: record face-to-face training, edit, deactivate; no private reflections.
    assert f'href="/reports/people/{alice.id}/manual"' in page and "Record face-to-face training" in text
    assert f"/people/{alice.id}/edit" in page and "Deactivate account" in text


def test_the_old_training_record_address_redirects_to_the_person_page(client, sign_in, busy):
    alice, dan = busy.people["alice"], busy.people["dan"]
    sign_in(busy.manager)
    response = client.get(f"/reports/people/{alice.id}")
    assert response.status_code == 301 and response.location == f"/people/{alice.id}"
    assert client.get(f"/reports/people/{dan.id}").status_code == 404
    assert client.get(f"/people/{dan.id}").status_code == 404
    # The people list links straight to the one page.
    listed = _text(client.get("/reports/people"))
    assert f'href="/people/{alice.id}"' in listed and f'href="/reports/people/{alice.id}"' not in listed
