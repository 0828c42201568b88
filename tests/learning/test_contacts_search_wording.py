"""Local contacts from configuration, handbook search, durations in words."""
from __future__ import annotations

import os

import pytest

from modules.learning.contacts import (
    FALLBACK,
    Contact,
    load_contacts_file,
    local_contacts,
    parse_contacts,
)
from modules.learning.handbook import search_sections, search_terms
from modules.learning.wording import minutes_in_words, months_in_words

# Local contacts ----------------------------------------------------------------------------------

def test_contacts_file_is_read(tmp_path):
    path = tmp_path / "local_contacts.yaml"
    path.write_text(
        "intro: Call these first.\n"
        "contacts:\n"
        "  - name: Children's services front door\n"
        "    phone: 01632 960000\n"
        "    hours: Monday to Friday, 9am to 5pm\n"
        "  - name: Police (non-emergency)\n"
        "    phone: 101\n"
    )
    contacts = load_contacts_file(str(path))
    assert contacts.configured and contacts.intro == "Call these first."
    assert [c.name for c in contacts.contacts] == ["Children's services front door", "Police (non-emergency)"]
    assert contacts.contacts[1].phone == "101" and contacts.contacts[1].tel == "101"


def test_a_bare_list_is_accepted():
    contacts = parse_contacts([{"name": "Emergency duty team", "phone": "+44 1632 960001"}])
    assert contacts.contacts == (Contact(name="Emergency duty team", phone="+44 1632 960001"),)
    assert contacts.contacts[0].tel == "+441632960001"


@pytest.mark.parametrize(
    "document",
    [
        "",  # empty file
        "contacts: []\n",
        "contacts:\n  - phone: 123\n",  # no name
        "contacts:\n  - name: X\n    fax: 123\n",  # unknown field (a typo would vanish silently)
        "contacts: [unclosed\n",  # not YAML
        "- just text\n",
    ],
)
def test_a_broken_file_falls_back_safely(tmp_path, document, caplog):
    path = tmp_path / "local_contacts.yaml"
    path.write_text(document)
    assert load_contacts_file(str(path)) is FALLBACK
    assert "not used" in caplog.text


def test_a_missing_file_is_the_fallback(tmp_path):
    assert load_contacts_file(str(tmp_path / "nothing.yaml")) is FALLBACK
    assert local_contacts(str(tmp_path / "nothing.yaml")) is FALLBACK
    assert not FALLBACK.configured


def test_contacts_are_read_again_when_the_file_changes(tmp_path):
    path = tmp_path / "local_contacts.yaml"
    path.write_text("- name: First\n")
    assert local_contacts(str(path)).contacts[0].name == "First"
    path.write_text("- name: Second\n")
    stat = path.stat()
    os.utime(path, (stat.st_atime, stat.st_mtime + 5))
    assert local_contacts(str(path)).contacts[0].name == "Second"


def test_the_default_file_is_in_the_instance_folder(app):
    assert app.config["SIGHTLINE_LOCAL_CONTACTS_FILE"].endswith(os.path.join("instance", "local_contacts.yaml"))
    assert app.config["SIGHTLINE_REFRESHER_WINDOW_DAYS"] == 60


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    from modules.core.factory import create_app

    monkeypatch.setenv("SIGHTLINE_REFRESHER_WINDOW_DAYS", "30")
    monkeypatch.setenv("SIGHTLINE_LOCAL_CONTACTS_FILE", str(tmp_path / "c.yaml"))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    assert app.config["SIGHTLINE_REFRESHER_WINDOW_DAYS"] == 30
    assert app.config["SIGHTLINE_LOCAL_CONTACTS_FILE"] == str(tmp_path / "c.yaml")
    monkeypatch.setenv("SIGHTLINE_REFRESHER_WINDOW_DAYS", "soon")
    with pytest.raises(SystemExit):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})


# Handbook search ---------------------------------------------------------------------------------

def test_search_terms():
    assert search_terms("Who to CALL, who?") == ["who", "to", "call"]
    assert search_terms("   ") == []
    assert search_terms("x" * 1000) == ["x" * 200]


def test_search_finds_sections_with_every_word(db):
    from tests.learning.factories import standard_modules

    handbook = standard_modules()["handbook"]
    hits = search_sections(handbook, "child words")
    assert [h.section for h in hits] == [2]
    assert "<mark>child</mark>" in hits[0].snippet and "<mark>words</mark>" in hits[0].snippet
    # Prefixes match ("record" finds "Record" and "recording"), titles count more than text.
    assert [h.title for h in search_sections(handbook, "record")] == ["Record"]
    assert search_sections(handbook, "zebra") == []


def test_snippets_escape_the_text_around_the_words():
    from modules.learning.handbook import _snippet

    snippet = str(_snippet('Write "<script>" and the child\'s words down.', ["child"]))
    assert "&lt;script&gt;" in snippet and "<script>" not in snippet
    assert "<mark>child&#39;s</mark>" in snippet


# Words ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("minutes", "words"),
    [(150, "2 hours 30 minutes"), (60, "1 hour"), (61, "1 hour 1 minute"), (20, "20 minutes"), (0, "0 minutes")],
)
def test_minutes_in_words(minutes, words):
    assert minutes_in_words(minutes) == words


@pytest.mark.parametrize(("months", "words"), [(36, "3 years"), (12, "year"), (18, "18 months"), (1, "month")])
def test_months_in_words(months, words):
    assert months_in_words(months) == words


def test_the_documented_example_file_is_valid():
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "docs" / "local_contacts.example.yaml"
    contacts = load_contacts_file(str(example))
    assert contacts.configured and all(c.name for c in contacts.contacts)
