"""The manager lands on the answer, on a 390 px phone (issue 15): their agency's compliance figure
(the dashboard's), each state in words with "see who", the staff with their training status, and
the one person page; axe-core finds nothing and nothing is wider than a 390 px or 320 px screen."""
from __future__ import annotations

import csv
import io
import re

import pytest

from tests.browser.conftest import sign_in
from tests.browser.crawl import PHONE

pytestmark = pytest.mark.browser


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _fits_phones(page) -> None:
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 844})
        assert _fits(page), f"{page.url} is wider than {width} px"
    page.set_viewport_size(PHONE)


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server["url"], viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _dashboard_figures(page, agency_id: int) -> tuple[int, int]:
    """(covered, staff in scope) over every course, from the dashboard's own CSV export."""
    response = page.request.get(f"/reports/dashboard.csv?agency={agency_id}")
    assert response.ok
    rows = list(csv.DictReader(io.StringIO(response.text().lstrip("\ufeff"))))
    return sum(int(r["Covered"]) for r in rows), sum(int(r["Staff in scope"]) for r in rows)


def test_the_manager_lands_on_the_figures_on_a_phone(phone, axe):
    page = phone
    sign_in(page, "manager@example.org")
    page.goto("/manager")
    page.wait_for_url(re.compile(r".*/agencies/\d+$"))
    agency_id = int(page.url.rsplit("/", 1)[1])

    covered, in_scope = _dashboard_figures(page, agency_id)
    assert in_scope > 0
    percent = (200 * covered + in_scope) // (2 * in_scope)
    headline = page.locator("#agency-headline h2")
    assert headline.inner_text() == f"Your agency: {percent}% compliant"
    assert headline.is_visible() and headline.bounding_box()["y"] < 844  # on the first screen
    assert f"{covered} of {in_scope} required course" in page.locator("#agency-headline").inner_text()
    # The staff list has a training status beside the account.
    header = page.locator("table thead").inner_text()
    assert "Training" in header and "Account" in header
    axe.assert_clean(page, "manager-landing")
    _fits_phones(page)

    # "See who" for the first state listed: the people list shows exactly that many.
    first = page.locator("#agency-figures li").first
    count = int(re.match(r"(\d+) ", first.inner_text()).group(1))
    first.get_by_role("link").click()
    page.wait_for_url(re.compile(rf".*/reports/people\?agency={agency_id}&status=\w+$"))
    assert page.locator("#people-count strong").inner_text() == str(count)

    # The one person page, from the staff list.
    page.goto(f"/agencies/{agency_id}")
    page.locator("tbody th a").first.click()
    page.wait_for_url(re.compile(r".*/people/\d+$"))
    assert page.get_by_role("heading", name="Required training").is_visible()
    assert page.get_by_role("heading", name="Certificates").is_visible()
    assert "Due by" in page.locator("main").inner_text() and "Expires" in page.locator("main").inner_text()
    axe.assert_clean(page, "person-page")
    _fits_phones(page)


def test_the_old_record_address_and_the_admin_view_on_a_phone(phone, axe, live_server):
    page = phone
    app = live_server["app"]
    with app.app_context():
        from modules.accounts.models import Agency, User
        from modules.core.extensions import db

        police = db.session.scalar(db.select(Agency).where(Agency.name == "Northshire Police"))
        police_id = police.id
        officer = db.session.scalar(db.select(User).where(User.agency_id == police.id, User.active.is_(True))
                                    .order_by(User.id.desc()))
        officer_id, officer_name = officer.id, officer.name
        db.session.remove()
    sign_in(page, "admin@example.org")
    page.goto(f"/reports/people/{officer_id}")
    page.wait_for_url(re.compile(rf".*/people/{officer_id}$"))
    assert page.locator("h1").inner_text() == officer_name
    assert page.get_by_role("link", name=re.compile(r"^Record face-to-face training")).is_visible()
    axe.assert_clean(page, "person-page-admin")
    _fits_phones(page)
    page.goto(f"/agencies/{police_id}")
    assert page.locator("#agency-headline h2").inner_text().startswith("Northshire Police: ")
    axe.assert_clean(page, "agency-page-admin")
    _fits_phones(page)
