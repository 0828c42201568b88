"""The editor page: the text and its findings, saving a draft, conflicts, discarding."""
from __future__ import annotations

import re

import pytest

from modules.authoring.drafts import current_revision, current_text
from modules.content.source import MAX_FILE_BYTES
from modules.core.roles import Role

PATH = "cse-level-1/01-what-is-cse.md"
URL = f"/authoring/files/{PATH}"


@pytest.fixture
def trainer_client(bundled, client, make_user, sign_in):
    return sign_in(make_user(roles=(Role.trainer,), name="Sam Trainer"))


def _textarea(html: str, ident: str = "source") -> str:
    import html as html_lib

    match = re.search(rf'<textarea id="{ident}"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, f"no textarea #{ident}"
    return html_lib.unescape(match.group(1))


def test_the_editor_shows_the_published_text_with_numbered_lines(trainer_client):
    page = trainer_client.get(URL)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    text = current_text(PATH)
    # Jinja drops one leading newline of a textarea's content, as browsers do.
    assert _textarea(html) == text
    assert 'name="text" class="govuk-textarea sl-editor__source' in html
    assert 'name="revision" type="hidden" value="0"' in html
    assert f'id="L{len(text.split(chr(10)))}"' in html
    assert "No problems found in the text shown." in html


def test_saving_keeps_a_draft_and_shows_its_findings_linked_to_their_line(trainer_client, db):
    text = current_text(PATH).replace("title:", "titel:", 1)
    response = trainer_client.post(URL, data={"text": text.replace("\n", "\r\n"), "revision": "0"})
    assert response.status_code == 302
    assert current_text(PATH) == text  # line ends as in a file, not as the browser sent them
    assert current_revision(PATH) == 1
    html = trainer_client.get(URL).get_data(as_text=True)
    assert "Draft saved by Sam Trainer" in html
    finding = re.search(r'<li class="sl-findings__item" data-line="(\d+)" data-col="\d+" '
                        r'data-severity="error">.*?href="#L(\d+)">Line \d+, column \d+: ', html, re.S)
    assert finding and finding.group(1) == finding.group(2)
    assert "<details class=\"govuk-details sl-lines\" open>" in html
    assert 'name="revision" type="hidden" value="1"' in html


def test_a_save_over_a_colleagues_keeps_both_texts(bundled, app, db, make_user, sign_in):
    sam = sign_in(make_user(roles=(Role.trainer,), name="Sam Trainer"), test_client=app.test_client())
    alex = sign_in(make_user(roles=(Role.partnership_admin,), name="Alex Admin"), test_client=app.test_client())
    published = current_text(PATH)
    assert sam.post(URL, data={"text": published + "\nSam's line.\n", "revision": "0"}).status_code == 302
    refused = alex.post(URL, data={"text": published + "\nAlex's line.\n", "revision": "0"})
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert "Sam Trainer saved this file at" in html
    assert _textarea(html) == published + "\nSam's line.\n"
    assert _textarea(html, "mine") == published + "\nAlex's line.\n"
    assert 'name="revision" type="hidden" value="1"' in html
    assert current_text(PATH).endswith("Sam's line.\n")


def test_a_text_over_the_size_limit_is_refused_and_kept(trainer_client):
    text = "x" * (MAX_FILE_BYTES + 1)
    response = trainer_client.post(URL, data={"text": text, "revision": "0"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The text is too long to save" in html
    assert len(_textarea(html)) == len(text)
    assert current_revision(PATH) == 0


def test_discarding_asks_first_then_brings_back_the_published_text(trainer_client):
    published = current_text(PATH)
    trainer_client.post(URL, data={"text": "changed\n", "revision": "0"})
    asked = trainer_client.post(f"{URL}/discard", data={"revision": "1"})
    assert asked.status_code == 200
    assert "Every change in this draft will be lost" in asked.get_data(as_text=True)
    assert current_text(PATH) == "changed\n"
    done = trainer_client.post(f"{URL}/discard", data={"revision": "1", "confirm": "yes"})
    assert done.status_code == 302
    assert current_text(PATH) == published


@pytest.mark.parametrize("path", ["cse-level-1/99-no-such-module.md", "../etc/passwd.md",
                                  "cse-level-1/images/nothing.png"])
def test_a_path_not_in_the_working_copy_is_not_found(trainer_client, path):
    assert trainer_client.get(f"/authoring/files/{path}").status_code == 404


@pytest.mark.parametrize("role", [Role.manager, Role.learner])
def test_only_trainers_and_admins_edit(bundled, client, make_user, sign_in, role):
    sign_in(make_user(roles=(role,)))
    assert client.get(URL).status_code == 403
    assert client.post(URL, data={"text": "x", "revision": "0"}).status_code == 403
