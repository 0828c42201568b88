import pytest

from modules.accounts.passwords import hash_password, password_problems, verify_password


def test_hash_uses_argon2id_at_owasp_parameters():
    hashed = hash_password("a long enough passphrase")
    assert hashed.startswith("$argon2id$")
    assert "m=19456,t=2,p=1" in hashed
    assert verify_password(hashed, "a long enough passphrase")
    assert not verify_password(hashed, "a long enough passphrasE")
    assert not verify_password(None, "anything")
    assert not verify_password("not-a-hash", "anything")


def test_hashes_are_salted():
    assert hash_password("same password here") != hash_password("same password here")


@pytest.mark.parametrize(
    "password, problem",
    [
        ("short", "12 characters or more"),
        ("elevenchars", "12 characters or more"),
        ("x" * 257, "256 characters or fewer"),
        ("123456789012", "too easy to guess"),
        ("qwertyuiopas", "too easy to guess"),
        ("iloveyou2026", "too easy to guess"),
        ("leavemealone", "most commonly used"),
        ("aaaaaaaaaaaaaaa", "repeated"),
        ("abababababab", "repeated"),
        ("sightline2026", "name of this service"),
        ("jo.bloggs.example", "name or email"),
    ],
)
def test_rejected_passwords_say_why(password, problem):
    problems = password_problems(password, email="jo.bloggs.example@example.org", name="Jo Bloggs")
    assert problems and problem in problems[0]


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "lowercase only but long enough",  # no composition rules
        "🙂 emoji and spaces are fine 🙂",
        "sightline-demo-but-longer",
    ],
)
def test_accepted_passwords(password):
    assert password_problems(password, email="someone@example.org", name="Some One") == []


PASSPHRASE_WORDS = (
    "violet harbour lanterns drift past seventeen marmalade canyons while crimson otters debate "
    "the quiet arithmetic of thunder beneath a borrowed umbrella near the old railway signal box "
    "where nobody remembers which ferry carried the brass trombone to the lighthouse keeper's niece"
)


@pytest.mark.parametrize("length", range(60, 257, 7))
def test_long_passphrases_are_judged_not_refused_by_the_estimator(length):
    """zxcvbn raises ValueError beyond 72 characters, which was a 500 on every new-password page."""
    assert password_problems(PASSPHRASE_WORDS[:length], email="someone@example.org", name="Some One") == []


@pytest.mark.parametrize("password", ["qwertyuiop" * 10, "1234567890" * 20, "abcdefghijklmnopqrstuvwxyz" * 4 + "x9"])
def test_a_long_password_is_still_refused_when_it_is_a_pattern(password):
    assert len(password) > 72
    assert password_problems(password, email="someone@example.org", name="Some One") != []
