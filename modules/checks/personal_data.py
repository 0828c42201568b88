"""Things in text that look like personal data.

Training content must not hold real people's details (case studies above all, which are
anonymised composites), so ``content check`` reports anything that looks like them: personal
names (with titles, relatives and nicknames), named schools, GP practices, hospitals and other
services, street addresses, social media handles, UK postcodes, phone numbers, email addresses,
vehicle registrations, NHS and National Insurance numbers, and exact calendar dates. These are
heuristics, and a person decides; case studies declare the made-up names and places they use
(``pseudonyms:``), which are never reported. Each finder is a plain function returning
:class:`~modules.checks.findings.Finding` objects.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from modules.checks.findings import Finding, without_overlaps
from modules.checks.names import CUE_AT_START, MONTHS, NEVER_AT_START, RELATIONS, TITLES, name_lists
from modules.checks.text import LineIndex, is_english_word

LABELS = {
    "postcode": "a postcode",
    "phone": "a phone number",
    "email": "an email address",
    "vehicle_registration": "a vehicle registration",
    "nhs_number": "an NHS number",
    "ni_number": "a National Insurance number",
    "date": "an exact date",
    "name": "a personal name",
    "institution": "a named school, GP practice, hospital or other service",
    "address": "a street address",
    "social_media": "a social media handle",
}

# Why each kind matters, and what to write instead (shown with every finding).
WHY = {
    "postcode": "A postcode narrows a story down to a few streets.",
    "phone": "A phone number leads straight to a person.",
    "email": "An email address leads straight to a person.",
    "vehicle_registration": "A registration identifies a car and its owner.",
    "nhs_number": "An NHS number identifies one person.",
    "ni_number": "A National Insurance number identifies one person.",
    "date": "An exact date, with the rest of a story, can identify the child (jigsaw identification).",
    "name": "A name identifies a person directly.",
    "institution": "Naming a school, GP practice or hospital lets readers work out who the child is.",
    "address": "An address says where someone lives.",
    "social_media": "A handle leads straight to a real person's account.",
}
INSTEAD = {
    "postcode": "leave it out, or describe the area in general terms ('a town in the north')",
    "phone": "leave it out; give only national helplines",
    "email": "leave it out",
    "vehicle_registration": "describe the car in general terms ('a dark hatchback')",
    "nhs_number": "leave it out",
    "ni_number": "leave it out",
    "date": "give an age band or a relative time ('Month 3', 'two weeks later')",
    "name": "use a made-up name and list it under pseudonyms: in the module's settings",
    "institution": "describe it in general terms ('a secondary school', 'the GP practice'), or "
                   "list a made-up name under pseudonyms:",
    "address": "leave it out, or describe the place in general terms ('a flat above a shop')",
    "social_media": "leave it out ('a social media account')",
}

# Postcodes, registrations and NI numbers are matched whatever their case ("wf3 1tz"); a match
# that is not in capitals must not contain an English word ("Y10 and", "the 3D"), see _plausible.
_POSTCODE_RE = re.compile(r"\b(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR) ?[0-9][ABD-HJLNP-UW-Z]{2}\b", re.I)
_PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+44[ \-]?(?:\(0\)[ \-]?)?|\(?0)\d{2,4}\)?(?:[ \-]?\d){6,8}(?![\w])"
)
_EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_VEHICLE_RES = (
    re.compile(r"\b[A-Z]{2}[0-9]{2} ?[A-Z]{3}\b", re.I),  # current style: AB12 CDE
    re.compile(r"\b[A-HJ-NP-Y][0-9]{1,3} ?[A-Z]{3}\b", re.I),  # prefix style: A123 BCD
    re.compile(r"\b[A-Z]{3} ?[0-9]{1,3}[A-HJ-NP-Y]\b", re.I),  # suffix style: ABC 123D
)
_NHS_RE = re.compile(r"(?<![\d\w])(\d{3})[ \-]?(\d{3})[ \-]?(\d{4})(?![\d\w])")
_NI_RE = re.compile(
    r"\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.I
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


def _plausible(found: str) -> bool:
    """A code written in capitals counts; otherwise none of its letter groups may be an English
    word or an ordinal ending ("Y10 and Y11", "in 3D", "y10 2nd"), which capitals rule out."""
    if found.upper() == found:
        return True
    groups = [g.lower() for g in re.findall(r"[A-Za-z]+", found)]
    return not any(
        g in _ORDINALS or g in _SHORT_WORDS or (len(g) > 2 and is_english_word(g)) for g in groups
    )


_ORDINALS = frozenset({"st", "nd", "rd", "th"})
# Two-letter English words (the dictionary also knows most two-letter abbreviations, which
# postcodes and registrations are full of).
_SHORT_WORDS = frozenset(
    "am an as at be by do go he if in is it me my no of oh ok on or pm so to tv uk up us we".split()
)


def find_postcodes(text: str) -> list[Finding]:
    return [f for f in _matches(_POSTCODE_RE, text, "postcode") if _plausible(f.text)]


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
    return [
        f for pattern in _VEHICLE_RES for f in _matches(pattern, text, "vehicle_registration") if _plausible(f.text)
    ]


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
    # The shape alone (two letters, six digits, a letter) is rare enough in any case.
    return _matches(_NI_RE, text, "ni_number")


def find_dates(text: str) -> list[Finding]:
    return [f for pattern in _DATE_RES for f in _matches(pattern, text, "date")]


# Social media handles -------------------------------------------------------------------------

_PLATFORMS = (
    r"snap(?:chat)?|sc|insta(?:gram)?|ig|tik[ -]?tok|tt|twitter|kik|discord|telegram|facebook|fb|"
    r"threads|twitch|xbox|psn|playstation|roblox|fortnite|steam|youtube|yt|onlyfans|wizz|yubo|"
    r"bereal|reddit|whatsapp|signal|wickr|grindr|tinder"
)
_HANDLE = r"@?[A-Za-z0-9_][A-Za-z0-9_.]{1,29}[A-Za-z0-9_]"
_PLATFORM_RE = re.compile(
    rf"\b(?:{_PLATFORMS})\b(?:[ \t]+(?:user ?name|name|handle|id|account|tag|profile))?"
    rf"(?:[ \t]*(?::|=|-|–)[ \t]*|[ \t]+(?:is|was|as|called|named)[ \t]+|[ \t]+(?=@))"
    rf"[\"“'‘]?(?P<handle>{_HANDLE})",
    re.I,
)
_USERNAME_RE = re.compile(
    rf"\b(?:user ?name|gamer ?tag|handle|screen ?name|account name|profile name)"
    rf"(?:[ \t]*(?::|=)[ \t]*|[ \t]+(?:is|was|of)[ \t]+|[ \t]+)[\"“'‘]?(?P<handle>{_HANDLE})",
    re.I,
)
_AT_HANDLE_RE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_][A-Za-z0-9_.]{1,29}(?<!\.)(?![\w@])")
# A word with an underscore is a user name wherever it is ("bigdee_ldn"); one with a dot or
# digits inside it only near a platform's name ("kaz.m99 on Snapchat").
_UNDERSCORE_RE = re.compile(r"(?<![\w@./:-])[A-Za-z0-9]+_[A-Za-z0-9_.]*[A-Za-z0-9_](?![\w@/])")
_NEAR_PLATFORM_RE = re.compile(
    r"(?<![\w@./:-])(?=[A-Za-z0-9._]*[A-Za-z])(?=[A-Za-z0-9._]*(?:\d|\.[A-Za-z]))[A-Za-z0-9][A-Za-z0-9._]{2,28}[A-Za-z0-9](?![\w@/])"
)
_PLATFORM_WORD = re.compile(rf"\b(?:{_PLATFORMS})\b", re.I)


def find_social_media(text: str) -> list[Finding]:
    """``@name`` anywhere, and a handle given after a platform ("snap: tayb0i", "her Instagram
    is lils.x") or after "username"."""
    found = [Finding(m.start(), m.end(), "social_media", m.group(0)) for m in _AT_HANDLE_RE.finditer(text)]
    found += [Finding(m.start(), m.end(), "social_media", m.group(0)) for m in _UNDERSCORE_RE.finditer(text)]
    for platform in _PLATFORM_WORD.finditer(text):
        window_start = max(0, platform.start() - 80)
        for m in _NEAR_PLATFORM_RE.finditer(text, window_start, min(len(text), platform.end() + 80)):
            if not re.fullmatch(r"[\d.,:]+(?:st|nd|rd|th|am|pm)?", m.group(0), re.I):
                found.append(Finding(m.start(), m.end(), "social_media", m.group(0)))
    for pattern in (_PLATFORM_RE, _USERNAME_RE):
        for m in pattern.finditer(text):
            handle = m.group("handle")
            separated = m.group(0)[: m.start("handle") - m.start()].rstrip("\"“'‘ \t")[-1:] in ":=-–"
            quoted = text[m.start("handle") - 1: m.start("handle")] in "\"“'‘"
            if not (separated or quoted or handle.startswith("@") or _handle_like(handle)):
                continue
            found.append(Finding(m.start("handle"), m.end("handle"), "social_media", handle))
    return found


def _handle_like(word: str) -> bool:
    """A user name rather than a word: digits, underscores or dots in it, or not English."""
    return bool(re.search(r"[\d_.]", word)) or not is_english_word(word.lower())


# Street addresses ----------------------------------------------------------------------------

_STREET_WORDS = (
    r"Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Drive|Close|Crescent|Cres|Grove|Way|Place|Pl|Court|Ct|"
    r"Gardens|Gdns|Terrace|Tce|Row|Walk|Hill|View|Rise|Square|Sq|Parade|Mews|Green|Park|Vale|Gate|"
    r"Fold|Croft|Mount|Wharf|Yard|Boulevard|Approach|Bank|Brow|Chase|Garth|Heights|Meadows?|"
    r"House|Tower|Lodge|Mansions|Buildings|Flats|Estate"
)
_NAME_WORD = r"(?:St\.?|[A-Z][A-Za-z'’-]+)"
_NUMBERED_ADDRESS_RE = re.compile(
    rf"\b(?:(?:[Ff]lat|[Aa]partment|[Uu]nit|[Rr]oom|[Nn]umber|[Nn]o\.?)[ \t]+\d+[A-Za-z]?,?[ \t]+)?"
    rf"\d{{1,4}}[A-Za-z]?,?[ \t]+(?:{_NAME_WORD}[ \t]+){{1,3}}(?:{_STREET_WORDS})\b"
)
_FLAT_RE = re.compile(r"\b(?:[Ff]lat|[Aa]partment)[ \t]+\d+[A-Za-z]?\b(?:,?[ \t]+(?:[A-Z][A-Za-z'’-]+[ \t]+){1,3}"
                      rf"(?:{_STREET_WORDS})\b)?")
_NAMED_STREET_RE = re.compile(
    rf"\b(?:on|in|off|at|near|along|down|up|from|to|into|onto|behind|opposite|outside)[ \t]+"
    rf"(?P<street>(?:{_NAME_WORD}[ \t]+){{1,3}}"
    r"(?:Street|St|Road|Rd|Lane|Avenue|Ave|Close|Crescent|Grove|Terrace|Row|Mews|Gardens|Parade|"
    r"Square|Court|Drive|Way|Place|Walk|Rise|Estate)\b)"
)
# Words that start a capitalised run without being part of a place's name.
_NOT_A_NAME = frozenset({
    "The", "A", "An", "At", "In", "On", "Her", "His", "Their", "Our", "Your", "My", "This", "That",
    "Near", "Off", "Outside", "Opposite", "From", "To", "And", "Or", "Of", "By", "For", "With",
})


def find_addresses(text: str) -> list[Finding]:
    """House and flat numbers with a street ("12 Canal Street", "Flat 3, Alder House"), and named
    streets after a preposition ("seen on Canal Street")."""
    found = [Finding(m.start(), m.end(), "address", m.group(0)) for m in _FLAT_RE.finditer(text)]
    found += [Finding(m.start(), m.end(), "address", m.group(0)) for m in _NUMBERED_ADDRESS_RE.finditer(text)]
    for m in _NAMED_STREET_RE.finditer(text):
        words = m.group("street").split()
        if words[0] in _NOT_A_NAME:
            continue
        found.append(Finding(m.start("street"), m.end("street"), "address", m.group("street")))
    return without_overlaps(found)


# Named institutions --------------------------------------------------------------------------

_INSTITUTIONS = (
    r"(?:Primary |Secondary |High |Junior |Infant |Infants |Grammar |Community |Special |Free |"
    r"Catholic |C of E |Church of England )?(?:School|Academy|College)|High|Primary|Infants|"
    r"Sixth Form(?: College)?|University|Nursery|Pupil Referral Unit|PRU|"
    r"(?:General |Royal |District |Community |Children's |Children’s |Women's |Women’s )?"
    r"(?:Hospital|Infirmary)|Hospice|Surgery|Medical (?:Practice|Centre|Center)|Health Centre|"
    r"(?:GP|Medical|Dental|Doctors'|Doctors’|Family) [Pp]ractice|GP|Clinic|Children's Home|Children’s Home|Care Home|Children's Centre|"
    r"Children’s Centre|Family Centre|Youth Club|Youth Centre|Leisure Centre|Community Centre|"
    r"Mosque|Church|Temple|Gurdwara|Synagogue|Academy Trust"
)
# Capitalised words that describe a kind of institution rather than name one.
_GENERIC = frozenset({
    "The", "A", "An", "Her", "His", "Their", "Our", "Your", "My", "This", "That", "Local", "Primary",
    "Secondary", "High", "Junior", "Infant", "Infants", "Grammar", "Community", "Special", "Free",
    "Catholic", "Independent", "General", "Royal", "District", "County", "City", "Children's",
    "Children’s", "Medical", "Health", "Family", "Youth", "Leisure", "Care", "Residential",
    "Secure", "Private", "Year", "GP", "NHS", "Pupil", "Referral", "Sixth", "Form", "Nursery",
    "Dental", "Mental", "Sexual", "Urgent", "Walk-in", "Minor", "Main", "New", "Old", "Good", "Best", "Safeguarding", "Practice", "Designated", "Named", "Any", "Every", "Each",
    "Which", "What", "Same", "Other", "Another", "Nearest", "Village", "Town", "Area", "Women's", "Women’s", "Hospital", "School", "College", "Academy", "Surgery", "Clinic", "Church",
    "St", "St.", "Saint", "Mainstream", "Alternative", "Boarding", "State", "Faith", "Learning",
    "Support", "Unit", "Staff", "At", "In", "On", "To", "From", "And", "Of",
})
_INSTITUTION_RE = re.compile(
    rf"(?<![\w'’])(?P<name>(?:(?:{_NAME_WORD}|of|the|and|&)[ \t]+){{1,5}}?)(?P<kind>{_INSTITUTIONS})\b"
)


def find_institutions(text: str) -> list[Finding]:
    """A school, academy, college, hospital, surgery, GP practice, children's home and so on with
    a proper name ("Brookfield Academy", "St Anne's Surgery", "Elm Tree GP practice")."""
    found = []
    for m in _INSTITUTION_RE.finditer(text):
        words = m.group("name").split()
        start = m.start("name")
        # Drop leading words that are not part of the name ("At Brookfield Academy").
        while words and (words[0] in _NOT_A_NAME or words[0] in ("of", "the", "and", "&")):
            start = text.index(words[0], start) + len(words[0])
            while text[start] in " \t":
                start += 1
            words = words[1:]
        proper = [w for w in words if w not in _GENERIC and w not in ("of", "the", "and", "&")]
        if not proper:
            continue
        found.append(Finding(start, m.end(), "institution", text[start:m.end()]))
    return found


# Personal names ------------------------------------------------------------------------------

_CAPITALISED = re.compile(r"(?<![\w'’-])(?:Mc|Mac|O['’])?[A-Z][a-zà-öø-ÿ]+(?:[-'’][A-Z]?[a-zà-öø-ÿ]+)*(?![\w-])")
_TITLE_RE = re.compile(
    rf"(?<![\w])(?P<title>{'|'.join(sorted(TITLES, key=len, reverse=True))})\.?[ \t]+"
    r"(?P<name>(?:Mc|Mac|O['’])?[A-Z][a-zà-öø-ÿ'’-]+(?:[ \t]+(?:Mc|Mac|O['’])?[A-Z][a-zà-öø-ÿ'’-]+)?)"
)
_RELATION_RE = re.compile(
    rf"(?<![\w])(?P<rel>(?i:{'|'.join(sorted(RELATIONS, key=len, reverse=True))}))[ \t]+"
    r"(?P<name>[A-Z][a-zà-öø-ÿ'’-]+)"
)
_NICKNAME_RE = re.compile(
    r"(?:\b(?:known as|called|calls (?:himself|herself|themselves)|nicknamed|goes by|go by|went by|"
    r"(?:call|calls|called) (?:him|her|them|himself|herself|themselves)|"
    r"aka|a\.k\.a\.?|name of)[ \t]+|(?<=[A-Z][a-z]) )"
    r"[\"“‘'](?P<nick>[A-Z0-9][\w'’ .-]{0,20}?)[\"”’']"
)
# "a man called Bartosz", "a driver named Levi": a name whether or not the lists know it.
_CALLED_RE = re.compile(
    r"\b(?:man|woman|men|boy|girl|lad|adult|male|female|friend|driver|someone|somebody|person|guy|"
    r"teenager|cousin|relative|neighbour|customer|passenger)[ \t]+(?:called|named|known as|who calls himself|"
    r"who calls herself)[ \t]+(?P<name>[A-Z][a-zà-öø-ÿ'’-]+(?:[ \t]+[A-Z][a-zà-öø-ÿ'’-]+)?)"
)
# A capitalised word in the middle of a sentence, followed by an age or "who": "Precious, who...",
# "Tiana, 14,".
_APPOSITION_RE = re.compile(r"^,[ \t]+(?:who\b|aged\b|\d{1,2},)")
_FAMILY_RE = re.compile(r"\bthe[ \t]+(?P<name>[A-Z][a-zà-öø-ÿ'’-]+)[ \t]+(?:family|household|brothers|sisters|twins)\b")
# Words that, after a first name, show it is not a person ("the Philomena Protocol").
_NOT_A_SURNAME = frozenset({
    "Protocol", "Audit", "Report", "Review", "Inquiry", "Act", "Principles", "Model", "Guidelines",
    "Trust", "Foundation", "Centre", "Center", "House", "Road", "Street", "Lane", "Avenue", "Close",
    "School", "Academy", "College", "Hospital", "Surgery", "Practice", "Programme", "Project",
    "Society", "Council", "Partnership", "Service", "Services", "Team", "Unit", "Line", "Helpline",
})
_POSSESSIVE = re.compile(r"['’]s$")
_NOT_A_PERSON_AFTER = re.compile(
    r"[ \t]+(?:audit|report|review|inquiry|protocol|act|model|principles|guidelines|programme|"
    r"scheme|trust|foundation|street|road|lane|avenue|centre|house)\b", re.I
)


def find_names(text: str) -> list[Finding]:
    """Personal names: a title or relative with a name ("PC Omar Siddiqui", "Mrs Kowalski",
    "Aunt Sharon"), a nickname in quotes ("known as 'Tank'"), "the Kowalski family", a known first
    name with the capitalised word after it ("Leah Whitfield"), and a known first or family name
    on its own where it cannot be an ordinary word."""
    lists = name_lists()
    found: list[Finding] = []
    for m in _TITLE_RE.finditer(text):
        name = m.group("name")
        first = name.split()[0]
        if len(first) < 2 or first in _NOT_A_NAME or first in _GENERIC:
            continue
        found.append(Finding(m.start(), m.end(), "name", m.group(0)))
    for m in _RELATION_RE.finditer(text):
        name = _POSSESSIVE.sub("", m.group("name"))
        if name in _NOT_A_NAME or name in _GENERIC:
            continue
        found.append(Finding(m.start(), m.end(), "name", m.group(0)))
    for m in _NICKNAME_RE.finditer(text):
        found.append(Finding(m.start("nick"), m.end("nick"), "name", m.group("nick")))
    for m in _CALLED_RE.finditer(text):
        found.append(Finding(m.start("name"), m.end("name"), "name", m.group("name")))
    for m in _FAMILY_RE.finditer(text):
        if m.group("name") not in _NOT_A_NAME:
            found.append(Finding(m.start("name"), m.end("name"), "name", m.group("name")))
    words = list(_CAPITALISED.finditer(text))
    i = 0
    while i < len(words):
        m = words[i]
        word = _POSSESSIVE.sub("", m.group(0))
        at_start = _at_sentence_start(text, m.start())
        nxt = words[i + 1] if i + 1 < len(words) else None
        joined = nxt is not None and text[m.end():nxt.start()] in (" ", "\t") and not m.group(0).endswith(("'s", "’s"))
        if _NOT_A_PERSON_AFTER.match(text, m.end()):
            i += 1
            continue
        if word in lists.first and _counts_as_first_name(word, at_start, text, m.end()):
            end = m.end()
            if joined and _POSSESSIVE.sub("", nxt.group(0)) not in _NOT_A_SURNAME:
                end = nxt.end()
                i += 1
            elif joined:
                i += 2
                continue
            found.append(Finding(m.start(), end, "name", text[m.start():end]))
        elif (word in lists.last and not at_start and not is_english_word(word.lower())
              and word not in _GENERIC):
            found.append(Finding(m.start(), m.end(), "name", m.group(0)))
        elif (not at_start and word not in _GENERIC and word not in _NOT_A_NAME
              and word.lower() not in MONTHS and _APPOSITION_RE.match(text[m.end():m.end() + 12])):
            found.append(Finding(m.start(), m.end(), "name", m.group(0)))
        i += 1
    return found


_SURNAME_AFTER = re.compile(r"^[ \t]+(?:Mc|Mac|O['’])?[A-Z][a-zà-öø-ÿ]+(?:['’]s)?\b(?![ \t]+(?:Protocol|Audit|Report|Act)\b)")


def _at_sentence_start(text: str, pos: int) -> bool:
    """Whether a word at ``pos`` starts a sentence, a list item, a heading or a paragraph (where
    any word has a capital), looking back past quotes, brackets and Markdown markers."""
    i, marker = pos - 1, False
    while i >= 0 and text[i] in " \t\"“‘'([*_#>-+|":
        marker = marker or text[i] in "#>-*+|"
        i -= 1
    if i < 0:
        return True
    if text[i] in ".!?:;)]":
        return text[i] not in ")]" or (i > 0 and text[i - 1].isdigit())  # "1) Jade"
    if text[i] != "\n":
        return False
    if marker:
        return True
    j = i - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return j < 0 or text[j] in "\n.!?:;"


_CUE_AFTER = re.compile(
    r"^(?:['’]s\b|,|\(|[ \t]+(?:is|was|has|had|said|says|told|tells|went|goes|left|lives|lived|"
    r"attends|attended|disclosed|reported|asked|came|comes|got|gets|started|stopped|wants|wanted|"
    r"met|ran|returned|refused|became|seemed|appeared|talked|spoke|explained|described|mentioned|"
    r"showed|sent|received|missed|arrived|texted|messaged|called|phoned|rang|cried|looked|sat|"
    r"stayed|walked|waited|turned|agreed|admitted|denied|answered|replied|wrote|posted|shared|"
    r"spent|took|made|gave|kept|knew|thought|felt|heard|saw|found|used|changed|joined|and|who|"
    r"does|did|can|could|will|would|may|might|should|must|never|often|always|now|then)\b)"
)


def _counts_as_first_name(word: str, at_start: bool, text: str, end: int) -> bool:
    lower = word.lower()
    if lower in MONTHS:
        return False
    if not at_start:
        return True
    if lower in NEVER_AT_START:
        return False
    if lower in CUE_AT_START or is_english_word(lower):
        after = text[end:end + 20]
        return bool(_CUE_AFTER.match(after) or _SURNAME_AFTER.match(after))
    return True


FINDERS: tuple[Callable[[str], list[Finding]], ...] = (
    find_emails,
    find_social_media,
    find_nhs_numbers,
    find_ni_numbers,
    find_phone_numbers,
    find_postcodes,
    find_vehicle_registrations,
    find_dates,
    find_addresses,
    find_institutions,
    find_names,
)


def find_personal_data(
    text: str, finders: Iterable[Callable[[str], list[Finding]]] = FINDERS, *,
    pseudonyms: Iterable[str] = (), first_line: int = 1,
) -> list[Finding]:
    """Everything in ``text`` that looks like personal data, in order, without overlaps (when two
    finders match the same characters, the earlier finder in ``finders`` wins), never any part
    of a public helpline's number (:data:`PUBLIC_HELPLINES`), and never a declared pseudonym.

    :param pseudonyms: made-up names and places the text declares (``Jade``, ``Child A``,
        ``Northfield Academy``): a finding made only of their words is not reported.
    :param first_line: the file line of the text's first line, for the findings' positions.
    """
    helplines = _helpline_spans(text)
    declared = Pseudonyms(pseudonyms)
    accepted: list[Finding] = []
    for finder in finders:
        for finding in finder(text):
            if any(finding.start < end and start < finding.end for start, end in helplines):
                continue
            if declared.covers(finding):
                continue
            if not any(finding.start < f.end and f.start < finding.end for f in accepted):
                accepted.append(finding)
    lines = LineIndex(text, first_line)
    return sorted(_described(f, lines) for f in accepted)


def _described(finding: Finding, lines: LineIndex) -> Finding:
    line, column = lines.position(finding.start)
    return Finding(
        start=finding.start, end=finding.end, kind=finding.kind, text=finding.text, line=line,
        column=column, why=WHY[finding.kind], instead=INSTEAD[finding.kind], checker="personal_data",
    )


_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Words a finding may contain besides the declared ones ("Mrs Jade", "Jade's", "the Dale family").
_IGNORED_WORDS = {t.lower() for t in TITLES} | RELATIONS | {"the", "and", "of", "family", "s"}


class Pseudonyms:
    """The made-up names and places a module declares."""

    def __init__(self, declared: Iterable[str]):
        self.phrases = {_normalised(p) for p in declared if p and p.strip()}
        self.words = {w for p in self.phrases for w in p.split()}

    def covers(self, finding: Finding) -> bool:
        if not self.phrases:
            return False
        text = _normalised(finding.text)
        if text in self.phrases:
            return True
        if finding.kind not in ("name", "institution", "address"):
            return False
        words = [w for w in text.split() if w not in _IGNORED_WORDS]
        return bool(words) and all(w in self.words for w in words)


def phrase_key(text: str) -> str:
    """``text`` as the pseudonyms and false alarms compare it: case, curly quotes, possessives
    and spacing do not matter ("Hope  Street’s" is "hope street")."""
    return _normalised(text)


def _normalised(text: str) -> str:
    words = [_POSSESSIVE.sub("", w) for w in _WORD_RE.findall(text.replace("’", "'"))]
    return " ".join(w.lower() for w in words if w)


def _matches(pattern: re.Pattern[str], text: str, kind: str) -> list[Finding]:
    return [Finding(m.start(), m.end(), kind, m.group(0)) for m in pattern.finditer(text)]
