"""Masking of buyers' personal data (card keys, phone numbers) for replies and logs.

Card keys keep at most their first 4 and last 2 characters; mobile numbers keep the first
3 and last 4 digits. Official channels are never passed through here: they are public.
"""

from __future__ import annotations

import re

# Mainland mobile numbers, optionally with +86 / 0086 and separators.
_PHONE = re.compile(r"(?<!\d)(?:\+?86[\s-]?|0086[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
# Card-key-like tokens: 12+ characters of letters/digits, optionally grouped by dashes,
# containing at least one digit (so plain English words are left alone).
_CARD = re.compile(
    r"(?<![A-Za-z0-9])(?=[A-Za-z0-9-]*\d)[A-Za-z0-9]{2,}(?:-?[A-Za-z0-9]{2,}){2,}(?![A-Za-z0-9])"
)


def mask_card_key(key: str) -> str:
    compact = key.strip()
    if len(compact) <= 6:
        return "*" * len(compact)
    return f"{compact[:4]}****{compact[-2:]}"


def mask_phone(digits: str) -> str:
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 7 else "*" * len(digits)


def _mask_card_match(match: re.Match[str]) -> str:
    token = match.group(0)
    if len(token.replace("-", "")) < 12:
        return token
    return mask_card_key(token)


def mask_sensitive(text: str) -> str:
    """Mask every phone number and card-key-like token in free text."""
    text = _PHONE.sub(lambda m: mask_phone(m.group(1) + m.group(2) + m.group(3)), text)
    return _CARD.sub(_mask_card_match, text)


def contains_card_key(text: str) -> bool:
    """True when ``text`` holds a card-key-like token (12+ letters/digits, with a digit)."""
    return any(len(m.group(0).replace("-", "")) >= 12 for m in _CARD.finditer(text))


def contains_phone(text: str) -> bool:
    return _PHONE.search(text) is not None


def find_card_keys(text: str) -> list[str]:
    """The card-key-like tokens in ``text`` (for a lookup; never log or echo them)."""
    return [m.group(0) for m in _CARD.finditer(text) if len(m.group(0).replace("-", "")) >= 12]
