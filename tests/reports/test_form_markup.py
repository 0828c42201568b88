"""Form markup the HTML standard allows (the browser tests validate every page; this is the quick
check for the forms with a required date)."""
from __future__ import annotations

import re

FORM_CONTROLS = {"input", "select", "textarea"}


def test_required_is_only_on_form_controls_in_the_manual_record_form(client, sign_in, world):
    sign_in(world.manager)
    page = client.get(f"/reports/people/{world.people['bob'].id}/manual").get_data(as_text=True)
    tags = re.findall(r"<([a-z]+)\b[^>]*\srequired\b", page)
    # The course, the date and the evidence are required; only their controls may say so.
    assert tags and set(tags) <= FORM_CONTROLS, tags
