"""A name in the order it is displayed: the Unicode bidirectional algorithm (UAX #9).

``"\\u202e服客方官盟卡河星"`` is stored backwards behind a right-to-left override (RLO) and shown
as ``星河卡盟官方客服``. The guard judges what people see, so `visual_order` resolves the bidi
controls (LRE, RLE, LRO, RLO, PDF, LRI, RLI, FSI, PDI), the invisible marks (LRM, RLM, ALM)
and right-to-left letters into display order, mirrors brackets that end up right-to-left, and
drops the controls.

The reference implementation is ICU's ``ubidi`` (through PyICU, already a dependency for the
TR39 confusable skeletons, see `core.guard.normalize`): no new package, maintained with every
Unicode release, and under a microsecond per name. Without PyICU a built-in subset is used
(`explicit_subset_order`), enough for the tricks names use; `BIDI_BACKEND` says which one.
Names with nothing bidirectional in them (by far the most) skip both: `needs_reordering` is a
single regular-expression search.
"""

from __future__ import annotations

import importlib
import unicodedata
from collections.abc import Callable
from typing import Any

import regex

__all__ = [
    "BIDI_BACKEND",
    "explicit_subset_order",
    "needs_reordering",
    "visual_order",
]

# Characters that can make display order differ from logical order: the explicit controls,
# the marks, and every character of class R, AL or AN (Hebrew, Arabic, Syriac, Thaana, NKo,
# Arabic-Indic digits...). Without any of them all levels are 0 and nothing moves.
_BIDI_TRIGGER = regex.compile(
    r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
    r"\p{Bidi_Class=R}\p{Bidi_Class=AL}\p{Bidi_Class=AN}]"
)

_LRE, _RLE, _PDF, _LRO, _RLO = "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"
_LRI, _RLI, _FSI, _PDI = "\u2066", "\u2067", "\u2068", "\u2069"
_MAX_DEPTH = 125  # UAX #9 max_depth

# Bidi_Mirroring_Glyph for the brackets that appear in names (the stdlib has no such table).
_MIRROR = dict(
    zip(
        "()[]{}<>（）【】《》〈〉「」『』〔〕［］｛｝«»",
        ")(][}{><）（】【》《〉〈」「』『〕〔］［｝｛»«",
        strict=True,
    )
)


def needs_reordering(text: str) -> bool:
    """True if ``text`` holds anything that can reorder it on screen (see the module doc)."""
    return _BIDI_TRIGGER.search(text) is not None


def _strong(cls: str) -> int | None:
    """0 for a left-to-right strong class, 1 for a right-to-left one, else None."""
    if cls == "L":
        return 0
    if cls in ("R", "AL"):
        return 1
    return None


def _first_strong(text: str, start: int) -> int | None:
    """Direction of the first strong character from ``start`` (rule P2), skipping isolates;
    stops at the PDI that closes an isolate begun before ``start``."""
    depth = 0
    for ch in text[start:]:
        if ch in (_LRI, _RLI, _FSI):
            depth += 1
        elif ch == _PDI:
            if depth == 0:
                return None
            depth -= 1
        elif depth == 0:
            found = _strong(unicodedata.bidirectional(ch))
            if found is not None:
                return found
    return None


def explicit_subset_order(text: str) -> str:
    """Display order by a subset of UAX #9, for when PyICU is missing.

    What it does: the paragraph direction from the first strong character (P2, P3); the
    explicit embeddings, overrides and isolates with their stack (X1-X8, without the overflow
    counters beyond depth 125); overrides force the direction of what they enclose; a
    character without a strong direction of its own (digits, spaces, punctuation) takes the
    direction of the strong characters on both sides when they agree, else that of its
    embedding (a simplified W1-W7 and N1-N2); levels per I1-I2; reversal per L2; brackets
    mirrored where they end up right-to-left (L4). What it leaves out: bracket pairs (N0),
    the finer number rules (European digits after Arabic letters, separators between
    digits) and line breaking. Names do not need those to be judged.
    """
    para = _first_strong(text, 0) or 0
    # Each entry: (level, override direction or None, is an isolate).
    stack: list[tuple[int, int | None, bool]] = [(para, None, False)]
    chars: list[str] = []
    levels: list[int] = []
    dirs: list[int | None] = []  # strong direction after overrides; None: weak or neutral
    for i, ch in enumerate(text):
        level, override, _ = stack[-1]
        if ch in (_LRE, _RLE, _LRO, _RLO, _LRI, _RLI, _FSI):
            # FSI takes the direction of the first strong character it encloses (rule P2).
            rtl = _first_strong(text, i + 1) == 1 if ch == _FSI else ch in (_RLE, _RLO, _RLI)
            isolate = ch in (_LRI, _RLI, _FSI)
            if isolate:  # the initiator itself sits in the outer embedding, as a neutral
                chars.append("")
                levels.append(level)
                dirs.append(override)
            new_level = (level + 1) | 1 if rtl else (level + 2) & ~1
            if new_level <= _MAX_DEPTH:
                forced = None if ch in (_LRE, _RLE, _LRI, _RLI, _FSI) else int(rtl)
                stack.append((new_level, forced, isolate))
            continue
        if ch == _PDF:
            if len(stack) > 1 and not stack[-1][2]:
                stack.pop()
            continue
        if ch == _PDI:
            while len(stack) > 1 and not stack[-1][2]:
                stack.pop()
            if len(stack) > 1:
                stack.pop()
            level, override, _ = stack[-1]
            chars.append("")
            levels.append(level)
            dirs.append(override)
            continue
        chars.append(ch)
        levels.append(level)
        dirs.append(override if override is not None else _strong(unicodedata.bidirectional(ch)))
    # Neutrals and weak characters: the strong direction on both sides if it agrees, else the
    # embedding direction (the paragraph edges count as the embedding direction).
    n = len(chars)
    resolved: list[int] = []
    for i in range(n):
        own = dirs[i]
        if own is not None:
            resolved.append(own)
            continue
        embedding = levels[i] & 1
        before = next((dirs[j] for j in range(i - 1, -1, -1) if dirs[j] is not None), None)
        after = next((dirs[j] for j in range(i + 1, n) if dirs[j] is not None), None)
        before = embedding if before is None else before
        after = embedding if after is None else after
        if unicodedata.bidirectional(chars[i] or " ") in ("EN", "AN") and before == 1:
            resolved.append(2)  # digits after right-to-left text: a left-to-right number
        else:
            resolved.append(before if before == after else embedding)
    final: list[int] = []
    for level, direction in zip(levels, resolved, strict=True):
        if direction == 2:
            final.append(level + 2 if level % 2 == 0 else level + 1)
        elif direction == 1:
            final.append(level if level % 2 else level + 1)
        else:
            final.append(level + 1 if level % 2 else level)
    order = list(range(n))
    top = max(final, default=0)
    lowest_odd = min((lv for lv in final if lv % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < n:
            if final[order[i]] >= level:
                j = i
                while j < n and final[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    out = []
    for k in order:
        ch = chars[k]
        out.append(_MIRROR.get(ch, ch) if final[k] % 2 else ch)
    return "".join(out)


def _load_backend() -> tuple[Callable[[str], str], str]:
    try:
        icu: Any = importlib.import_module("icu")
    except ImportError:
        return explicit_subset_order, "builtin-subset"
    options = icu.Bidi.DO_MIRRORING | icu.Bidi.REMOVE_BIDI_CONTROLS
    default_ltr = icu.Bidi.DEFAULT_LTR

    def reorder(text: str) -> str:
        bidi = icu.Bidi()  # one per call: a shared one would not be thread-safe (~1 µs)
        bidi.setPara(icu.UnicodeString(text), default_ltr)
        return str(bidi.writeReordered(options))

    return reorder, f"ICU {icu.ICU_VERSION}"


_reorder, BIDI_BACKEND = _load_backend()


def visual_order(text: str) -> str:
    """``text`` in display order, bidi controls removed: ``"\\u202e服客"`` -> ``"客服"``.

    Text without bidirectional content is returned as it is. The paragraph direction comes
    from the first strong character (left-to-right when there is none), as chat clients do.
    """
    if not needs_reordering(text):
        return text
    return _reorder(text)
