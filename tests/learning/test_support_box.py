"""The support box (learning/_support.html) and the handbook's local contacts, read from the
partnership settings: their defaults, an admin's values, hostile values, one query per page."""
from __future__ import annotations

import logging
import re

import pytest

from modules.accounts.models import AgencyKind
from modules.core import partnership_settings
from modules.learning.contacts import FALLBACK, from_setting, local_contacts
from modules.learning.requirements import set_requirement
from tests.sql_statements import recorded_statements

BASE = "/my-training/courses/course-a"
SECTION = f"{BASE}/modules/lesson/sections/1"
CONTACTS = f"{BASE}/modules/handbook/sections/3"  # where the handbook says [[local-contacts]]
SUPPORT = re.compile(r'<aside class="sl-support".*?</aside>', re.S)


@pytest.fixture
def started(db, course_a, client, sign_in, learner):
    for kind in AgencyKind:
        set_requirement(course_a.course, kind)
    db.session.commit()
    sign_in(learner)
    client.post(f"{BASE}/start")
    return course_a


def _support(client, url=SECTION) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    boxes = SUPPORT.findall(response.get_data(as_text=True))
    assert len(boxes) == 1
    return boxes[0]


def _put(db, name, value):
    partnership_settings.put(name, value, actor=None)
    db.session.commit()


def test_the_default_box_has_samaritans_and_says_to_ask_about_staff_support(client, started):
    box = _support(client)
    assert "<strong>Samaritans</strong>, if this training has upset you" in box
    assert '<a class="govuk-link sl-tel" href="tel:116123">116&nbsp;123</a>' in box
    assert 'href="tel:+448088005000">0808&nbsp;800&nbsp;5000</a>' in box
    assert 'href="https://napac.org.uk" rel="noopener noreferrer">napac.org.uk</a>' in box
    assert "Your manager can tell you about support for staff at work" in box
    assert 'href="tel:999"' in box


def test_the_box_shows_the_lines_and_the_staff_support_line_an_admin_saved(client, db, started):
    _put(db, "support_lines", [
        {"name": "Samaritans", "for": "day or night", "phone": "116 123", "url": ""},
        {"name": "Northshire Mind", "for": "for your mental health", "phone": "01632 960 123",
         "url": "https://www.example.org/mind/"},
    ])
    _put(db, "employer_support_line", {"name": "Health Assured", "phone": "0800 030 5182",
                                       "hours": "24 hours a day", "url": "https://healthassured.org"})
    box = _support(client)
    assert "NSPCC" not in box and "Childline" not in box
    assert "<strong>Northshire Mind</strong>, for your mental health:" in box
    # Not a real UK number, so not a link, but kept on one line; its web address as people say it.
    assert '<span class="sl-tel">01632 960 123</span> or <a class="govuk-link" href="https://www.example.org/mind/"' in box
    assert ">example.org/mind</a>" in box
    assert "<strong>Health Assured</strong>, your employer&#39;s support for staff:" in box
    assert 'href="tel:+448000305182">0800&nbsp;030&nbsp;5182</a>' in box and "(24 hours a day)" in box
    assert "Your manager can tell you" not in box


def test_hostile_or_broken_settings_cannot_forge_markup_or_links(client, db, started):
    _put(db, "support_lines", [
        {"name": "<script>alert(1)</script>", "phone": "116 123"},
        {"name": "Bad link", "url": "javascript:alert(1)"},  # no way to get in touch: left out
        {"name": "", "phone": "999"},  # no name: left out
        "not a line",
        {"name": "Quote\" onmouseover=\"x", "url": "https://example.org/\"><b>"},
    ])
    _put(db, "employer_support_line", {"name": "No number or address"})
    box = _support(client)
    assert "<script>" not in box and "&lt;script&gt;alert(1)&lt;/script&gt;" in box
    assert "javascript:" not in box and "Bad link" not in box
    assert 'onmouseover="x' not in box and "<b>" not in box
    assert box.count("<li>") == 2
    assert "Your manager can tell you" in box  # the staff line without contact is not shown


def test_under_a_quiz_question_the_box_is_folded_away_elsewhere_it_is_open(client, started):
    page = client.get(SECTION).get_data(as_text=True)
    assert "sl-support-details" not in page and '<h2 class="govuk-heading-s" id="sl-support-heading">' in page
    for slug, sections in (("lesson", 2), ("case-study", 3), ("handbook", 3)):
        if slug == "case-study":
            client.post(f"{BASE}/modules/case-study/decisions/d-one", data={"option": "d-one-o1"})
        for number in range(1, sections + 1):
            client.post(f"{BASE}/modules/{slug}/sections/{number}")
    question = client.post(f"{BASE}/modules/assessment/quiz").location
    page = client.get(question).get_data(as_text=True)
    details = re.search(r'<details class="govuk-details sl-support-details">.*?</details>', page, re.S)
    assert details and "Samaritans" in details.group(0) and "<aside" in details.group(0)
    # The question and its button come before the box.
    assert page.index('type="submit"') < details.start()


def test_a_handbook_page_reads_every_setting_it_shows_in_one_query(app, client, started):
    client.get(CONTACTS)  # warm anything cached per process
    from modules.core.extensions import db

    with recorded_statements(db.engine) as log:
        assert client.get(CONTACTS).status_code == 200
    reads = [q for q in log.queries if "partnership_settings" in q]
    assert len(reads) == 1, "\n".join(reads)


# Local contacts: the settings, else the YAML seed file -------------------------------------------

SAVED = {"intro": "Call these first.",
         "contacts": [{"name": "Northshire front door", "phone": "01632 960000", "email": "door@example.org"}]}


def _seed_file(app, tmp_path, name="From the file"):
    path = tmp_path / "contacts.yaml"
    path.write_text(f"contacts:\n  - name: {name}\n    phone: '101'\n")
    app.config["SIGHTLINE_LOCAL_CONTACTS_FILE"] = str(path)


def test_saved_contacts_replace_the_seed_file_and_a_reset_brings_it_back(app, db, client, started, tmp_path):
    _seed_file(app, tmp_path)
    page = client.get(CONTACTS).get_data(as_text=True)
    assert "From the file" in page and "Northshire front door" not in page
    _put(db, "local_contacts", SAVED)
    page = client.get(CONTACTS).get_data(as_text=True)
    assert "Northshire front door" in page and "Call these first." in page and "From the file" not in page
    assert 'href="tel:01632960000"' in page and 'href="mailto:door@example.org"' in page
    partnership_settings.reset("local_contacts", actor=None)
    db.session.commit()
    assert "From the file" in client.get(CONTACTS).get_data(as_text=True)


def test_saving_no_contacts_chooses_the_safe_fallback(app, db, client, started, tmp_path):
    _seed_file(app, tmp_path)
    _put(db, "local_contacts", {"intro": "", "contacts": []})
    page = client.get(CONTACTS).get_data(as_text=True)
    assert "Ask your safeguarding lead" in page and "From the file" not in page


def test_contacts_stored_wrongly_leave_the_seed_file_in_use(app, db, tmp_path, caplog):
    _seed_file(app, tmp_path)
    _put(db, "local_contacts", {"contacts": [{"name": "X", "fax": "1"}]})
    with caplog.at_level(logging.WARNING, "modules.learning.contacts"):
        with app.test_request_context():
            assert local_contacts().contacts[0].name == "From the file"
    assert "unknown fields: fax" in caplog.text


def test_a_saved_value_is_read_with_the_file_s_rules():
    assert from_setting(None) is None
    assert from_setting({"contacts": []}) is FALLBACK
    contacts = from_setting({"intro": "  Two\n words ", "contacts": [{"name": " A  team ", "phone": "+44 1632 960001"}]})
    assert contacts.intro == "Two words" and contacts.contacts[0].name == "A team"
    assert contacts.contacts[0].tel == "+441632960001"
    assert from_setting([{"name": "A bare list"}]).contacts[0].name == "A bare list"
    assert from_setting("text") is None
