"""Password hashing (argon2) and the strength rules every new password meets."""

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from zxcvbn import zxcvbn

_STRONG = PasswordHasher()  # argon2-cffi's recommended parameters (RFC 9106 low-memory)
_CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def _hasher() -> PasswordHasher:
    return _CHEAP if current_app.config["PASSWORD_HASH_CHEAP"] else _STRONG


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def dummy_verify(password: str) -> None:
    """Spend the time a real check would, when no account matches the email."""
    verify_password(_dummy_hash(current_app.config["PASSWORD_HASH_CHEAP"]), password)


@functools.cache
def _dummy_hash(cheap: bool) -> str:
    return (_CHEAP if cheap else _STRONG).hash("not-a-real-password-at-all")


def password_problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """What is wrong with a proposed password, as messages for the person."""
    min_length = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < min_length:
        return [
            _(
                "Use at least %(count)d characters: a sentence of several words"
                " is easy to remember and hard to guess.",
                count=min_length,
            )
        ]
    if len(password) > 256:
        return [_("Use at most 256 characters.")]
    lowered = password.strip().lower()
    if lowered and lowered in {email.strip().lower(), name.strip().lower()}:
        return [_("Your password must not be your email address or your name.")]
    inputs = [part for part in (email, name, *email.split("@")) if part]
    result = zxcvbn(password[:100], user_inputs=inputs)
    if result["score"] < current_app.config["PASSWORD_MIN_SCORE"]:
        return [
            _(
                "This password is too easy to guess. Add more unrelated words,"
                " avoid names, dates and common phrases."
            )
        ]
    return []
