"""Report pages on a phone (390 px and 320 px): nothing wider than the screen, chart text at a
readable size (the old SVG charts printed their labels at 6 px), the filters collapsible and open
once applied, and axe-core finds nothing."""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

PAGES = ("/reports", "/reports/people", "/reports/completions", "/reports?agency={police}",
         "/reports/people?status=overdue")


def _police_id(page) -> str:
    page.goto("/reports")
    href = page.get_by_role("link", name="Northshire Police").first.get_attribute("href")
    return re.search(r"agency=(\d+)", href).group(1)


@pytest.mark.parametrize("width", [390, 320])
def test_report_pages_fit_a_phone_with_readable_charts(browser, live_server, axe, width):
    context = browser.new_context(base_url=live_server["url"], viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, "admin@example.org")
        police = _police_id(page)
        for path in PAGES:
            url = path.format(police=police)
            page.goto(url)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{url} is {overflow}px wider than the {width}px screen"
            sizes = page.evaluate("""() => [...document.querySelectorAll(
                '.sl-chart__label, .sl-chart__figure, .sl-chart__key-item, .sl-chart__title, .sl-chart__summary')]
                .filter(e => e.offsetParent !== null)
                .map(e => parseFloat(getComputedStyle(e).fontSize))""")
            if url.startswith("/reports?") or url == "/reports":
                assert sizes, f"no chart text on {url}"
            assert all(size >= 12 for size in sizes), (url, sorted(set(sizes)))
            # No text is drawn inside an SVG, where it would shrink with the drawing.
            assert page.locator(".sl-chart svg text").count() == 0
            # Every bar's drawing is as wide as its row allows, not a scaled-down picture.
            widths = page.evaluate("[...document.querySelectorAll('.sl-chart__bar')].map(b => b.getBoundingClientRect().width)")
            assert all(w > width / 3 for w in widths), (url, widths)
            axe.assert_clean(page, f"report-{url.strip('/').replace('/', '-').replace('?', '-')}-{width}")
    finally:
        context.close()


def test_the_filters_are_collapsible_and_open_when_applied(browser, live_server, axe):
    context = browser.new_context(base_url=live_server["url"], viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, "manager@example.org")
        page.goto("/reports/people")
        # The headline figure comes before the filters.
        headline = page.locator("#people-count").bounding_box()
        details = page.locator("#report-filters")
        assert headline["y"] < details.bounding_box()["y"]
        assert details.get_attribute("open") is None
        status = page.get_by_label("Status")
        assert not status.is_visible()
        page.get_by_text("Filter this report").click()
        assert status.is_visible()
        status.select_option(label="Overdue")
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(re.compile(r".*status=overdue.*"))
        assert page.locator("#report-filters").get_attribute("open") is not None
        showing = page.locator("#report-showing").inner_text()
        assert showing.startswith("Showing: Northshire Police, Overdue, reporting year")
        axe.assert_clean(page, "report-people-filtered-390")
        # Keyboard: the summary toggles the block closed and open again.
        page.locator("#report-filters summary").focus()
        page.keyboard.press("Enter")
        assert page.locator("#report-filters").get_attribute("open") is None
        page.keyboard.press("Enter")
        assert page.get_by_label("Status").is_visible()
    finally:
        context.close()
