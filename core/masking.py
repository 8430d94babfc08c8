"""Masking of buyers' personal data (card keys, phone numbers) for replies and logs.

Card keys keep at most their first 4 and last 2 characters; mobile numbers keep the first
3 and last 4 digits. Official channels are never passed through here: they are public.

Card keys are found by a :class:`~core.cardkeys.CardKeyDetector`. Logs and stored texts have
no config at hand, so the process holds one detector: the default formats until the
composition root installs the configured one at start-up (:func:`use_card_key_detector`).
"""

from __future__ import annotations

import re

from core.cardkeys import DEFAULT_CARD_KEY_FORMATS, CardKeyDetector, mask_card_key
from core.config import ShopConfig

__all__ = [
    "card_key_detector",
    "contains_card_key",
    "contains_phone",
    "find_card_keys",
    "mask_card_key",
    "mask_phone",
    "mask_sensitive",
    "use_card_key_detector",
]

# Mainland mobile numbers, optionally with +86 / 0086 and separators.
_PHONE = re.compile(r"(?<!\d)(?:\+?86[\s-]?|0086[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")

_detector = CardKeyDetector(DEFAULT_CARD_KEY_FORMATS, order_pattern=ShopConfig().order_pattern)


def use_card_key_detector(detector: CardKeyDetector) -> None:
    """Install the process's detector (the composition root does, from the config)."""
    global _detector
    _detector = detector


def card_key_detector() -> CardKeyDetector:
    return _detector


def mask_phone(digits: str) -> str:
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 7 else "*" * len(digits)


def mask_sensitive(text: str) -> str:
    """Mask every card key (and long key-like token) and phone number in free text.

    Keys go first: a phone-like run of digits inside a key must not leave the rest showing.
    """
    text = _detector.mask(text)
    return _PHONE.sub(lambda m: mask_phone(m.group(1) + m.group(2) + m.group(3)), text)


def contains_card_key(text: str) -> bool:
    """True when ``text`` holds a card key of the configured formats, in any spelling."""
    return _detector.contains(text)


def contains_phone(text: str) -> bool:
    return _PHONE.search(text) is not None


def find_card_keys(text: str) -> list[str]:
    """The card keys in ``text``, canonical (``XH7K-9P2M-4Q8R-1T6W``); never log or echo them."""
    return [found.key for found in _detector.find(text)]
