"""Uploaded pictures: judged by their bytes, stored by SHA-256, drafted, shown in the preview."""
from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest
from PIL import Image

from modules.authoring import pictures
from modules.authoring.drafts import DraftConflict, draft_for, save_draft
from modules.authoring.pictures import PictureError, check_picture, store_picture
from modules.authoring.preview import preview_file
from modules.authoring.structure import NewCourse, course_starter, starter
from modules.content.checker import check_paths
from modules.content.models import ContentAsset
from modules.core.roles import Role

ROOT = Path(__file__).resolve().parents[2]
MODULE = "cse-taxi-drivers/02-signs-for-drivers.md"


def png(width=20, height=10) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 120, 30)).save(out, "JPEG")
    return out.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def test_png_jpeg_and_svg_are_recognised_by_their_bytes():
    assert check_picture(png(), "a.png").media_type == "image/png"
    assert check_picture(jpeg(), "a.JPEG").extension == ".jpg"
    checked = check_picture(SVG, "a.svg")
    assert checked.media_type == "image/svg+xml" and checked.sha256 == hashlib.sha256(SVG).hexdigest()


@pytest.mark.parametrize(("data", "filename", "message"), [
    (b"", "a.png", "empty"),
    (png(), "a.svg", "is a PNG picture but its name ends in '.svg'"),
    (SVG, "a.png", "is a SVG picture but its name ends in '.png'"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "x.svg", "could run code"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', "x.svg", "could run code"),
    (png(5000, 10), "wide.png", "5000 by 10 pixels"),
    (jpeg()[:300], "cut.jpg", "damaged or incomplete"),
    (png()[:60], "cut.png", "damaged or incomplete"),
    (b"GIF89a" + b"\x00" * 40, "a.gif", "must be a PNG, JPEG or SVG"),
    (b"%PDF-1.7 not a picture", "a.png", "must be a PNG, JPEG or SVG"),
    (b"\x00" * (5 * 1024 * 1024 + 1), "big.png", "smaller than 5 MB"),
], ids=["zero-bytes", "png-named-svg", "svg-named-png", "svg-script", "svg-onload", "too-wide",
        "truncated-jpeg", "truncated-png", "gif", "pdf", "too-large"])
def test_hostile_or_unusable_files_are_refused_with_a_reason(data, filename, message):
    with pytest.raises(PictureError, match=re.escape(message)):
        check_picture(data, filename)


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded():
    # A PNG header claiming 30000 x 30000 pixels: far beyond Pillow's bomb limit, a few bytes long.
    out = io.BytesIO()
    Image.new("1", (30000, 30000)).save(out, "PNG")
    with pytest.raises(PictureError, match="pixels"):
        check_picture(out.getvalue(), "bomb.png")


def test_a_decorative_picture_needs_no_description_and_renders_with_empty_alt(tmp_path):
    folder = tmp_path / "content" / "pics"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "dot.png").write_bytes(png())
    (folder / "course.md").write_text(course_starter(NewCourse("Pictures", "pics", "PICS", 1, [], 12, 80, 10), "m"))
    (folder / "01-m.md").write_text(starter("lesson", "M") + '\n![](images/dot.png "decorative")\n\n'
                                    '![](images/dot.png)\n')
    result = check_paths([tmp_path / "content"], ROOT / "certificates")
    assert [(p.line, p.message[:30]) for p in result.problems] == [(33, "picture has no description: sa")]
    html = " ".join(section.html for section in result.modules[0].sections)
    decorative = re.findall(r"<img[^>]*>", html)[0]
    assert 'alt=""' in decorative and "title" not in decorative


def test_an_upload_is_stored_by_sha_and_drafted(bundled, db, make_user):
    sam = make_user(roles=(Role.trainer,))
    data = png()
    uploaded = store_picture("cse-taxi-drivers", name="rank-map", data=data, filename="Rank Map.PNG",
                             alt="A map of the taxi rank", decorative=False, expected_revision=0, actor=sam)
    assert uploaded.path == "cse-taxi-drivers/images/rank-map.png"
    assert uploaded.markdown == "![A map of the taxi rank](images/rank-map.png)"
    assert draft_for(uploaded.path).asset_sha256 == hashlib.sha256(data).hexdigest()
    assert db.session.query(ContentAsset).filter_by(sha256=uploaded.sha256).one().data == data
    with pytest.raises(DraftConflict):
        store_picture("cse-taxi-drivers", name="rank-map", data=png(30, 30), filename="x.png", alt="Map",
                      decorative=False, expected_revision=0, actor=sam, replace=True)
    listed = pictures.folder_pictures("cse-taxi-drivers")
    assert [(p.name, p.draft) for p in listed] == [("images/rank-map.png", True)]


@pytest.mark.parametrize(("name", "alt", "decorative", "field"), [
    ("Rank Map", "A map", False, "name"),
    ("rank-map", "  ", False, "alt"),
])
def test_a_name_and_a_description_are_required(bundled, db, make_user, name, alt, decorative, field):
    with pytest.raises(PictureError) as refused:
        store_picture("cse-taxi-drivers", name=name, data=png(), filename="a.png", alt=alt,
                      decorative=decorative, expected_revision=0, actor=make_user())
    assert refused.value.field == field


def test_decorative_markdown():
    assert pictures.picture_markdown("a.png", "", decorative=True) == '![](images/a.png "decorative")'


def test_a_module_using_a_draft_picture_previews_with_its_asset_url(bundled, db, make_user, client, sign_in):
    sam = make_user(roles=(Role.trainer,))
    uploaded = store_picture("cse-taxi-drivers", name="rank-map", data=png(), filename="a.png",
                             alt="A map of the taxi rank", decorative=False, expected_revision=0, actor=sam)
    db.session.commit()
    text = bundled_text(MODULE) + f"\n{uploaded.markdown}\n"
    preview = preview_file(MODULE, text)
    assert not preview.errors, [str(p) for p in preview.errors]
    url = f"/content/assets/{uploaded.sha256}.png"
    assert any(url in section.html for section in preview.module.sections)
    sign_in(sam)
    served = client.get(url)
    assert served.status_code == 200 and served.data == png()


def bundled_text(path: str) -> str:
    return (ROOT / "courses" / path).read_text(encoding="utf-8")


def test_a_removed_draft_picture_leaves_the_list(bundled, db, make_user):
    sam = make_user(roles=(Role.trainer,))
    uploaded = store_picture("cse-taxi-drivers", name="dot", data=png(), filename="a.png", alt="",
                             decorative=True, expected_revision=0, actor=sam)
    save_draft(uploaded.path, expected_revision=1, actor=sam, removed=True)
    assert pictures.folder_pictures("cse-taxi-drivers") == []
