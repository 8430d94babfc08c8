"""Impostor guard and ``/verify`` helpers: name normalisation, name verdicts, handle matching.

`NameGuard` judges display names and usernames against the official accounts and staff-role
words (see `core.guard.matcher`); `parse_handle` and `match_official` classify and look up what
a user pastes after ``/verify`` (see `core.guard.handles`). Everything here is pure and
platform-neutral.
"""

from core.guard.matcher import (
    DEFAULT_ROLE_WORDS,
    DEFAULT_THRESHOLD,
    NameGuard,
    NameVerdict,
    OfficialAccountLike,
)
from core.guard.normalize import NormalizedName, normalize_name

__all__ = [
    "DEFAULT_ROLE_WORDS",
    "DEFAULT_THRESHOLD",
    "NameGuard",
    "NameVerdict",
    "NormalizedName",
    "OfficialAccountLike",
    "normalize_name",
]
