"""Small numbers typed by users or carried in button payloads, parsed without surprises.

``str.isdigit()`` is true for characters that ``int()`` rejects (Ethiopic ``፩``, superscript
``²``, Kharosthi digits), so ``x.isdigit() and int(x)`` raises on them. These helpers accept
exactly what they can convert: NFKC first (full-width ``５`` and circled ``①`` become ASCII),
then decimal digits of any script (Arabic-Indic ``١``, Thai ``๑``) by their value. Anything
else is ``None``, and the caller asks again.
"""

from __future__ import annotations

import unicodedata

__all__ = ["ascii_digits", "parse_small_int"]


def ascii_digits(text: str) -> str | None:
    """``text`` as ASCII digits when every character is a decimal digit, else ``None``."""
    folded = unicodedata.normalize("NFKC", text).strip()
    if not folded or not folded.isdecimal():
        return None
    return "".join(str(unicodedata.decimal(ch)) for ch in folded)


def parse_small_int(text: str, low: int, high: int, *, max_digits: int = 9) -> int | None:
    """The integer ``text`` spells, if it lies in ``[low, high]``; ``None`` otherwise."""
    digits = ascii_digits(text)
    if digits is None or len(digits.lstrip("0")) > max_digits:
        return None
    value = int(digits)
    return value if low <= value <= high else None
