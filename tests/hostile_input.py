"""Hostile input for every route: the strategies, and finding what to send where.

Used by ``tests/foundation/test_hostile_input.py``. Routes come from ``app.url_map`` (a new route
is covered without touching this file). What a route reads comes from the seeded world's rendered
pages: every ``<form>`` and every link that leads to the route gives field names, how many values
each sends (a GOV.UK date input sends one name three times) and a real value to start from, the
way an attacker tampers with one field of a genuine request. Every WTForms field name in the
application is tried as well, for forms the seeded world does not show.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, Map

# Hostile values, by kind. Each list starts with its most dangerous value: Hypothesis's first
# example of ``sampled_from`` is the first element, so the sweep always tries that one.
KINDS: dict[str, list[str]] = {
    # str.isdigit() is true for all of these; int() refuses the first ones and reads the others
    # (so "١٢" is a second spelling of 12).
    "unicode digits": ["²", "³¹", "①", "٣", "١٢", "𝟗", "１２", "߂", "৪২", "²⁰²⁶"],
    "huge numbers": ["9223372036854775808", "2147483648", "-2147483649", "-9223372036854775809",
                     "1" + "0" * 40, "9" * 5000, "-1", "0", "00000000000000000001", "1e309", "NaN", " 1"],
    "extreme dates": ["9999-12-31", "0001-01-01", "9999-01-01", "2100-12-31", "1899-12-31", "2026-02-30",
                      "10000-01-01", "-2026-01-01", "20260101", "2026-13-01"],
    "control characters": ["\x00", "a\x00b", "\x01", "\x08", "\x0b", "\x1b[31m", "\x7f", "\x85", "\x9f",
                           "line\rfeed", "\u2028", "\ufeff", "\u202e", "\ufffe"],
    # Long text (a column's limit is 255 on PostgreSQL), then text that means something elsewhere.
    "odd text": ["x" * 20_000, "x" * 257, "é" * 600, "a b " * 5_000, "<script>alert(1)</script>",
                 "javascript:alert(1)", "' OR 1=1 --", "%", "%00", "../../etc/passwd", "{{7*7}}", "=1+1", "\\",
                 '"', "//evil.example", "https://evil.example/", "🙂" * 10, "<" * 10_000],
}
ALL_VALUES = [value for values in KINDS.values() for value in values]

hostile_value = st.one_of(
    st.sampled_from(ALL_VALUES),
    st.text(max_size=30),
    st.text(st.characters(codec="utf-8", categories=("Cc", "Cf", "Nd", "No", "Zs")), max_size=12),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
# A name is hostile too, now and then: a route must not trust which keys arrive.
hostile_name = st.one_of(st.sampled_from(["\x00", "²", "", "_external", "page[]", "a" * 300]), st.text(max_size=8))
# Path placeholders: ids the database cannot hold, digits only Unicode calls digits.
HOSTILE_INTEGER_SEGMENTS = ["9223372036854775808", "2147483648", "1" + "0" * 40, "9" * 5000, "0", "١٢", "𝟗",
                            "00001"]


def date_values(day: str, count: int) -> list[str]:
    """An ISO date as a field sends it: day, month and year boxes for a date input, else as is."""
    if count == 3:
        parts = day.lstrip("-").split("-")
        if len(parts) == 3:
            year, month, day_of_month = parts
            return [day_of_month, month, ("-" if day.startswith("-") else "") + year]
        return [day, "", ""]
    return [day]


# Routes --------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"<(?:[^<>]*:)?(\w+)>")


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    rule: str
    integer_arguments: frozenset[str]
    arguments: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.method} {self.rule}"

    def url(self, values: dict[str, str]) -> str:
        """The rule with each placeholder replaced by a value, escaped as a path segment."""
        return _PLACEHOLDER.sub(lambda m: quote(values[m.group(1)], safe=""), self.rule)


def routes(url_map: Map) -> list[Route]:
    """Every (rule, method) of the application, HEAD and OPTIONS aside."""
    found = []
    for rule in url_map.iter_rules():
        integers = frozenset(name for name, conv in rule._converters.items() if isinstance(conv, IntegerConverter))
        arguments = tuple(sorted(rule.arguments))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append(Route(rule.endpoint, method, rule.rule, integers, arguments))
    return sorted(found, key=lambda r: (r.rule, r.method))


# Discovery -----------------------------------------------------------------------------------

@dataclass
class Field:
    """A name a form or link sends: how many values at once, and the values seen on the page."""

    count: int = 1
    baseline: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    kind: str = "text"  # an input's type, or "select" or "textarea"


_CHOICES = {"radio", "checkbox"}
_BUTTONS = {"submit", "button", "image", "reset"}


class _FormsAndLinks(HTMLParser):
    """Each ``<form>``'s action, method and fields with their values, and every link's href.

    A field belongs to the form it is in, or to the one its ``form`` attribute names (which may
    come later in the page); a button's ``formaction`` sends the same fields somewhere else.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self._declared: list[tuple[str, str, str]] = []  # (form id, action, method)
        self._formactions: list[tuple[str, str]] = []  # (form id, action)
        self._fields: dict[str, dict[str, Field]] = {}
        self._open: str | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    @property
    def forms(self) -> list[tuple[str, str, dict[str, Field]]]:
        methods = {form_id: method for form_id, _, method in self._declared}
        found = [(action, method, self._fields.setdefault(form_id, {})) for form_id, action, method in self._declared]
        found += [(action, methods[form_id], self._fields.setdefault(form_id, {}))
                  for form_id, action in self._formactions if form_id in methods]
        return found

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._open = a.get("id") or f"<form {len(self._declared)}>"
            self._declared.append((self._open, a.get("action", ""), (a.get("method") or "get").upper()))
            return
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
            return
        owner = a.get("form") or self._open
        if owner is None or tag not in ("input", "button", "select", "textarea", "option"):
            return
        fields = self._fields.setdefault(owner, {})
        if tag == "button" and a.get("formaction"):
            self._formactions.append((owner, a["formaction"]))
        if tag in ("input", "button") and a.get("name"):
            kind = a.get("type") or ("text" if tag == "input" else "submit")
            known = fields.setdefault(a["name"], Field(count=0, kind=kind))
            value = a.get("value", "on" if kind in _CHOICES else "")
            if kind in _CHOICES or kind in _BUTTONS:
                # One value of a group is sent (the checked option, the button pressed).
                known.count = max(known.count, 1)
                known.options.append(value)
                if "checked" in a or not known.baseline:
                    known.baseline = [value]
            else:
                known.count += 1
                known.baseline.append(value)
        elif tag in ("select", "textarea") and a.get("name"):
            known = fields.setdefault(a["name"], Field(count=0, kind=tag))
            known.count += 1
            known.baseline.append("")
            if tag == "select":
                self._select = known
            else:
                self._textarea = known
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.options.append(value)
            if "selected" in a or len(self._select.options) == 1:
                self._select.baseline[-1] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.baseline[-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Genuine:
    """A request the seeded world's pages make: where to, and the fields as a person sends them."""

    path: str
    pairs: Pairs


# What someone types into an empty box, by the box's type: a request with one hostile field and
# the others empty would be refused by "Enter your password" before the hostile one is used.
TYPED = {"email": "someone@example.org", "password": "a long enough passphrase 42", "text": "Something typed",
         "search": "exploitation", "textarea": "Something typed in the box", "number": "1",
         "tel": "07700 900123", "url": "https://example.org/"}


def form_pairs(fields: dict[str, Field]) -> Pairs:
    """What a form sends when someone fills it in: each field's rendered value, with empty boxes
    typed into (a date input's three boxes stay empty: as a filter, no date is the usual case)."""
    def filled(f: Field, value: str) -> str:
        return TYPED.get(f.kind, "") if not value and f.count != 3 else value

    return tuple((name, filled(f, value)) for name, f in fields.items() for value in f.baseline)


class FieldCatalogue:
    """For each (endpoint, method): the genuine requests seen (a form as rendered, a link's query
    string), in the order found, the options each choice offered, and which roles were shown a
    way to make the request (or made it and got a page)."""

    def __init__(self, url_map: Map, server_name: str) -> None:
        self._adapter = url_map.bind(server_name)
        self.requests: dict[tuple[str, str], list[Genuine]] = {}
        self.options: dict[tuple[str, str], dict[str, list[str]]] = {}
        self.reached_by: dict[tuple[str, str], set[str]] = {}

    def endpoint_of(self, path: str, method: str) -> str | None:
        try:
            return self._adapter.match(path, method)[0]
        except HTTPException:
            return None

    def reached(self, endpoint: str, method: str, role: str) -> None:
        self.reached_by.setdefault((endpoint, method), set()).add(role)

    def read_page(self, role: str, page_path: str, html: str) -> list[tuple[str, dict[str, Field]]]:
        """Note the page's forms and links; returns its GET forms (path, fields), for a crawler
        to send them on and read the links the answers carry."""
        parser = _FormsAndLinks()
        parser.feed(html)
        get_forms = []
        for action, method, fields in parser.forms:
            target = urljoin(page_path, action) if action else page_path
            if self._add(role, target, method, form_pairs(fields), fields) and method == "GET":
                get_forms.append((urlsplit(target).path, fields))
        for href in parser.links:
            if urlsplit(href).query:
                self._add(role, urljoin(page_path, href), "GET", (), {})
        return get_forms

    def _add(self, role: str, target: str, method: str, pairs: Pairs, fields: dict[str, Field]) -> bool:
        parts = urlsplit(target)
        if parts.netloc or not parts.path.startswith("/"):
            return False
        try:
            endpoint, _ = self._adapter.match(parts.path, method)
        except HTTPException:
            return False
        self.reached(endpoint, method, role)
        genuine = Genuine(parts.path, tuple(parse_qsl(parts.query, keep_blank_values=True)) + pairs)
        seen = self.requests.setdefault((endpoint, method), [])
        if genuine not in seen:
            seen.append(genuine)
        options = self.options.setdefault((endpoint, method), {})
        for name, f in fields.items():
            options.setdefault(name, [])
            options[name] += [o for o in f.options if o not in options[name]]
        return True

    def genuine(self, endpoint: str, method: str) -> list[Genuine]:
        return self.requests.get((endpoint, method), [])

    def names(self, endpoint: str, method: str) -> list[str]:
        """Every name the route's genuine requests send, in the order first seen."""
        return list(dict.fromkeys(name for g in self.genuine(endpoint, method) for name, _ in g.pairs))

    def request_with(self, endpoint: str, method: str, name: str) -> Genuine | None:
        """The first genuine request that sends ``name`` (else the first, else none): the
        request an attacker would start from to tamper with that field."""
        requests = self.genuine(endpoint, method)
        return next((g for g in requests if any(n == name for n, _ in g.pairs)), requests[0] if requests else None)


def form_variants(fields: dict[str, Field]) -> Iterator[Pairs]:
    """A GET form as sent with each choice in turn set to its first other option, then with
    every date input filled in (a custom period): the answers' links carry those names."""
    def sent(changes: dict[str, list[str]]) -> Pairs:
        return tuple((name, value) for name, f in fields.items() for value in changes.get(name, f.baseline))

    for name, f in fields.items():
        other = next((o for o in f.options if o and [o] != f.baseline), None)
        if other is not None:
            yield sent({name: [other]})
    dates = [name for name, f in fields.items() if f.count == 3]
    if dates:
        yield sent({name: ["1", "4", "2025"] if i == 0 else ["31", "3", "2026"] for i, name in enumerate(dates)})


def wtforms_field_names(form_classes: Iterable[type]) -> set[str]:
    """The field names every WTForms form declares."""
    from wtforms.fields.core import UnboundField

    return {
        name
        for cls in form_classes
        for name in dir(cls)
        if isinstance(getattr(cls, name, None), UnboundField)
    }


def all_subclasses(cls: type) -> list[type]:
    result = []
    for sub in cls.__subclasses__():
        result.append(sub)
        result.extend(all_subclasses(sub))
    return result
