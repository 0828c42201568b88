"""Telephone numbers in links never break across two lines (html-validate's tel-non-breaking)."""
from __future__ import annotations

import re

from flask import render_template

from modules.learning.contacts import parse_contacts

TEL_LINK_TEXT = re.compile(r'<a [^>]*href="tel:[^"]*"[^>]*>([^<]*)</a>')


def test_telephone_numbers_in_links_keep_their_spaces_non_breaking(app):
    contacts = parse_contacts([{"name": "Children's services front door", "phone": "01632 960 000"},
                               {"name": "Police", "phone": "101"}])
    with app.test_request_context():
        html = render_template("learning/_support.html") + render_template(
            "learning/_local_contacts.html", contacts=contacts)
    numbers = TEL_LINK_TEXT.findall(html)
    assert numbers == ["0808&nbsp;800&nbsp;5000", "0800&nbsp;1111", "116&nbsp;123", "999", "01632&nbsp;960&nbsp;000", "101", "999"]
