"""SVG pictures must be passive: a hostile corpus is refused with the SVG's own line and column,
ordinary drawings (editor metadata, gradients, embedded photos) pass, and nothing active reaches
the store, the asset URL or a certificate."""
from __future__ import annotations

from pathlib import Path

import pytest

from modules.certificates.errors import CertificateConfigError
from modules.certificates.rendering import logo_data_uri
from modules.content.checker import check_paths
from modules.content.importer import ContentNotValid, import_checked
from modules.core.svg_safety import active_content
from tests.content.conftest import lesson, write, write_course

ROOT = Path(__file__).resolve().parents[2]
OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'

# (what it does, the SVG, a word the message must contain). Each is refused.
HOSTILE = [
    ("script", f'{OPEN}<script>alert(1)</script></svg>', "<script>"),
    ("script in CDATA", f'{OPEN}\n<script type="text/ecmascript"><![CDATA[fetch("/x")]]></script></svg>', "<script>"),
    ("script with a prefix", '<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:script>x()</s:script></s:svg>', "<script>"),
    ("upper-case script", f"{OPEN}<SCRIPT>x()</SCRIPT></svg>", "SCRIPT"),
    ("onload on the root", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "onload"),
    ("onclick", f'{OPEN}<rect width="9" height="9" onclick="alert(1)"/></svg>', "onclick"),
    ("ONMOUSEOVER", f'{OPEN}<g ONMOUSEOVER="x()"/></svg>', "ONMOUSEOVER"),
    ("foreignObject", f'{OPEN}<foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="y()"/></body></foreignObject></svg>', "foreignObject"),
    ("HTML element", f'{OPEN}<h:iframe xmlns:h="http://www.w3.org/1999/xhtml" src="https://evil.example"/></svg>', "HTML"),
    ("javascript link", f'{OPEN}<a href="javascript:alert(1)"><text>Go</text></a></svg>', "runs code"),
    ("xlink javascript", f'{OPEN}<a xlink:href="javascript:alert(1)"><text>Go</text></a></svg>', "runs code"),
    ("javascript hidden by spaces", f'{OPEN}<a href=" java&#x09;script:alert(1)"><text>Go</text></a></svg>', "runs code"),
    ("vbscript", f'{OPEN}<a href="vbscript:msgbox(1)"><text>Go</text></a></svg>', "runs code"),
    ("external image", f'{OPEN}<image href="https://tracker.example/pixel.png" width="1" height="1"/></svg>', "loads another file"),
    ("external use", f'{OPEN}<use xlink:href="https://evil.example/sprite.svg#icon"/></svg>', "loads another file"),
    ("protocol-relative", f'{OPEN}<image href="//evil.example/x.png"/></svg>', "loads another file"),
    ("local file", f'{OPEN}<image href="file:///etc/passwd"/></svg>', "loads another file"),
    ("relative file", f'{OPEN}<image href="other.png"/></svg>', "loads another file"),
    ("nested SVG data URI", f'{OPEN}<image href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="/></svg>', "embeds a kind of file"),
    ("HTML data URI", f'{OPEN}<a href="data:text/html,&lt;script&gt;x()&lt;/script&gt;"><text>x</text></a></svg>', "embeds a kind of file"),
    ("set turns a link into code", f'{OPEN}<a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a></svg>', "attributeName"),
    ("animate an event", f'{OPEN}<animate attributeName="onbegin" values="alert(1)"/></svg>', "attributeName"),
    ("style element import", f'{OPEN}<style>@import url(https://evil.example/x.css);</style></svg>', "<style>"),
    ("style element external url", f'{OPEN}<style>rect {{ fill: url(https://evil.example/p.svg#g) }}</style></svg>', "<style>"),
    ("style attribute url", f'{OPEN}<rect style="fill: url(\'https://evil.example/x\')"/></svg>', "style attribute"),
    ("style attribute javascript", f'{OPEN}<rect style="background: url(javascript:alert(1))"/></svg>', "runs code"),
    ("xml-stylesheet", '<?xml-stylesheet href="https://evil.example/x.css"?>' + f"{OPEN}</svg>", "xml-stylesheet"),
    ("external entity", '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + f"{OPEN}<text>&x;</text></svg>", "DOCTYPE"),
    ("billion laughs", '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
     + f"{OPEN}<text>&b;</text></svg>", "DOCTYPE"),
    ("iframe", f"{OPEN}<iframe/></svg>", "<iframe>"),
    ("embed", f"{OPEN}<embed src='x.swf'/></svg>", "<embed>"),
    ("handler", f'{OPEN}<handler type="application/ecmascript">x()</handler></svg>', "<handler>"),
    ("not an SVG", '<html xmlns="http://www.w3.org/1999/xhtml"><script>x()</script></html>', "not an SVG"),
    ("not XML", "<svg><g></svg>", "not a well-formed"),
    ("empty", "", "not a well-formed"),
]

# Drawings as editors save them: each must pass.
PASSIVE = [
    ("plain", f'{OPEN}<rect width="10" height="10" fill="#00703c"/></svg>'),
    ("gradient reference", f'{OPEN}<defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>'
     '<rect fill="url(#g)" style="fill:url(#g)"/><use xlink:href="#g"/></svg>'),
    ("embedded photo", f'{OPEN}<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>'
     '<image xlink:href="data:image/jpeg;base64,/9j/4AAQ" width="1" height="1"/></svg>'),
    ("inkscape metadata", '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
     '<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
     'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" '
     'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" inkscape:version="1.3">'
     '<sodipodi:namedview id="nv" inkscape:zoom="1"/><metadata><rdf:RDF/></metadata>'
     '<g inkscape:label="Layer 1" inkscape:groupmode="layer"><path d="M0 0h10v10z"/></g></svg>'),
    ("illustrator doctype", '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
     '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n' + f"{OPEN}<circle r='4'/></svg>"),
    ("style element", f"{OPEN}<style>.a {{ fill: #1d70b8; stroke: url(#g) }}</style><rect class='a'/></svg>"),
    ("text about javascript", f"{OPEN}<title>Why onload matters</title><text>an onclick handler</text></svg>"),
    ("link inside the picture", f'{OPEN}<a href="#part"><text>Part</text></a><g id="part"/></svg>'),
]


@pytest.mark.parametrize("svg, word", [(svg, word) for _, svg, word in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_hostile_svgs_are_refused_with_a_reason(svg, word):
    findings = active_content(svg.encode())
    assert findings, "not refused"
    assert any(word in f.message for f in findings), [str(f) for f in findings]
    assert all(f.line >= 1 and f.col >= 1 for f in findings)


@pytest.mark.parametrize("svg", [svg for _, svg in PASSIVE], ids=[c[0] for c in PASSIVE])
def test_ordinary_drawings_pass(svg):
    assert active_content(svg.encode()) == []


@pytest.mark.parametrize("path", ["certificates/default/logo.svg", "static/images/sightline-logo.svg"])
def test_the_bundled_svgs_pass(path):
    assert active_content((ROOT / path).read_bytes()) == []


def test_findings_point_at_the_line_and_column():
    svg = f'{OPEN}\n  <rect width="1"/>\n  <circle r="2" onclick="x()"/>\n  <script>y()</script>\n</svg>'
    assert [(f.line, f.col) for f in active_content(svg.encode())] == [(3, 3), (4, 3)]


def test_a_design_may_use_the_files_beside_it():
    svg = f'{OPEN}<image href="emblem.png"/></svg>'.encode()
    assert active_content(svg, allow_local_files=True) == []
    assert active_content(f'{OPEN}<image href="https://x.example/a.png"/></svg>'.encode(), allow_local_files=True)


# Where pictures come in ------------------------------------------------------------------------

def _course_with_picture(root: Path, svg: str) -> Path:
    write_course(root, "pics", {"01-lesson.md": lesson("![A diagram](images/diagram.svg)")})
    write(root, "pics/images/diagram.svg", svg)
    return root / "pics" / "images" / "diagram.svg"


def test_content_check_reports_the_svg_line_and_refuses_the_import(db, tmp_path):
    svg_path = _course_with_picture(tmp_path, f'{OPEN}\n<rect/>\n<script>alert(1)</script>\n</svg>\n')
    result = check_paths([tmp_path])
    errors = {(p.path.name, p.line, p.col): p.message for p in result.errors}
    assert errors[("diagram.svg", 3, 1)] == "<script> runs code: pictures may not do that, so remove it"
    link = next(m for (name, _, _), m in errors.items() if name == "01-lesson.md")
    assert "could run code or load other files" in link and "diagram.svg" in link
    assert str(next(p for p in result.errors if p.path == svg_path)).endswith(
        "diagram.svg:3:1: <script> runs code: pictures may not do that, so remove it")
    with pytest.raises(ContentNotValid):
        import_checked(result)


def test_a_passive_svg_is_imported_and_served(app, client, sign_in, make_user, tmp_path):
    _course_with_picture(tmp_path, PASSIVE[0][1])
    result = check_paths([tmp_path])
    assert result.ok, [str(p) for p in result.errors]
    import_checked(result)
    from modules.content.models import ContentAsset
    from modules.core.extensions import db

    stored = db.session.scalar(db.select(ContentAsset))
    sign_in(make_user())
    assert client.get(f"/content/assets/{stored.sha256}.svg").status_code == 200


def test_an_active_svg_stored_before_the_check_is_never_served(app, client, sign_in, make_user):
    import hashlib

    from modules.content.models import ContentAsset
    from modules.core.extensions import db

    data = f"{OPEN}<script>alert(1)</script></svg>".encode()
    sha = hashlib.sha256(data).hexdigest()
    db.session.add(ContentAsset(sha256=sha, media_type="image/svg+xml", size=len(data), data=data))
    db.session.commit()
    sign_in(make_user())
    assert client.get(f"/content/assets/{sha}.svg").status_code == 404


def test_content_check_refuses_an_active_svg_in_a_certificate_design(tmp_path):
    designs = tmp_path / "certificates"
    write(designs, "bold/certificate.html", "<html></html>")
    write(designs, "bold/certificate.css", "")
    write(designs, "bold/logo.svg", f'{OPEN}<g onload="steal()"/></svg>')
    write_course(tmp_path / "courses", "pics", {"01-lesson.md": lesson()})
    result = check_paths([tmp_path / "courses"], designs)
    assert [(p.path.name, p.line, p.col) for p in result.errors] == [("logo.svg", 1, len(OPEN) + 1)]
    assert "onload" in result.errors[0].message


def test_an_operator_logo_with_active_content_stops_start_up_with_its_line(tmp_path):
    logo = tmp_path / "logo.svg"
    logo.write_text(f'{OPEN}\n<a href="javascript:go()"><text>x</text></a></svg>')
    with pytest.raises(CertificateConfigError, match=r"logo\.svg:2:1: href=\"javascript:go\(\)\" runs code"):
        logo_data_uri(logo)
    logo.write_text(PASSIVE[0][1])
    assert logo_data_uri(logo).startswith("data:image/svg+xml;base64,")
