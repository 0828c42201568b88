"""Password hashing (Argon2id at OWASP's minimum parameters) and the password policy (NIST 800-63B).

OWASP Password Storage Cheat Sheet: Argon2id, m=19 MiB, t=2, p=1. That costs ~16 ms here, so
login stays fast while an offline guess costs the attacker the same memory-hard work.
"""
from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 256  # generous for passphrases, bounded so hashing cannot be used for denial of service

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32, salt_len=16)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# A real hash to verify against when the account does not exist, so that response time does not
# reveal which email addresses have accounts.
DUMMY_HASH = hash_password("not-a-real-password-for-timing")


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships the 30,000 most common passwords from leaked-password corpora.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])


CONTEXT_WORDS = ("sightline", "safeguarding", "password", "northshire")

# zxcvbn's estimate of guesses needed; below 10^8 falls to an online attack that gets past rate
# limits over time (keyboard walks, sequences, a word plus digits).
MIN_GUESSES_LOG10 = 8


def password_problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """Why this password is not acceptable, as sentences for the person choosing it (empty if fine).

    No composition rules (NIST 800-63B 3.1.1.2, ASVS 6.2.5): length, and a check against common
    and context-specific passwords.
    """
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Password must be {MIN_LENGTH} characters or more")
        return problems
    if len(password) > MAX_LENGTH:
        problems.append(f"Password must be {MAX_LENGTH} characters or fewer")
        return problems
    lowered = password.lower()
    squashed = "".join(ch for ch in lowered if ch.isalnum())
    if lowered in _common_passwords() or squashed in _common_passwords():
        problems.append("This password is one of the most commonly used passwords. Choose a different one")
    elif len(set(lowered)) <= 2:
        problems.append("Password must not be one or two characters repeated")
    else:
        personal = {email.lower(), email.lower().split("@")[0], name.lower().replace(" ", "")} - {""}
        if squashed in {"".join(ch for ch in p if ch.isalnum()) for p in personal}:
            problems.append("Password must not be your name or email address")
        elif any(squashed == word or squashed.rstrip("0123456789") == word for word in CONTEXT_WORDS):
            problems.append("Password must not be the name of this service or an obvious variation of it")
        elif _guesses_log10(password, [email, name, *CONTEXT_WORDS]) < MIN_GUESSES_LOG10:
            problems.append(
                "This password is too easy to guess, for example a keyboard pattern, a sequence or a "
                "common word with numbers. Try three or four unrelated words"
            )
    return problems


# zxcvbn refuses longer input (its matching is quadratic in the length).
ZXCVBN_MAX_LENGTH = 72


def _guesses_log10(password: str, user_inputs: list[str]) -> float:
    """zxcvbn's estimate for the first 72 characters, which stands for the whole password: any
    attacker who guesses the whole has guessed its first 72 characters on the way, so the whole
    needs at least as many guesses as its start. Long passphrases are therefore judged on a
    start that is itself long, and a weak start (a keyboard walk padded with a few characters)
    is still refused."""
    from zxcvbn import zxcvbn

    estimate = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=[u for u in user_inputs if u])
    return estimate["guesses_log10"]
