"""The partnership settings page: support lines, the staff support line, local contacts,
reporting targets and the logo; preview without saving, save audited, no GET writes, and the
public address warning."""
from __future__ import annotations

import io

import pytest
from flask import g
from PIL import Image
from sqlalchemy import func, select

from modules.accounts.models import Role
from modules.admin.settings import LogoRefused, prepared_logo, public_address
from modules.admin.settings_forms import phone_problem
from modules.core import partnership_settings
from modules.core.models import AuditEvent, PartnershipAsset, PartnershipSetting


@pytest.fixture
def admin(make_user, make_agency):
    return make_user(roles=(Role.learner, Role.partnership_admin), agency=make_agency(name="Northshire Council"),
                     name="Alex Admin")


def _setting(name):
    """The stored value, as a new request reads it (the test's own context remembers reads)."""
    g.pop("sightline_partnership_settings", None)
    return partnership_settings.get(name)


def _events(db, action=None):
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return db.session.scalars(query).all()


def _support_form(lines, *, button="save"):
    data = {f"support-{button}": "Yes"}
    for n, line in enumerate(lines):
        for key in ("name", "audience", "phone", "url"):
            data[f"support-lines-{n}-{key}"] = line.get(key, "")
    return data


def _png(size=(40, 20), colour=(11, 85, 99), fmt="PNG", **save):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt, **save)
    return out.getvalue()


def test_the_page_shows_what_learners_see_today_and_writes_nothing(db, client, sign_in, admin):
    sign_in(admin)
    events = len(_events(db))
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Partnership settings" in page
    # The default lines, as the learner's support box shows them, and in the form.
    assert 'href="tel:116123"' in page and "Samaritans" in page
    assert 'value="NSPCC helpline"' in page
    assert "learners are told to ask their safeguarding lead" in page
    assert db.session.scalar(select(func.count()).select_from(PartnershipSetting)) == 0
    assert len(_events(db)) == events


def test_preview_shows_the_typed_line_without_saving_then_save_audits_it(db, client, sign_in, admin):
    sign_in(admin)
    lines = [{"name": "Samaritans", "audience": "day or night", "phone": "116 123"},
             {"name": "Northshire Staff Wellbeing", "audience": "for staff", "phone": "0114 273 4855",
              "url": "https://wellbeing.example.org"}]
    response = client.post("/admin/settings/support-lines", data=_support_form(lines, button="preview"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Not saved yet" in page
    assert 'href="tel:+441142734855"' in page and "wellbeing.example.org" in page
    assert not partnership_settings.is_changed("support_lines")
    assert _events(db, "settings.changed") == []

    response = client.post("/admin/settings/support-lines", data=_support_form(lines))
    assert response.status_code == 302
    saved = _setting("support_lines")
    assert [line["name"] for line in saved] == ["Samaritans", "Northshire Staff Wellbeing"]
    assert saved[1] == {"name": "Northshire Staff Wellbeing", "for": "for staff", "phone": "0114 273 4855",
                        "url": "https://wellbeing.example.org"}
    (event,) = _events(db, "settings.changed")
    assert event.actor_id == admin.id and event.details["setting"] == "support_lines"
    assert "NSPCC helpline" in str(event.details["before"])
    # The audit log says which setting, in words.
    log = client.get("/admin/audit").get_data(as_text=True)
    assert "Support lines shown to learners" in log
    # Saving the same again changes nothing and records nothing.
    client.post("/admin/settings/support-lines", data=_support_form(lines))
    assert len(_events(db, "settings.changed")) == 1


def test_an_emptied_row_is_removed_and_a_half_filled_one_is_refused(db, client, sign_in, admin):
    sign_in(admin)
    lines = [{"name": "Samaritans", "phone": "116 123"}, {}, {"audience": "no name", "phone": "0800 1111"}]
    page = client.post("/admin/settings/support-lines", data=_support_form(lines)).get_data(as_text=True)
    assert "There is a problem" in page
    assert "Enter the name, or clear the whole row to remove it" in page
    assert 'href="#support-lines-2-name"' in page
    assert not partnership_settings.is_changed("support_lines")
    client.post("/admin/settings/support-lines", data=_support_form(lines[:2]))
    assert [line["name"] for line in _setting("support_lines")] == ["Samaritans"]


@pytest.mark.parametrize(("line", "message"), [
    ({"name": "X", "phone": "12345"}, "Enter a telephone number that exists"),
    ({"name": "X", "phone": "call us"}, "Enter a telephone number, like"),
    ({"name": "X", "url": "http://example.org"}, "Enter a web address starting https://"),
    ({"name": "X", "url": "javascript:alert(1)"}, "Enter a web address starting https://"),
    ({"name": "X"}, "Enter a telephone number or a web address"),
])
def test_support_lines_are_checked(db, client, sign_in, admin, line, message):
    sign_in(admin)
    page = client.post("/admin/settings/support-lines", data=_support_form([line])).get_data(as_text=True)
    assert message in page
    assert not partnership_settings.is_changed("support_lines")


def test_no_lines_at_all_is_refused(db, client, sign_in, admin):
    sign_in(admin)
    page = client.post("/admin/settings/support-lines", data=_support_form([{}])).get_data(as_text=True)
    assert "Enter at least one support line" in page


def test_phone_numbers_uk_and_short_codes():
    assert phone_problem("116 123") is None
    assert phone_problem("0808 800 5000") is None
    assert phone_problem("+44 20 7946 0000") is None
    assert phone_problem("01234") is not None


def test_the_employer_line_is_saved_shown_in_the_box_and_cleared(db, client, sign_in, admin):
    sign_in(admin)
    data = {"employer-name": "Northshire EAP", "employer-phone": "0800 030 5182", "employer-hours": "24 hours",
            "employer-url": "", "employer-save": "Save"}
    assert client.post("/admin/settings/employer-line", data=data).status_code == 302
    assert _setting("employer_support_line") == {
        "name": "Northshire EAP", "phone": "0800 030 5182", "hours": "24 hours", "url": ""}
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "<strong>Northshire EAP</strong>, your employer&#39;s support for staff:" in page
    assert 'href="tel:+448000305182">0800&nbsp;030&nbsp;5182</a> (24 hours)' in page
    cleared = {key: "" for key in data} | {"employer-save": "Save"}
    client.post("/admin/settings/employer-line", data=cleared)
    assert _setting("employer_support_line") is None
    assert len(_events(db, "settings.changed")) == 2


def _contacts_form(contacts, intro="", button="save"):
    data = {"contacts-intro": intro, f"contacts-{button}": "Yes"}
    for n, contact in enumerate(contacts):
        for key in ("name", "phone", "email", "hours", "notes"):
            data[f"contacts-contacts-{n}-{key}"] = contact.get(key, "")
    return data


def test_local_contacts_preview_save_and_reset_to_the_file(app, db, client, sign_in, admin, tmp_path):
    seed = tmp_path / "contacts.yaml"
    seed.write_text("contacts:\n  - name: From the file\n    phone: 0114 273 4855\n", encoding="utf-8")
    app.config["SIGHTLINE_LOCAL_CONTACTS_FILE"] = str(seed)
    sign_in(admin)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Learners see the contacts in the file" in page and "From the file" in page
    assert "Reset to the file" not in page

    contacts = [{"name": "Children's services front door", "phone": "0114 273 4855", "email": "mash@example.org",
                 "hours": "9am to 5pm"}]
    page = client.post("/admin/settings/local-contacts",
                       data=_contacts_form(contacts, intro="Call first", button="preview")).get_data(as_text=True)
    assert "Not saved yet" in page and "Children&#39;s services front door" in page and "Call first" in page
    assert not partnership_settings.is_changed("local_contacts")

    assert client.post("/admin/settings/local-contacts", data=_contacts_form(contacts, intro="Call first")
                       ).status_code == 302
    assert _setting("local_contacts") == {"intro": "Call first", "contacts": [
        {"name": "Children's services front door", "phone": "0114 273 4855", "email": "mash@example.org",
         "hours": "9am to 5pm"}]}
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Learners see the contacts saved here, not those in the file" in page
    assert "Reset to the file" in page

    assert client.post("/admin/settings/local-contacts/reset").status_code == 302
    assert not partnership_settings.is_changed("local_contacts")
    assert [e.action for e in _events(db) if e.action.startswith("settings.")] == [
        "settings.changed", "settings.reset"]


def test_a_contact_with_a_bad_email_is_refused(db, client, sign_in, admin):
    sign_in(admin)
    page = client.post("/admin/settings/local-contacts",
                       data=_contacts_form([{"name": "Front door", "email": "not-an-address"}])).get_data(as_text=True)
    assert "Enter an email address" in page
    assert not partnership_settings.is_changed("local_contacts")


@pytest.mark.parametrize(("target", "amber", "message"), [
    ("101", "75", "Enter a target from 0 to 100"),
    ("ninety", "75", "Enter the compliance target as a whole number"),
    ("80", "85", "The amber threshold cannot be above the target"),
    ("80", "", "Enter the amber threshold as a whole number"),
])
def test_targets_are_checked(db, client, sign_in, admin, target, amber, message):
    sign_in(admin)
    page = client.post("/admin/settings/targets", data={"targets-target": target, "targets-amber": amber,
                                                        "targets-save": "Save"}).get_data(as_text=True)
    assert message in page
    assert _setting("compliance_target_percent") == 90


def test_targets_preview_then_save(db, client, sign_in, admin):
    sign_in(admin)
    page = client.post("/admin/settings/targets", data={"targets-target": "85%", "targets-amber": "70",
                                                        "targets-preview": "Preview"}).get_data(as_text=True)
    assert "Green, on target: 85% or more" in page and "Red: below 70%" in page
    assert _setting("compliance_target_percent") == 90
    client.post("/admin/settings/targets", data={"targets-target": "85", "targets-amber": "70",
                                                 "targets-save": "Save"})
    assert (_setting("compliance_target_percent"),
            _setting("compliance_amber_percent")) == (85, 70)
    assert {e.details["setting"] for e in _events(db, "settings.changed")} == {
        "compliance_target_percent", "compliance_amber_percent"}


def test_a_logo_is_checked_re_encoded_served_cacheably_and_shown_in_the_header(app, db, client, sign_in, admin):
    sign_in(admin)
    jpeg = _png(fmt="JPEG", exif=Image.Exif())
    response = client.post("/admin/settings/logo", data={
        "logo-logo": (io.BytesIO(jpeg + b"<script>hidden</script>"), "logo.jpg"), "logo-upload": "Upload"},
        content_type="multipart/form-data")
    assert response.status_code == 302
    stored = db.session.get(PartnershipAsset, "logo")
    assert stored.content_type == "image/jpeg" and b"<script>" not in stored.data
    (event,) = _events(db, "settings.logo_changed")
    assert event.details["after"] == stored.sha256

    home = client.get("/my-training").get_data(as_text=True)
    url = f"/partnership-logo/{stored.sha256}.jpg"
    assert f'src="http://localhost{url}"' in home or f'src="{url}"' in home
    assert f'alt="{app.config["SIGHTLINE_PARTNERSHIP_NAME"]}"' in home
    client.post("/sign-out")
    logo = client.get(url)
    assert logo.status_code == 200 and logo.mimetype == "image/jpeg"
    assert "immutable" in logo.headers["Cache-Control"] and "public" in logo.headers["Cache-Control"]
    assert client.get(f"/partnership-logo/{'0' * 64}.jpg").status_code == 404
    assert client.get(f"/partnership-logo/{stored.sha256}.png").status_code == 404

    sign_in(admin)
    assert client.post("/admin/settings/logo/remove").status_code == 302
    assert db.session.get(PartnershipAsset, "logo") is None
    assert url not in client.get("/admin/settings").get_data(as_text=True)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(("data", "message"), [
    (b"GIF89a" + b"\0" * 40, "must be a PNG or JPEG"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "must be a PNG or JPEG"),
    (b"", "Select a logo to upload"),
])
def test_a_file_that_is_not_a_small_png_or_jpeg_is_refused(db, client, sign_in, admin, data, message):
    sign_in(admin)
    page = client.post("/admin/settings/logo", data={"logo-logo": (io.BytesIO(data), "logo.gif"),
                                                     "logo-upload": "Upload"},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert message in page and "There is a problem" in page
    assert db.session.get(PartnershipAsset, "logo") is None


def test_a_file_over_1_mb_is_refused_before_it_is_decoded():
    with pytest.raises(LogoRefused, match="smaller than 1 MB"):
        prepared_logo(_png() + b"\0" * (1024 * 1024))


def test_a_big_logo_is_scaled_down(db, client, sign_in, admin):
    sign_in(admin)
    client.post("/admin/settings/logo", data={"logo-logo": (io.BytesIO(_png(size=(3000, 1000))), "big.png"),
                                              "logo-upload": "Upload"}, content_type="multipart/form-data")
    stored = db.session.get(PartnershipAsset, "logo")
    assert Image.open(io.BytesIO(stored.data)).size == (800, 267)


def test_only_partnership_admins_reach_the_page(db, client, sign_in, make_user):
    sign_in(make_user(roles=(Role.learner, Role.manager)))
    assert client.get("/admin/settings").status_code == 403
    assert client.post("/admin/settings/targets", data={"targets-target": "10", "targets-amber": "5",
                                                        "targets-save": "Save"}).status_code == 403
    assert _setting("compliance_target_percent") == 90


# The public address -----------------------------------------------------------------------

@pytest.mark.parametrize(("base", "served", "matches"), [
    ("https://training.example.org", "https://training.example.org/", True),
    ("https://Training.Example.org:443/", "https://training.example.org/", True),
    ("https://training.example.org", "http://training.example.org/", False),
    ("https://training.example.org", "https://other.example.org/", False),
    ("http://127.0.0.1:5000", "http://127.0.0.1:5000/", True),
    ("http://127.0.0.1:5000", "http://localhost:5000/", False),
    ("https://example.org/training", "https://example.org/", False),
])
def test_the_public_address_is_compared_by_scheme_host_port_and_path(base, served, matches):
    assert public_address(base, served, production=True).matches is matches


def test_a_mismatched_address_is_a_warning_for_admins_on_the_settings_page_and_home(
        app, client, sign_in, admin, make_user):
    app.config["SIGHTLINE_BASE_URL"] = "https://training.example.org"
    sign_in(admin)
    for url in ("/admin/settings", "/admin"):
        page = client.get(url).get_data(as_text=True)
        assert "Certificates print a different address from the one this site is on" in page, url
        assert "https://training.example.org" in page and "http://localhost" in page
        assert "SIGHTLINE_BASE_URL" in page
    app.config["SIGHTLINE_BASE_URL"] = "http://localhost"
    assert "Certificates print a different address" not in client.get("/admin").get_data(as_text=True)
    # Behind a proxy the address it forwards counts (SIGHTLINE_TRUSTED_PROXIES applies ProxyFix).
    app.config["SIGHTLINE_BASE_URL"] = "https://localhost"
    assert "Certificates print a different address" in client.get("/admin").get_data(as_text=True)


def test_a_development_site_says_certificates_print_the_development_address(app, client, sign_in, admin):
    app.config["SIGHTLINE_ENV"] = "development"
    app.config["SIGHTLINE_BASE_URL"] = "http://localhost"
    sign_in(admin)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "This is a development site: certificates print the development address" in page
