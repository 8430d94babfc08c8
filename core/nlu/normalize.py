"""Generic text normalisation for Chinese community messages.

``normalize_text`` is deliberately domain-neutral so that every part of the bot (intent
classifier, impostor guard, keyword checks) can share it:

1. Unicode NFKC (full-width letters and digits, compatibility forms, ideographic space);
2. removal of invisible characters (zero-width spaces and joiners, bidi marks, BOM, soft
   hyphen, variation selectors, tag characters, Hangul and braille "blank" fillers that
   impostors use to pad names);
3. traditional → simplified Chinese with OpenCC ``t2s`` (the converter is loaded once, lazily,
   and cached at module level);
4. ``str.casefold``;
5. whitespace collapsed to single spaces and trimmed.

Domain-specific folding (typos such as 卡秘 → 卡密, English or pinyin keywords) belongs to the
classifier's feature extraction (``core.nlu.features``), not here.
"""

from __future__ import annotations

import threading
import unicodedata
from typing import Protocol

import regex

__all__ = ["normalize_text", "strip_invisible", "to_simplified"]


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


# Default-ignorable code points (zero-width space/joiners, word joiner, BOM, soft hyphen,
# variation selectors, tag characters, combining grapheme joiner, Hangul fillers), format
# characters (bidi controls) and the braille blank: all render as nothing. Control characters
# are not removed here (newlines are whitespace and become spaces below).
_INVISIBLE_RE = regex.compile(r"[\p{Default_Ignorable_Code_Point}\p{Cf}\u2800]+")
_SPACE_RE = regex.compile(r"\s+")

_converter: _Converter | None = None
_converter_lock = threading.Lock()


def _t2s() -> _Converter:
    """Return the shared OpenCC t2s converter, creating it on first use."""
    global _converter
    conv = _converter
    if conv is None:
        with _converter_lock:
            if _converter is None:
                import opencc

                _converter = opencc.OpenCC("t2s")
            conv = _converter
    assert conv is not None
    return conv


def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters in ``text`` to simplified ones (OpenCC t2s)."""
    if not text:
        return text
    return _t2s().convert(text)


def strip_invisible(text: str) -> str:
    """Remove zero-width, format and blank-filler characters from ``text``."""
    stripped: str = _INVISIBLE_RE.sub("", text)
    return stripped


def normalize_text(text: str) -> str:
    """Return the canonical form of ``text``: NFKC, no invisibles, simplified, casefolded.

    >>> normalize_text("  售後\u200b在哪裡？ ＫＥＦＵ  ")
    '售后在哪里? kefu'
    """
    text = unicodedata.normalize("NFKC", text)
    text = strip_invisible(text)
    text = to_simplified(text)
    collapsed: str = _SPACE_RE.sub(" ", text.casefold())
    return collapsed.strip()
