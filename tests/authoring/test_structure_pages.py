"""The pages: new course, new module, move, retire and pictures, as a trainer uses them."""
from __future__ import annotations

import io
import re

from PIL import Image

from modules.authoring import course_text
from modules.authoring.drafts import current_revision, current_text, draft_for, save_draft
from modules.core.roles import Role


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (12, 12), (0, 90, 200)).save(out, "PNG")
    return out.getvalue()


def _trainer(make_user, sign_in):
    user = make_user(roles=(Role.trainer,))
    sign_in(user)
    return user


COURSE_FORM = {"title": "Exploitation and youth work", "folder": "", "code": "", "level": "2",
               "audience": ["youth_voluntary"], "refresher_months": "24", "pass_mark": "80", "cpd_minutes": "60"}


def test_a_trainer_creates_a_course_with_suggested_folder_and_code(bundled, db, client, make_user, sign_in):
    _trainer(make_user, sign_in)
    assert client.get("/authoring/courses/new").status_code == 200
    response = client.post("/authoring/courses/new", data=COURSE_FORM)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/authoring/courses/exploitation-and-youth-work")
    text = current_text("exploitation-and-youth-work/course.md")
    assert "code: EXPLOITATION-AND\n" in text and "audience: [youth_voluntary]" in text


def test_a_clashing_course_keeps_what_was_typed_and_says_why(bundled, db, client, make_user, sign_in):
    _trainer(make_user, sign_in)
    response = client.post("/authoring/courses/new", data={**COURSE_FORM, "code": "CSE-L1", "pass_mark": "80"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The code CSE-L1 is already used by the course in &#39;cse-level-1&#39;" in page
    assert 'value="Exploitation and youth work"' in page
    bad = client.post("/authoring/courses/new", data={**COURSE_FORM, "pass_mark": "180"})
    assert "Enter the pass mark as a percentage as a whole number from 1 to 100" in bad.get_data(as_text=True)


def test_a_trainer_adds_a_quiz_and_is_sent_to_edit_it(bundled, db, client, make_user, sign_in):
    _trainer(make_user, sign_in)
    page = client.get("/authoring/courses/cse-taxi-drivers/modules/new").get_data(as_text=True)
    assert 'name="revision" type="hidden" value="0"' in page or 'value="0"' in page
    response = client.post("/authoring/courses/cse-taxi-drivers/modules/new",
                           data={"kind": "quiz", "title": "Taxi check-up", "module_id": "", "revision": "0"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/authoring/files/cse-taxi-drivers/06-taxi-check-up.md")
    assert course_text.module_ids(current_text("cse-taxi-drivers/course.md"))[-1] == "taxi-check-up"


def test_a_new_module_over_a_colleagues_change_is_refused_and_kept(bundled, db, client, make_user, sign_in):
    colleague = make_user(roles=(Role.trainer,), name="Robin Colleague")
    _trainer(make_user, sign_in)
    save_draft("cse-taxi-drivers/course.md", expected_revision=0, actor=colleague,
               text=current_text("cse-taxi-drivers/course.md"))
    db.session.commit()
    response = client.post("/authoring/courses/cse-taxi-drivers/modules/new",
                           data={"kind": "lesson", "title": "Late fares", "module_id": "late-fares", "revision": "0"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Robin Colleague saved this file" in page
    assert 'value="Late fares"' in page
    assert draft_for("cse-taxi-drivers/06-late-fares.md") is None


def test_a_taken_module_id_is_an_error_on_its_field(bundled, db, client, make_user, sign_in):
    _trainer(make_user, sign_in)
    response = client.post("/authoring/courses/cse-taxi-drivers/modules/new",
                           data={"kind": "lesson", "title": "Words", "module_id": "language-matters", "revision": "0"})
    assert "There is already a module with the id &#39;language-matters&#39;" in response.get_data(as_text=True)


def test_moving_returns_to_the_moved_row(bundled, db, client, make_user, sign_in):
    _trainer(make_user, sign_in)
    response = client.post("/authoring/courses/cse-taxi-drivers/modules/criminal-exploitation/move",
                           data={"direction": "up", "revision": "0"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#order-criminal-exploitation")
    ids = course_text.module_ids(current_text("cse-taxi-drivers/course.md"))
    assert ids[:4] == ["what-is-cse", "driver-conduct-and-boundaries", "criminal-exploitation", "signs-for-drivers"]
    stale = client.post("/authoring/courses/cse-taxi-drivers/modules/criminal-exploitation/move",
                        data={"direction": "up", "revision": "0"})
    assert stale.status_code == 302
    assert course_text.module_ids(current_text("cse-taxi-drivers/course.md")) == ids
    assert client.post("/authoring/courses/cse-taxi-drivers/modules/criminal-exploitation/move",
                       data={"direction": "sideways", "revision": "1"}).status_code == 400


def test_retiring_explains_then_removes(bundled, db, client, make_user, sign_in):
    _trainer(make_user, sign_in)
    page = client.get("/authoring/courses/cse-taxi-drivers/modules/signs-for-drivers/retire").get_data(as_text=True)
    assert "keep the version they started" in page and "history stays" in page
    assert "its file cse-taxi-drivers/02-signs-for-drivers.md is removed" in page
    response = client.post("/authoring/courses/cse-taxi-drivers/modules/signs-for-drivers/retire",
                           data={"course_revision": "0", "file_revision": "0"})
    assert response.status_code == 302
    assert draft_for("cse-taxi-drivers/02-signs-for-drivers.md").removed
    assert client.get("/authoring/courses/cse-taxi-drivers/modules/signs-for-drivers/retire").status_code == 404


def test_uploading_a_picture_shows_the_markdown_and_can_add_it_to_a_module(bundled, db, client, make_user,
                                                                             sign_in):
    _trainer(make_user, sign_in)
    module = "cse-taxi-drivers/02-signs-for-drivers.md"
    response = client.post("/authoring/courses/cse-taxi-drivers/images", data={
        "file": (io.BytesIO(_png()), "Rank.png"), "name": "", "alt": "The taxi rank at night",
        "module": module, "revision": "0",
    }, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "![The taxi rank at night](images/rank.png)" in page
    assert current_text(module).endswith("\n\n![The taxi rank at night](images/rank.png)\n")
    assert current_revision("cse-taxi-drivers/images/rank.png") == 1
    again = client.post("/authoring/courses/cse-taxi-drivers/images", data={
        "file": (io.BytesIO(_png()), "rank.png"), "name": "rank", "alt": "Again", "module": "", "revision": "0",
    }, content_type="multipart/form-data")
    assert "There is already a picture called images/rank.png" in again.get_data(as_text=True)


def test_a_hostile_picture_is_refused_on_the_page(bundled, db, client, make_user, sign_in):
    _trainer(make_user, sign_in)
    response = client.post("/authoring/courses/cse-taxi-drivers/images", data={
        "file": (io.BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'), "x.svg"),
        "name": "x", "alt": "A drawing", "module": "", "revision": "0",
    }, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "could run code" in page
    assert 'value="A drawing"' in page
    assert draft_for("cse-taxi-drivers/images/x.svg") is None
    missing_alt = client.post("/authoring/courses/cse-taxi-drivers/images", data={
        "file": (io.BytesIO(_png()), "x.png"), "name": "x", "alt": "", "module": "", "revision": "0",
    }, content_type="multipart/form-data")
    assert "Describe what the picture shows, or tick that it is decorative" in missing_alt.get_data(as_text=True)


def test_a_manager_gets_nothing(bundled, db, client, make_user, sign_in):
    sign_in(make_user(roles=(Role.manager,)))
    assert client.get("/authoring/courses/cse-taxi-drivers/images").status_code == 403
    assert client.post("/authoring/courses/new", data=COURSE_FORM).status_code == 403


def test_the_pages_are_valid_html(bundled, db, client, make_user, sign_in, tmp_path):
    from tests.browser.html_validation import validate_html

    _trainer(make_user, sign_in)
    client.post("/authoring/courses/cse-taxi-drivers/images", data={
        "file": (io.BytesIO(_png()), "dot.png"), "name": "dot", "alt": "", "decorative": "y", "module": "",
        "revision": "0",
    }, content_type="multipart/form-data")
    pages = {
        url: client.get(url).get_data(as_text=True)
        for url in ("/authoring/courses/new", "/authoring/courses/cse-taxi-drivers/modules/new",
                    "/authoring/courses/cse-taxi-drivers/modules/signs-for-drivers/retire",
                    "/authoring/courses/cse-taxi-drivers/images")
    }
    pages["refused"] = client.post("/authoring/courses/new", data={**COURSE_FORM, "title": ""}).get_data(as_text=True)
    assert "images/dot.png" in pages["/authoring/courses/cse-taxi-drivers/images"]
    assert validate_html(pages, tmp_path) == {}


def test_the_slots_appear_on_the_authoring_pages(bundled, db, client, make_user, sign_in):
    _trainer(make_user, sign_in)
    assert "/authoring/courses/new" in client.get("/authoring/").get_data(as_text=True)
    course = client.get("/authoring/courses/cse-taxi-drivers").get_data(as_text=True)
    assert "/authoring/courses/cse-taxi-drivers/modules/new" in course
    assert 'id="order-signs-for-drivers"' in course and "Move down" in course
    assert "/authoring/courses/cse-taxi-drivers/modules/criminal-exploitation/retire" in course
    assert "Upload a picture" in course
    editor = client.get("/authoring/files/cse-taxi-drivers/02-signs-for-drivers.md").get_data(as_text=True)
    assert "/authoring/courses/cse-taxi-drivers/images" in editor


def test_the_move_buttons_carry_the_course_files_current_revision(bundled, db, client, make_user, sign_in):
    """After a first change to course.md (here a move), the course page's buttons must start from
    that draft's revision, or every later move is refused as a colleague's conflict."""
    _trainer(make_user, sign_in)
    url = "/authoring/courses/cse-taxi-drivers/modules/criminal-exploitation/move"
    assert client.post(url, data={"direction": "up", "revision": "0"}).status_code == 302
    page = client.get("/authoring/courses/cse-taxi-drivers").get_data(as_text=True)
    revisions = set(re.findall(r'name="revision" value="(\d+)"', page))
    assert revisions == {"1"}, revisions
    assert client.post(url, data={"direction": "up", "revision": "1"}).status_code == 302
    assert course_text.module_ids(current_text("cse-taxi-drivers/course.md"))[:3] == [
        "what-is-cse", "criminal-exploitation", "driver-conduct-and-boundaries"]
