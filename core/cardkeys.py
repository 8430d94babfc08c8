"""Card-key detection from the shop's key formats, in any spelling, in linear time.

A format is written like ``XXXX-XXXX-XXXX-XXXX`` (the default, the demo shop's keys):

* ``X`` a letter or digit, ``#`` a digit, ``@`` a letter; any other ASCII letter or digit
  stands for itself (``GC-XXXX-XXXX``); ``-`` marks where the groups meet.
* 8 to 64 characters besides the dashes.

Buyers write the same key many ways: ``XH7K 9P2M 4Q8R 1T6W``, ``xh7k_9p2m_4q8r_1t6w``,
``XH7K9P2M4Q8R1T6W``, full width ``ＸＨ７Ｋ－９Ｐ２Ｍ…``. The text is folded first, one
character for one (NFKC to ASCII letters, digits and spaces; ``·`` ``—`` and the other dashes
to ``-``), and a key is a stretch that spells a format in any letter case with up to three
separators (space, ``-``, ``_``, ``.``) or none where its groups meet, and nowhere else.

A match must also look like a key rather than words or numbers (for formats that allow both
letters and digits): it holds a digit and a letter (so a key made only of letters, about 1
in 100 random keys, is missed: ``WELL-DONE-GOOD-GAME`` must not be one); written with spaces,
one of its written parts mixes letters and digits (``hope 2026 will have`` is chat); a third
of its characters are different (``HAHAHAHA…``); it is not an order number
(``shop.order_pattern``); it is not glued by ``-`` ``_`` ``.`` to more letters and digits (a
UUID is not a key), nor the command word of ``/card …``; inside a link it has separators (a
link's compact id such as a video id is left alone). Where two matches overlap
(``code XH7K 9P2M 4Q8R 1T6W``) the one with more groups holding a digit wins, then the one
written in one letter case.

:meth:`CardKeyDetector.mask` adds a safety net for logs and stored text: any other token of
16+ letters and digits joined by ``-`` ``_`` ``.`` (no spaces), with both letters and digits,
outside links, that is not an order number, is masked too. Deleting a group message uses
the precise matches only.

Linear time: the patterns have fixed-length groups, bounded separators and no nested
repetition, and Python looks only at their matches.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

DEFAULT_CARD_KEY_FORMATS: tuple[str, ...] = ("XXXX-XXXX-XXXX-XXXX",)

MIN_KEY_LENGTH = 8
MAX_KEY_LENGTH = 64
# The safety net in masking: tokens with at least this many letters and digits are hidden.
BROAD_MIN_LENGTH = 16

_ALNUM = "A-Za-z0-9"
# Up to three separators where two groups of a key meet.
_SEPARATORS = r"[-_.\s]{0,3}"
_TIGHT = "-_."
# Non-ASCII dashes and dots people type between groups; NFKC does not make them "-".
_DASHES = frozenset("·・‐‑‒–—―−﹘﹣")
_SLOT_CLASS = {"X": "[A-Za-z0-9]", "#": "[0-9]", "@": "[A-Za-z]"}
_SPACE = re.compile(r"\s")
_SEPARATOR_RUN = re.compile(r"[-_.\s]+")
# A key is not glued by "-" "_" "." (one to three) to more letters and digits: a UUID is not one.
# Nor is the command word of "/card …".
_NOT_GLUED_BEFORE = rf"(?<!^/)(?<!\s/)(?<![{_ALNUM}])" + "".join(
    rf"(?<![{_ALNUM}][-_.]{{{n}}})" for n in (1, 2, 3)
)
_NOT_GLUED_AFTER = rf"(?![{_ALNUM}])(?![-_.]{{1,3}}[{_ALNUM}])"
_FLAGS = re.ASCII
_TIGHT_TOKEN = re.compile(
    rf"(?<![{_ALNUM}])(?<![{_ALNUM}][-_.])(?=[-_.{_ALNUM}]{{{BROAD_MIN_LENGTH}}})"
    rf"[{_ALNUM}]+(?:[-_.][{_ALNUM}]+)*"
)
# A run of printable ASCII holding a scheme, "www." or "domain.tld/".
_LINK = re.compile(
    r"(?<![!-~])[!-~]*?(?:://|www\.|[A-Za-z0-9]\.[A-Za-z]{2,24}(?::[0-9]{1,5})?/)[!-~]*",
    re.IGNORECASE,
)
_DROP_SEPARATORS = str.maketrans("", "", "-_. \t\n\r\x0b\x0c")


def mask_card_key(key: str) -> str:
    """A key with at most its first 4 and last 2 characters kept: ``XH7K****6W``."""
    compact = unicodedata.normalize("NFKC", key).strip()
    if len(compact) <= 6:
        return "*" * len(compact)
    return f"{compact[:4]}****{compact[-2:]}"


@cache
def _fold_table() -> dict[int, str]:
    """Non-ASCII characters that read as an ASCII letter, digit, space or separator."""
    table: dict[int, str] = {ord(ch): "-" for ch in _DASHES}
    for block in (range(0x80, 0x3400), range(0xFE30, 0x10000), range(0x1D400, 0x1D800)):
        for code in block:
            folded = unicodedata.normalize("NFKC", chr(code))
            if len(folded) != 1 or code in table:
                continue
            if folded.isspace():
                table[code] = " "
            elif folded.isascii() and (folded.isalnum() or folded in _TIGHT):
                table[code] = folded
            elif folded in _DASHES:
                table[code] = "-"
    return table


def fold(text: str) -> str:
    """The text as the detector reads it, one character for one (so spans carry over)."""
    return text if text.isascii() else text.translate(_fold_table())


@dataclass(frozen=True)
class KeyFormat:
    """One parsed format: its groups and the pattern that finds it written any way."""

    text: str
    groups: tuple[int, ...]
    finder: re.Pattern[str]  # every start of a written key, overlapping, as a lookahead
    mixed: bool  # letters and digits may both occur: the key-or-words checks apply

    def canonical(self, groups: Sequence[str]) -> str:
        return "-".join(groups).upper()


def _slot(ch: str) -> str:
    if ch in _SLOT_CLASS:
        return _SLOT_CLASS[ch]
    return f"[{ch.upper()}{ch.lower()}]" if ch.isalpha() else ch


def _group_pattern(group: str) -> str:
    """``XXXX`` → ``[A-Za-z0-9]{4}``: runs of one slot as one repeat (cheaper to match)."""
    parts = []
    at = 0
    while at < len(group):
        run = at
        while run < len(group) and group[run] == group[at]:
            run += 1
        slot = _slot(group[at])
        parts.append(slot if run - at == 1 else f"{slot}{{{run - at}}}")
        at = run
    return "".join(parts)


def parse_format(text: str) -> KeyFormat:
    """Parse ``XXXX-XXXX``-style format text; ValueError (phrased for an operator) if bad."""
    groups = text.split("-")
    if any(not group for group in groups):
        raise ValueError(f"{text!r}: groups are joined by single dashes, none empty")
    body = "".join(groups)
    bad = sorted({ch for ch in body if not (ch.isascii() and (ch.isalnum() or ch in "#@"))})
    if bad:
        raise ValueError(
            f"{text!r}: use X (letter or digit), # (digit), @ (letter), literal letters or "
            f"digits and - between groups; not {''.join(bad)!r}"
        )
    if not MIN_KEY_LENGTH <= len(body) <= MAX_KEY_LENGTH:
        raise ValueError(
            f"{text!r}: a key format has {MIN_KEY_LENGTH} to {MAX_KEY_LENGTH} characters "
            f"besides the dashes, not {len(body)}"
        )
    written = _SEPARATORS.join(f"({_group_pattern(group)})" for group in groups)
    finder = re.compile(rf"{_NOT_GLUED_BEFORE}(?=({written}){_NOT_GLUED_AFTER})", _FLAGS)
    letters = any(ch in "X@" or ch.isalpha() for ch in body)
    digits = any(ch in "X#" or ch.isdigit() for ch in body)
    return KeyFormat(
        text=text,
        groups=tuple(len(group) for group in groups),
        finder=finder,
        mixed=letters and digits and "X" in body,
    )


@dataclass(frozen=True)
class CardKeyMatch:
    """A key found in a text: where it was written (in the original text) and its form."""

    start: int
    end: int
    key: str  # canonical: upper case, the format's dashes


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    key: str
    score: int  # of overlapping candidates the higher is the better reading (_score)


class _Links:
    """Where the links are in a folded text (looked for only when a candidate asks)."""

    def __init__(self, folded: str) -> None:
        self._folded = folded
        self._starts: list[int] | None = None
        self._ends: list[int] = []

    def covers(self, index: int) -> bool:
        if self._starts is None:
            spans = [found.span() for found in _LINK.finditer(self._folded)]
            self._starts = [start for start, _ in spans]
            self._ends = [end for _, end in spans]
        at = bisect.bisect_right(self._starts, index) - 1
        return at >= 0 and index < self._ends[at]


def _digit_groups(groups: Sequence[str]) -> int:
    return len(groups) - [group.isalpha() for group in groups].count(True)


def _score(digit_groups: int, compact: str) -> int:
    """More groups holding a digit, then one letter case: ``card XH7K 9P2M 4Q8R 1T6W``."""
    return 2 * digit_groups + (compact.isupper() or compact.islower())


class CardKeyDetector:
    """Finds and masks card keys of the configured formats (see the module docstring)."""

    def __init__(
        self, formats: Iterable[str] = DEFAULT_CARD_KEY_FORMATS, *, order_pattern: str = ""
    ) -> None:
        self.formats = tuple(parse_format(text) for text in formats)
        if not self.formats:
            raise ValueError("at least one card key format is needed")
        self._order = re.compile(order_pattern.strip("^$"), re.I) if order_pattern else None

    def _is_order_number(self, compact: str) -> bool:
        return self._order is not None and self._order.fullmatch(compact) is not None

    def _is_key(
        self, links: _Links, fmt: KeyFormat, start: int, written: str, compact: str
    ) -> bool:
        """The checks beyond the format's shape, cheapest first (see the module docstring)."""
        if fmt.mixed:
            if compact.isdigit() or compact.isalpha():
                return False  # an id or a word
            if len(set(compact.upper())) * 3 < len(compact):
                return False  # HAHAHAHA…
            if len(written) != len(compact) and _SPACE.search(written):
                groups = _SEPARATOR_RUN.split(written)
                if all(group.isalpha() or group.isdigit() for group in groups):
                    return False  # words and numbers: "hope 2026 will have"
        if self._is_order_number(compact):
            return False
        return len(written) != len(compact) or not links.covers(start)

    def _find_format(self, folded: str, links: _Links, fmt: KeyFormat) -> list[_Candidate]:
        """Left to right; of overlapping keys keep the best reading (the first on a tie)."""
        chosen: list[_Candidate] = []
        best = 2 * len(fmt.groups) + 1  # no overlapping reading can beat this score
        at = 0
        while (found := fmt.finder.search(folded, at)) is not None:
            start, groups = found.start(), found.groups()[1:]
            at = start + 1
            digit_groups = _digit_groups(groups)
            overlaps = bool(chosen) and start < chosen[-1].end
            if overlaps and 2 * digit_groups + 1 <= chosen[-1].score:
                continue  # cannot be the better reading: not checked further
            written, compact = found.group(1), "".join(groups)
            score = _score(digit_groups, compact)
            if overlaps and score <= chosen[-1].score:
                continue
            if not self._is_key(links, fmt, start, written, compact):
                continue
            candidate = _Candidate(start, start + len(written), fmt.canonical(groups), score)
            if overlaps:
                chosen[-1] = candidate
            else:
                chosen.append(candidate)
            if score == best:
                at = candidate.end
        return chosen

    def _find(self, folded: str, links: _Links) -> list[CardKeyMatch]:
        if len(self.formats) == 1:
            chosen = self._find_format(folded, links, self.formats[0])
        else:  # the same choice between the formats' readings
            found = sorted(
                (c for fmt in self.formats for c in self._find_format(folded, links, fmt)),
                key=lambda c: c.start,
            )
            chosen = []
            for candidate in found:
                if chosen and candidate.start < chosen[-1].end:
                    if candidate.score > chosen[-1].score:
                        chosen[-1] = candidate
                    continue
                chosen.append(candidate)
        return [CardKeyMatch(c.start, c.end, c.key) for c in chosen]

    def find(self, text: str) -> list[CardKeyMatch]:
        """The keys in ``text``, in order (never log or echo them)."""
        folded = fold(text)
        return self._find(folded, _Links(folded))

    def contains(self, text: str) -> bool:
        return bool(self.find(text))

    def mask(self, text: str) -> str:
        """``text`` with every key, and every other long key-like token, masked in place."""
        folded = fold(text)
        links = _Links(folded)
        spans = [(m.start, m.end, mask_card_key(m.key)) for m in self._find(folded, links)]
        spans += self._broad_spans(folded, links, spans)
        if not spans:
            return text
        spans.sort()
        out, at = [], 0
        for start, end, shown in spans:
            out.append(text[at:start])
            out.append(shown)
            at = end
        out.append(text[at:])
        return "".join(out)

    def _broad_spans(
        self, folded: str, links: _Links, taken: Sequence[tuple[int, int, str]]
    ) -> list[tuple[int, int, str]]:
        """The safety net: long tight tokens with letters and digits, outside links."""
        spans = []
        taken_starts = [start for start, _, _ in taken]  # sorted, not overlapping
        for found in _TIGHT_TOKEN.finditer(folded):
            compact = found.group(0).translate(_DROP_SEPARATORS)
            if len(compact) < BROAD_MIN_LENGTH or compact.isdigit() or compact.isalpha():
                continue
            start, end = found.span()
            before = bisect.bisect_left(taken_starts, end) - 1
            if before >= 0 and taken[before][1] > start:
                continue  # overlaps a key found precisely
            if self._is_order_number(compact) or links.covers(start):
                continue
            spans.append((start, end, mask_card_key(compact)))
        return spans
