"""Name normalisation for the impostor guard: small pure functions, composed by `normalize_name`.

A scammer's copy of an official name differs from it only in ways a reader does not see:
compatibility forms (full-width ``ｓｕｐｐｏｒｔ``, math bold), invisible characters (zero-width
space, U+3164 Hangul filler, braille blank), traditional characters (``售後``), look-alike
letters from other scripts (Cyrillic ``Ѕuррort``), decorations (emoji, punctuation, spacing) and
homophones (``官芳客服``, ``guanfang kefu``, ``gfkf``). Each function below removes one of those
differences; `normalize_name` applies them all once and caches the result.

Confusable skeletons (Unicode TR39) come from ICU's ``SpoofChecker`` through PyICU. Why ICU:
it is the reference implementation of UTS #39, maintained with every Unicode release, works
offline (the data is inside the ICU library, no download at run time), and is fast (about half
a microsecond per call). The machines of this project ship ``libicu-dev`` and a compiler, so
``pip install PyICU`` builds. Pure-Python alternatives were rejected: ``confusable_homoglyphs``
keeps only an undirected "confusable with" relation (it loses the prototype, so no skeleton),
and ``confusables`` has not been updated since Unicode 13. When PyICU is missing the module
still works with a small built-in table of the common Cyrillic/Greek look-alikes
(`SKELETON_BACKEND` says which one is in use).
"""

from __future__ import annotations

import importlib
import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import opencc
import regex

from core.guard.pinyin import han_pinyin

__all__ = [
    "SKELETON_BACKEND",
    "NormalizedName",
    "Symbol",
    "casefold",
    "comparison_key",
    "confusable_skeleton",
    "fold_confusables",
    "initials_key",
    "is_han",
    "is_pinyin_like",
    "nfkc",
    "normalize_name",
    "pinyin_key",
    "strip_invisible",
    "strip_marks",
    "to_simplified",
    "visual_key",
]

log = logging.getLogger(__name__)

#: Longest name (in characters) that is analysed; platform names are far shorter
#: (Telegram 64, Discord 32), so anything longer is a message pasted as a name.
MAX_NAME_CHARS = 128

# --- invisible and filler characters -------------------------------------------------------
# Default_Ignorable_Code_Point covers zero-width characters, variation selectors, tag
# characters, the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), soft hyphen, CGJ...
# Cf (format) and Cc (control) are added for the bidi controls and the like; U+2800 (braille
# pattern blank) and a few blank-looking symbols are not ignorable but render as nothing.
_INVISIBLE = regex.compile(
    r"[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}"
    r"\u115F\u1160\u3164\uFFA0\u2800\u180E\u200B-\u200F\u2060-\u206F\uFEFF"
    r"\U000E0000-\U000E0FFF\uFFFC\u1CBB\u1CBC]+"
)
_MARKS = regex.compile(r"[\p{Mn}\p{Me}]+")
_HAN = regex.compile(r"\p{Han}")
_SPACES = regex.compile(r"\s+")
_NOT_ALNUM = regex.compile(r"[^\p{L}\p{N}]+")


def nfkc(text: str) -> str:
    """Unicode NFKC: full-width and compatibility forms become their plain letters/digits."""
    return unicodedata.normalize("NFKC", text)


def strip_invisible(text: str) -> str:
    """Remove zero-width, format, filler and other characters that render as nothing."""
    return str(_INVISIBLE.sub("", text))


def strip_marks(text: str) -> str:
    """Remove combining marks (accents, strike-through, Zalgo): ``Suppórt`` -> ``Support``."""
    decomposed = unicodedata.normalize("NFD", text)
    if decomposed == text and not _MARKS.search(text):
        return text
    return unicodedata.normalize("NFC", str(_MARKS.sub("", decomposed)))


@lru_cache(maxsize=1)
def _t2s() -> Any:
    # Creating an OpenCC converter parses its dictionaries: do it once per process.
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> simplified Chinese with OpenCC ``t2s`` (``售後`` -> ``售后``)."""
    if text.isascii():
        return text
    return str(_t2s().convert(text))


def casefold(text: str) -> str:
    """Unicode case folding (stronger than ``lower()``)."""
    return text.casefold()


def is_han(ch: str) -> bool:
    """True for a Chinese character (Unicode script Han)."""
    return _HAN.match(ch) is not None


# --- confusable skeleton (TR39) ------------------------------------------------------------
_FALLBACK_CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "с": "c", "ԁ": "d", "е": "e", "һ": "h", "і": "i", "ј": "j", "к": "k",
    "м": "m", "н": "h", "о": "o", "р": "p", "ԛ": "q", "ѕ": "s", "т": "t", "у": "y", "х": "x",
    "ԝ": "w", "ӏ": "l", "ь": "b", "г": "r", "п": "n", "ѵ": "v", "ү": "y",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ϲ": "c", "ϳ": "j", "ζ": "z",
    # Latin extensions and others
    "ı": "i", "ɑ": "a", "ɡ": "g", "ɩ": "i", "ℓ": "l", "ꜱ": "s",
}  # fmt: skip


def _load_icu_skeleton() -> tuple[Callable[[str], str], str]:
    try:
        icu: Any = importlib.import_module("icu")
    except ImportError:
        log.warning(
            "PyICU is not installed: confusable skeletons use a small built-in table "
            "(install PyICU for full Unicode TR39 coverage)"
        )

        def fallback(text: str) -> str:
            return "".join(_FALLBACK_CONFUSABLES.get(ch, ch) for ch in text)

        return fallback, "builtin-table"
    checker = icu.SpoofChecker()

    def skeleton(text: str) -> str:
        return str(checker.getSkeleton(0, text))

    return skeleton, f"ICU {icu.ICU_VERSION} (Unicode {icu.UNICODE_VERSION})"


_skeleton_impl, SKELETON_BACKEND = _load_icu_skeleton()


def confusable_skeleton(text: str) -> str:
    """The Unicode TR39 skeleton of ``text``: look-alikes map to one prototype.

    ``skeleton("Ѕuррort") == skeleton("Support")``. Case is kept (TR39 is case-sensitive);
    use `fold_confusables` for the case-insensitive, Han-preserving fold used in keys.
    """
    return _skeleton_impl(text)


# Small capitals and a few letter-like symbols that TR39 does not map (they are "distinct"
# letters in IPA) but that read as plain Latin letters in a display name.
_EXTRA_FOLD = {
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h", "ɪ": "i",
    "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ꞯ": "q", "ʀ": "r",
    "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z", "ᵃ": "a",
}  # fmt: skip
_REGIONAL_A = 0x1F1E6  # regional indicator symbols (flag letters) 🇦..🇿


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if ch.isascii() or is_han(ch):
        return ch
    code = ord(ch)
    if _REGIONAL_A <= code <= _REGIONAL_A + 25:
        return chr(ord("a") + code - _REGIONAL_A)
    extra = _EXTRA_FOLD.get(ch)
    if extra is not None:
        return extra
    if unicodedata.category(ch)[0] not in "LN":
        return ch  # punctuation, symbols, emoji: dropped from keys later
    if unicodedata.category(ch) == "Nd":
        return str(unicodedata.decimal(ch))
    # Capitals first (Greek "Χ" looks like "X", its lower case "χ" like nothing ASCII), then
    # the lower case ("Ѕ" and "ѕ" both look like "s").
    for form in (ch, ch.casefold()):
        folded = nfkc(confusable_skeleton(form)).casefold()
        if folded and all((c.isascii() and c.isalnum()) or is_han(c) for c in folded):
            return folded
    return ch


def fold_confusables(text: str) -> str:
    """Map look-alike letters of other scripts to ASCII (or Han), case-insensitively.

    Uses the TR39 skeleton per character, keeping a character when its prototype is neither
    ASCII nor Han (so Chinese text is never altered), plus small capitals and flag letters.
    ASCII is left as it is: ``m`` is not turned into ``rn`` (see `visual_key` for that).
    """
    if text.isascii():
        return text
    return "".join(_fold_char(ch) for ch in text)


# --- keys -----------------------------------------------------------------------------------
_VISUAL_PAIRS = (("rn", "m"), ("vv", "w"), ("cl", "d"))
_VISUAL_TABLE = str.maketrans(
    {"l": "i", "1": "i", "|": "i", "!": "i", "0": "o", "5": "s", "3": "e", "4": "a", "7": "t",
     "8": "b", "9": "g", "2": "z", "6": "b", "$": "s", "@": "a"}
)  # fmt: skip


def visual_key(key: str) -> str:
    """Fold ASCII look-alikes that TR39 keeps apart after case folding.

    ``xlnghe`` / ``x1nghe`` / ``xinghe``, ``supp0rt`` / ``support``, ``adrnin`` / ``admin``
    all get the same visual key. Only for comparing with official names: it is lossy.
    """
    for a, b in _VISUAL_PAIRS:
        key = key.replace(a, b)
    return key.translate(_VISUAL_TABLE)


_PINYIN_INITIAL = r"(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])"
_PINYIN_FINAL = (
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|in|un|vn"
    r"|ia|ie|iu|ua|uo|ue|ve|ui|er|a|o|e|i|u|v)"
)
_PINYIN_ZERO_INITIAL = r"(?:ang|eng|ai|ei|ao|ou|an|en|er|a|o|e)"
_PINYIN_SYLLABLE = rf"(?:{_PINYIN_INITIAL}{_PINYIN_FINAL}|{_PINYIN_ZERO_INITIAL})"
_PINYIN_WORD = re.compile(rf"(?:{_PINYIN_SYLLABLE}){{1,4}}")


def is_pinyin_like(word: str) -> bool:
    """True if ``word`` (ASCII lower case) reads as 1-4 toneless pinyin syllables (``xiaowang``)."""
    return _PINYIN_WORD.fullmatch(word) is not None


class Symbol(NamedTuple):
    """One unit of a comparison key: a Han character, an ASCII letter or a digit.

    ``kind`` is ``"h"`` (Han), ``"l"`` (ASCII letter), ``"d"`` (digit) or ``"o"`` (another
    letter, e.g. kana); ``py`` is the toneless pinyin of a Han character (else the character);
    ``word`` numbers the separator-delimited words of the original name (a change between Han
    and other letters starts a word too); ``seg`` numbers its segments, the runs between
    punctuation, brackets, bars, dashes or emoji, whatever the script (spaces, ``_``, ``.``
    and apostrophes join words of one segment: ``Xinghe Support fan`` is one segment).
    """

    ch: str
    kind: str
    py: str
    word: int
    seg: int = 0


@dataclass(frozen=True, slots=True)
class NormalizedName:
    """Every form of a name that the guard compares.

    ``text`` is readable (invisibles removed, NFKC, simplified, look-alikes folded, spaces
    collapsed); ``key`` keeps only lower-case Han, letters and digits; ``visual`` is
    `visual_key` of the key; ``pinyin`` and ``initials`` are the toneless pinyin of the key
    and its initials (letters and digits kept as they are). ``steps`` names the
    normalisation steps that changed the name (``invisible``, ``nfkc``, ``traditional``,
    ``marks``, ``confusable``, ``case``, ``separators``, ``leet``).
    """

    raw: str
    text: str
    key: str
    visual: str
    pinyin: str
    initials: str
    steps: frozenset[str]
    symbols: tuple[Symbol, ...]


_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b"})


# Characters between words that do not end a segment (see `Symbol`).
_WORD_JOINERS = frozenset(" _.'’`")


def _split_symbols(text: str) -> list[Symbol]:
    """Cut folded text into symbols, numbering words; digits inside words become letters."""
    raw: list[tuple[str, str, int]] = []
    segs: list[int] = []
    word = 0
    seg = 0
    broken = False  # a separator other than a word joiner since the last symbol
    prev_kind = ""
    for ch in text:
        if is_han(ch):
            kind = "h"
        elif ch.isascii() and ch.isalpha():
            kind = "l"
        elif ch.isascii() and ch.isdigit():
            kind = "d"
        elif unicodedata.category(ch)[0] in "LN":
            kind = "o"
        else:
            if ch not in _WORD_JOINERS:
                broken = True
            prev_kind = ""
            continue
        if broken and raw:
            seg += 1
        broken = False
        if not prev_kind or (kind == "h") != (prev_kind == "h"):
            word += 1
        raw.append((ch.lower(), kind, word))
        segs.append(seg)
        prev_kind = kind
    # Leet inside a Latin word: a single digit between letters ("adm1n", "supp0rt") or a
    # single leading digit before 3+ letters ("5upport") reads as a letter. Trailing digits
    # ("kefu01") are a number, kept as digits.
    out: list[Symbol] = []
    n = len(raw)
    for i, (ch, kind, w) in enumerate(raw):
        if kind == "d" and ch in "0134578":
            before = i > 0 and raw[i - 1][1] == "l" and raw[i - 1][2] == w
            after = i + 1 < n and raw[i + 1][1] == "l" and raw[i + 1][2] == w
            lone = not (i > 0 and raw[i - 1][1] == "d" and raw[i - 1][2] == w) and not (
                i + 1 < n and raw[i + 1][1] == "d" and raw[i + 1][2] == w
            )
            leading = (
                not before
                and lone
                and i + 3 < n
                and all(raw[j][1] == "l" and raw[j][2] == w for j in range(i + 1, i + 4))
            )
            if lone and ((before and after) or leading):
                out.append(Symbol(ch.translate(_LEET), "l", ch.translate(_LEET), w, segs[i]))
                continue
        out.append(Symbol(ch, kind, ch, w, segs[i]))
    return out


def _with_pinyin(symbols: list[Symbol]) -> tuple[Symbol, ...]:
    """Fill ``py`` of Han symbols, one Han run at a time (phrase context, see `han_pinyin`)."""
    result = list(symbols)
    i = 0
    n = len(result)
    while i < n:
        if result[i].kind != "h":
            i += 1
            continue
        j = i
        while j < n and result[j].kind == "h":
            j += 1
        run = "".join(s.ch for s in result[i:j])
        for k, syl in enumerate(han_pinyin(run)):
            result[i + k] = result[i + k]._replace(py=syl.replace("ü", "v"))
        i = j
    return tuple(result)


@lru_cache(maxsize=8192)
def normalize_name(name: str) -> NormalizedName:
    """Apply every normalisation step to a display name or username (cached)."""
    steps: set[str] = set()
    text = name[:MAX_NAME_CHARS]
    step = strip_invisible(text)
    if step != text:
        steps.add("invisible")
    text = step
    step = nfkc(text)
    if step != text:
        steps.add("nfkc")
    text = strip_invisible(step)  # NFKC maps some fillers to other fillers (U+3164 -> U+1160)
    step = strip_marks(text)
    if step != text:
        steps.add("marks")
    text = step
    step = to_simplified(text)
    if step != text:
        steps.add("traditional")
    text = step
    step = fold_confusables(text)
    if step != text:
        steps.add("confusable")
    text = step
    step = casefold(text)
    if step != text:
        steps.add("case")
    text = str(_SPACES.sub(" ", step)).strip()
    symbols = _with_pinyin(_split_symbols(text))
    key = "".join(s.ch for s in symbols)
    compact = str(_NOT_ALNUM.sub("", text))
    if compact != text:
        steps.add("separators")
    if compact != key:
        steps.add("leet")  # a digit read as a letter: "adm1n", "supp0rt"
    return NormalizedName(
        raw=name,
        text=text,
        key=key,
        visual=visual_key(key),
        pinyin="".join(s.py for s in symbols),
        initials="".join(s.py[0] if s.kind == "h" else s.ch for s in symbols),
        steps=frozenset(steps),
        symbols=symbols,
    )


def comparison_key(name: str) -> str:
    """The comparison key of a name: ``"星河售後-小雅​"`` -> ``"星河售后小雅"``."""
    return normalize_name(name).key


def pinyin_key(name: str) -> str:
    """Toneless pinyin of the comparison key: ``"官芳客服"`` -> ``"guanfangkefu"``."""
    return normalize_name(name).pinyin


def initials_key(name: str) -> str:
    """Pinyin initials of the comparison key: ``"官方客服"`` -> ``"gfkf"``."""
    return normalize_name(name).initials
