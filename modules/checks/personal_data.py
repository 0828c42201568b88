"""Things in text that look like personal data.

Training content must not hold real people's details (case studies above all, which are
anonymised composites), so ``content check`` warns about anything that looks like them: UK
postcodes, phone numbers, email addresses, vehicle registrations, NHS and National Insurance
numbers, and exact calendar dates. These are heuristics: they warn, and a person decides. Each
finder is a plain function returning :class:`Finding` objects.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable


@dataclass(frozen=True, order=True)
class Finding:
    start: int
    end: int
    kind: str  # postcode, phone, email, vehicle_registration, nhs_number, ni_number, date
    text: str

    @property
    def label(self) -> str:
        return LABELS[self.kind]


LABELS = {
    "postcode": "a postcode",
    "phone": "a phone number",
    "email": "an email address",
    "vehicle_registration": "a vehicle registration",
    "nhs_number": "an NHS number",
    "ni_number": "a National Insurance number",
    "date": "an exact date",
}

_POSTCODE_RE = re.compile(r"\b(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR) ?[0-9][ABD-HJLNP-UW-Z]{2}\b")
_PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+44[ \-]?(?:\(0\)[ \-]?)?|\(?0)\d{2,4}\)?(?:[ \-]?\d){6,8}(?![\w])"
)
_EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_VEHICLE_RES = (
    re.compile(r"\b[A-Z]{2}[0-9]{2} ?[A-Z]{3}\b"),  # current style: AB12 CDE
    re.compile(r"\b[A-HJ-NP-Y][0-9]{1,3} ?[A-Z]{3}\b"),  # prefix style: A123 BCD
    re.compile(r"\b[A-Z]{3} ?[0-9]{1,3}[A-HJ-NP-Y]\b"),  # suffix style: ABC 123D
)
_NHS_RE = re.compile(r"(?<![\d\w])(\d{3})[ \-]?(\d{3})[ \-]?(\d{4})(?![\d\w])")
_NI_RE = re.compile(
    r"\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b"
)
_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
)
_DATE_RES = (
    re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?(?: of)? " + _MONTHS + r"\b(?:,? \d{4})?"),
    re.compile(r"\b" + _MONTHS + r" \d{1,2}(?:st|nd|rd|th)?\b(?:,? \d{4})?"),
    re.compile(r"\b\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})\b"),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
)


def find_postcodes(text: str) -> list[Finding]:
    return _matches(_POSTCODE_RE, text, "postcode")


# National helplines and emergency numbers, by their digits: the ones every learner page shows in
# "Support if you need it" (NSPCC, Childline, NAPAC, PACE, 999), plus 101 and 116 000, which the
# guide asks authors to give in "who to call" sections. They are public numbers, never anyone's
# personal data, so warning about them would only teach authors to ignore the warnings. Keep this
# list to national services: any other number (a local team, a made-up mobile) is still warned
# about.
PUBLIC_HELPLINES: dict[str, str] = {
    "08088005000": "NSPCC helpline",
    "08001111": "Childline",
    "116000": "Missing People / Say Something",
    "999": "emergency services",
    "101": "police non-emergency",
    "08088010331": "NAPAC",
    "01132405226": "PACE",
}
# The same reasoning for the one national helpline that also takes email (the bundled handbook
# gives it next to the NSPCC number).
PUBLIC_HELPLINE_EMAILS: dict[str, str] = {
    "help@nspcc.org.uk": "NSPCC helpline",
}


def _uk_digits(number: str) -> str:
    """The digits of a phone number as dialled in the UK (``+44 (0)20...`` -> ``020...``)."""
    digits = re.sub(r"\D", "", number)
    return "0" + digits[2:].lstrip("0") if digits.startswith("44") else digits


def _helpline_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` gives a public helpline number, so that no finder reports any part of it
    (``+44 808 800 5000`` would otherwise pass for an NHS number)."""
    return [
        (m.start(), m.end()) for m in _PHONE_RE.finditer(text) if _uk_digits(m.group(0)) in PUBLIC_HELPLINES
    ]


def find_phone_numbers(text: str) -> list[Finding]:
    found = []
    for match in _PHONE_RE.finditer(text):
        digits = _uk_digits(match.group(0))
        if 10 <= len(digits) <= 11 and digits not in PUBLIC_HELPLINES:
            found.append(Finding(match.start(), match.end(), "phone", match.group(0)))
    return found


def find_emails(text: str) -> list[Finding]:
    found = _matches(_EMAIL_RE, text, "email")
    return [f for f in found if f.text.lower() not in PUBLIC_HELPLINE_EMAILS]


def find_vehicle_registrations(text: str) -> list[Finding]:
    return [f for pattern in _VEHICLE_RES for f in _matches(pattern, text, "vehicle_registration")]


def find_nhs_numbers(text: str) -> list[Finding]:
    """Ten digits (often written 3-3-4) whose last digit is the NHS modulus 11 check digit."""
    found = []
    for match in _NHS_RE.finditer(text):
        digits = "".join(match.groups())
        if nhs_check_digit_ok(digits):
            found.append(Finding(match.start(), match.end(), "nhs_number", match.group(0)))
    return found


def nhs_check_digit_ok(digits: str) -> bool:
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def find_ni_numbers(text: str) -> list[Finding]:
    return _matches(_NI_RE, text, "ni_number")


def find_dates(text: str) -> list[Finding]:
    return [f for pattern in _DATE_RES for f in _matches(pattern, text, "date")]


FINDERS: tuple[Callable[[str], list[Finding]], ...] = (
    find_emails,
    find_nhs_numbers,
    find_ni_numbers,
    find_phone_numbers,
    find_postcodes,
    find_vehicle_registrations,
    find_dates,
)


def find_personal_data(text: str, finders: Iterable[Callable[[str], list[Finding]]] = FINDERS) -> list[Finding]:
    """Everything in ``text`` that looks like personal data, in order, without overlaps (when two
    finders match the same characters, the earlier finder in ``finders`` wins), and never any part
    of a public helpline's number (:data:`PUBLIC_HELPLINES`)."""
    helplines = _helpline_spans(text)
    accepted: list[Finding] = []
    for finder in finders:
        for finding in finder(text):
            if any(finding.start < end and start < finding.end for start, end in helplines):
                continue
            if not any(finding.start < f.end and f.start < finding.end for f in accepted):
                accepted.append(finding)
    return sorted(accepted)


def _matches(pattern: re.Pattern[str], text: str, kind: str) -> list[Finding]:
    return [Finding(m.start(), m.end(), kind, m.group(0)) for m in pattern.finditer(text)]
