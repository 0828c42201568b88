"""Certificate numbers (for people) and verification codes (for the public verification page).

Two identifiers, two jobs:

- the **certificate number** (``NSCP-2026-000123``) is sequential per year, easy to read out on
  the phone and to file; being sequential, it is guessable, so it never unlocks anything;
- the **verification code** (``7KQ3-M9XD-2WFH-P4TC``) is 16 random characters from Crockford's
  base-32 alphabet, 80 bits from :mod:`secrets`: unguessable, so knowing it is what shows you
  hold the certificate. The alphabet has no I, L, O or U, so nothing reads as another character,
  and the common misreadings (O for 0, I or L for 1) are mapped back when a code is typed in.
"""
from __future__ import annotations

import re
import secrets

# Crockford's base 32: digits and capitals without I, L, O, U.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16
CODE_GROUP = 4
# What people type for what they meant: a letter O for zero, I or L for one.
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})
# Spaces, hyphens and the dashes a phone or word processor substitutes for a hyphen.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212_.]+")
_CANONICAL = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


def new_verification_code() -> str:
    """A fresh code in its stored form: 16 characters, no separators."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str | None) -> str | None:
    """The stored form of a code as someone typed or scanned it, or None if it cannot be one.

    Case, spaces, hyphens and dashes are ignored; O reads as 0 and I or L as 1.
    """
    if not typed:
        return None
    candidate = _SEPARATORS.sub("", typed).upper().translate(_MISREAD)
    return candidate if _CANONICAL.match(candidate) else None


def format_code(code: str) -> str:
    """``7KQ3M9XD2WFHP4TC`` -> ``7KQ3-M9XD-2WFH-P4TC`` (how it is printed and put in URLs)."""
    return "-".join(code[i:i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def number_prefix(partnership_name: str) -> str:
    """The initials of the partnership's name: ``Northshire Safeguarding Children Partnership``
    gives ``NSCP``. At most eight letters; ``CERT`` when the name has no usable letters."""
    initials = "".join(word[0] for word in re.findall(r"[A-Za-z]+", partnership_name))
    return initials.upper()[:8] or "CERT"


def format_number(prefix: str, year: int, serial: int) -> str:
    """``NSCP-2026-000123``: six digits keep numbers the same width (a million a year)."""
    return f"{prefix}-{year}-{serial:06d}"
