"""The import pages: upload, preview with every row problem, confirm, result; the file kept on
the server between preview and confirm and checked again; managers for their own agency only."""
from __future__ import annotations

import io
import re

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from modules.accounts.models import Role, Team, User
from modules.core.models import AuditEvent, utcnow
from modules.notifications.mail import read_outbox
from tests.admin.conftest import csv_bytes

GOOD = csv_bytes(
    "Jo Bloggs,jo@example.org,Northshire Police,Child Exploitation Team,DC,2,Learner",
    "Sam Okafor,sam@example.org,Northshire Health,Emergency Department,Nurse,1,",
)
BAD = csv_bytes(
    "Jo Bloggs,jo@example.org,Northshire Police,Traffic,DC,2,Learner",
    "Sam Okafor,sam@example.org,Northshire Health,,Nurse,9,",
)


def upload(client, url, data, name="staff.csv"):
    return client.post(url, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def upload_id(page: str) -> str:
    return re.search(r'name="upload" type="hidden" value="([^"]+)"', page).group(1)


def people(db):
    return db.session.scalar(select(func.count(User.id)))


def test_the_admin_sees_every_row_problem_and_nothing_is_written(client, db, sign_in, world):
    sign_in(world.admin)
    before = people(db)
    page = upload(client, "/admin/import", BAD).get_data(as_text=True)
    assert "There are 2 problems in staff.csv" in page
    assert "govuk-error-summary" in page
    assert "Northshire Police has no team called &#39;Traffic&#39;" in page
    assert "create the team first on the agency page" in page
    assert "The level &#39;9&#39; is not 1, 2 or 3" in page
    assert re.search(r"<td[^>]*>2</td>\s*<td[^>]*>team</td>", page)
    assert re.search(r"<td[^>]*>3</td>\s*<td[^>]*>level</td>", page)
    assert 'name="upload"' not in page  # no confirm button
    assert people(db) == before


def test_the_admin_previews_imports_and_sees_the_result(app, client, db, sign_in, world):
    sign_in(world.admin)
    page = upload(client, "/admin/import", GOOD).get_data(as_text=True)
    assert "Import 2 people" in page and "left as they are" in page
    response = client.post("/admin/import/confirm", data={"upload": upload_id(page), "send_invitations": "y"})
    assert response.status_code == 302
    result = client.get(response.location).get_data(as_text=True)
    assert "Staff imported" in result and "2 being sent by email" in result
    assert people(db) == 4
    assert sorted(m.to for m in read_outbox(app.config["MAIL_OUTBOX_DIR"])) == ["jo@example.org", "sam@example.org"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "staff.imported"))
    assert event.details["file_name"] == "staff.csv" and event.details["source"] == "web"


def test_unticking_send_invitations_sends_none(app, client, db, sign_in, world):
    sign_in(world.admin)
    page = upload(client, "/admin/import", GOOD).get_data(as_text=True)
    client.post("/admin/import/confirm", data={"upload": upload_id(page)})
    assert people(db) == 4 and read_outbox(app.config["MAIL_OUTBOX_DIR"]) == []


def test_the_same_file_again_has_nothing_to_import(client, db, sign_in, world):
    sign_in(world.admin)
    page = upload(client, "/admin/import", GOOD).get_data(as_text=True)
    client.post("/admin/import/confirm", data={"upload": upload_id(page)})
    again = upload(client, "/admin/import", GOOD).get_data(as_text=True)
    assert "Nothing to import: everyone in the file is already up to date." in again
    assert 'name="upload"' not in again


def test_a_changed_row_shows_old_and_new_values(client, db, sign_in, world):
    sign_in(world.admin)
    client.post("/admin/import/confirm", data={"upload": upload_id(upload(client, "/admin/import", GOOD).get_data(as_text=True))})
    changed = GOOD.replace(b"Jo Bloggs,jo@example.org,Northshire Police,Child Exploitation Team,DC,2",
                           b"Jo Smith,jo@example.org,Northshire Police,Child Exploitation Team,DS,2")
    page = upload(client, "/admin/import", changed).get_data(as_text=True)
    assert "Name: Jo Bloggs → Jo Smith" in page and "Job title: DC → DS" in page
    assert "Import 1 person" in page


def test_the_file_is_checked_again_at_confirm(client, db, sign_in, world):
    sign_in(world.admin)
    page = upload(client, "/admin/import", GOOD).get_data(as_text=True)
    team = db.session.scalar(select(Team).where(Team.name == "Emergency Department"))
    team.retired_at = utcnow()  # someone retires the team between preview and confirm
    db.session.commit()
    response = client.post("/admin/import/confirm", data={"upload": upload_id(page)})
    assert response.status_code == 200
    assert "The team &#39;Emergency Department&#39; in Northshire Health is retired" in response.get_data(as_text=True)
    assert people(db) == 2


def test_an_upload_is_usable_only_by_its_uploader(app, client, db, sign_in, world, make_user):
    sign_in(world.admin)
    page = upload(client, "/admin/import", GOOD).get_data(as_text=True)
    other_admin = make_user(roles=(Role.learner, Role.partnership_admin), agency=world.police)
    other = sign_in(other_admin, test_client=app.test_client())
    response = other.post("/admin/import/confirm", data={"upload": upload_id(page)})
    assert "no longer on the server" in response.get_data(as_text=True)
    assert people(db) == 3


def test_a_file_that_is_not_a_csv_gets_one_message(client, sign_in, world):
    sign_in(world.admin)
    page = upload(client, "/admin/import", b"PK\x03\x04\x14\x00binary", name="staff.xlsx").get_data(as_text=True)
    assert "is an Excel workbook, not a CSV file" in page and "govuk-error-summary" in page


def test_no_file_is_an_error_on_the_form(client, sign_in, world):
    sign_in(world.admin)
    page = client.post("/admin/import", data={}, content_type="multipart/form-data").get_data(as_text=True)
    assert "Select a CSV file of staff to import" in page


def test_a_file_over_the_limit_is_refused_with_a_message(client, sign_in, world):
    sign_in(world.admin)
    # Encoded here: over 500 KB Werkzeug's test client would spool the body to a temporary file
    # it never closes (a ResourceWarning, which the suite turns into an error).
    boundary, body = encode_multipart({"file": FileStorage(
        io.BytesIO(b"name,email\n" + b"x" * (6 * 1024 * 1024)), "staff.csv")})
    response = client.post("/admin/import", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 200
    assert "bigger than 5 MB" in response.get_data(as_text=True)


def test_an_upload_over_the_site_limit_is_refused_before_any_view_reads_it(app, client, db, sign_in, world):
    # MAX_CONTENT_LENGTH: Werkzeug refuses the body instead of spooling it to a temporary file,
    # and the page says what to do; nothing is written.
    sign_in(world.admin)
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    before = people(db)
    boundary, body = encode_multipart({"file": FileStorage(
        io.BytesIO(b"name,email\n" + b"x" * (2 * 1024 * 1024)), "staff.csv")})
    response = client.post("/admin/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "The file is too big" in page and "up to 1 MB" in page
    assert people(db) == before


def test_windows_text_is_noted_on_the_preview(client, sign_in, world):
    sign_in(world.admin)
    data = csv_bytes("Zoë Brontë,zoe@example.org,Northshire Police,,,1,", encoding="cp1252")
    page = upload(client, "/admin/import", data).get_data(as_text=True)
    assert "read as Windows text" in page and "Import 1 person" in page


def test_a_manager_imports_learners_into_their_own_agency(client, db, sign_in, world):
    sign_in(world.manager)
    url = f"/agencies/{world.police.id}/import"
    assert "learner only" in client.get(url).get_data(as_text=True)
    data = csv_bytes("Jo,jo@example.org,", "Sam,sam@example.org,", header="name,email,team\r\n")
    page = upload(client, url, data).get_data(as_text=True)
    response = client.post(f"{url}/confirm", data={"upload": upload_id(page)})
    assert response.status_code == 302
    assert client.get(response.location).status_code == 200
    jo = db.session.scalar(select(User).where(User.email == "jo@example.org"))
    assert jo.agency_id == world.police.id and jo.roles == {Role.learner}


def test_a_manager_cannot_import_managers_or_rows_for_another_agency(client, db, sign_in, world):
    sign_in(world.manager)
    data = csv_bytes("Jo,jo@example.org,Northshire Health,,,1,",
                     "Sam,sam@example.org,Northshire Police,,,1,Manager")
    page = upload(client, f"/agencies/{world.police.id}/import", data).get_data(as_text=True)
    assert "this import is for Northshire Police" in page
    assert "cannot give the manager role" in page
    assert people(db) == 2


def test_a_manager_cannot_use_an_upload_at_another_agency(client, db, sign_in, world):
    sign_in(world.admin)
    page = upload(client, f"/agencies/{world.police.id}/import", csv_bytes("Jo,jo@example.org,,,,1,")).get_data(as_text=True)
    # The same upload id at another agency's confirm is refused: it is tied to the agency too.
    response = client.post(f"/agencies/{world.health.id}/import/confirm", data={"upload": upload_id(page)})
    assert "no longer on the server" in response.get_data(as_text=True)
    assert people(db) == 2


def test_a_result_page_is_only_for_its_own_agency(client, db, sign_in, world):
    sign_in(world.admin)
    url = f"/agencies/{world.police.id}/import"
    page = upload(client, url, csv_bytes("Jo,jo@example.org,,,,1,")).get_data(as_text=True)
    location = client.post(f"{url}/confirm", data={"upload": upload_id(page)}).location
    event_id = location.rsplit("/", 1)[1]
    assert client.get(f"/agencies/{world.health.id}/import/results/{event_id}").status_code == 404
    assert client.get(f"/admin/import/results/{event_id}").status_code == 404
    assert client.get(location).status_code == 200
