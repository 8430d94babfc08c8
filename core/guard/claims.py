"""Role claims: does a name present itself as staff ("官方客服", "售后-小雅", "Support Team")?

The name's normalised symbols are segmented (dynamic programming, fewest uncovered
characters) into vocabulary words of a few categories:

* ``role``: staff-role words (configured ones plus built-in synonyms), matched literally, by
  pinyin spelled in Latin (``kefu``, ``guanfang``) or by Chinese homophone (``官芳`` for
  ``官方``). A homophone counts only next to literal evidence (another role word, the brand,
  a staff word): common words collide with role words in pinyin (``克服`` = ``客服`` = kefu).
* ``brand``: the shop's name, its distinctive core (``星河`` in ``星河卡盟``) and their pinyin.
* ``persona``: the personal part of an official account's name (``小雅`` in ``星河售后-小雅``).
* ``weak``: role-ish words too common alone (``财务``, ``人工``, ``help``, ``cs``, ``gf``): a
  Han one counts in a name with the brand or an agent's name, a Latin one only right next to
  the brand or a counted role word (``xinghe_help``, ``GF星河``).
* ``staff`` / ``generic``: words that complete a staff name (``主管``, ``团队``, ``agent``) or
  name the kind of shop (``卡盟``, ``商城``).
* ``disclaimer``: warnings in the account's own voice (``假冒必究``, ``谨防他人冒充``): after a
  role or brand word they are decoration, before any they are benign context.
* ``benign``: context that shows the name is not a claim (``骗子``, ``吗``, ``玩家``, ``fans``).

A name is a claim when role words (or brand + persona) make up its main part: nothing benign,
and what is left over is at most a short personal name (two Han characters, or one short Latin
word). Substring hits are not enough: ``官方客服是骗子吗`` or ``克服困难`` are not claims, nor
is a Latin word that merely contains a role word (``supportive``, ``badminton``, ``Staffy``),
nor a role word spelled in pinyin among English words (``Guanfang Lake Trip``).

Decoration never lowers a claim that the brand and a role already make: when some run of the
name's segments (the parts between brackets, bars, dashes and other punctuation; spaces and
``_`` join words into one phrase) is a brand claim on its own, benign words or a long tail in
the other segments do not cancel it
(``星河卡盟售后-您的专属顾问``, ``星河卡盟官方客服（假冒必究）``); a name that runs on without a
break (``星河卡盟官方客服都不回消息``) is still read as a sentence.
The word lists are in `core.guard.words`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from core.guard.normalize import NormalizedName, Symbol, is_pinyin_like, normalize_name
from core.guard.words import (
    BENIGN_WORDS,
    BUILTIN_ROLE_WORDS,
    DISCLAIMER_WORDS,
    GENERIC_SHOP_WORDS,
    NEUTRAL_WORDS,
    ROLE_ABBREVIATIONS,
    STAFF_WORDS,
    WEAK_ROLE_WORDS,
)

__all__ = [
    "BENIGN_WORDS",
    "BUILTIN_ROLE_WORDS",
    "DISCLAIMER_WORDS",
    "GENERIC_SHOP_WORDS",
    "ROLE_ABBREVIATIONS",
    "STAFF_WORDS",
    "WEAK_ROLE_WORDS",
    "Claim",
    "ClaimAnalyzer",
    "Token",
]

# Categories in priority order: a word listed in two categories takes the first.
_CATEGORIES = (
    "role", "weak", "brand", "persona", "benign", "disclaimer", "staff", "generic", "neutral",
)  # fmt: skip

# Left-overs that make a Latin word another English word ("officially", "admined", "staffy").
_ENGLISH_SUFFIXES = frozenset({"ly", "ed", "er", "ing", "ive", "ion", "y", "ie"})

# Rules whose verdict decoration in other segments may not lower (brand plus role or agent).
_BRAND_CLAIMS = frozenset({"brand-role", "brand-persona"})

# An English possessive ("admin's cat") talks about someone else.
_POSSESSIVE = re.compile(r"[a-z]['’`]s\b")

# DP costs: an uncovered Han character weighs as much as a short Latin word.
_UNCOVERED = {"h": 1.0, "o": 1.0, "l": 0.3, "d": 0.0}
_TOKEN_COST = 0.01
_HOMOPHONE_COST = 0.02

# A claim may carry this much that is not vocabulary (a personal name, a nickname).
MAX_REST_HAN = 3
MAX_REST_LATIN = 8
MAX_NAME_KEY = 20  # longer names (in Han-character units) are sentences, not names


class Token(NamedTuple):
    """A vocabulary word found in a name. ``match``: ``literal`` or ``homophone``."""

    category: str
    word: str
    text: str
    match: str
    start: int
    end: int


_Relax = Callable[[int, float, int, "Token | None"], None]


@dataclass(frozen=True, slots=True)
class Claim:
    """What a name claims: score in 0..1, a Chinese reason and the rule that fired."""

    score: float
    reason: str
    rule: str
    tokens: tuple[Token, ...]


def _split_brand(brand_key: str) -> list[str]:
    """The brand and its distinctive core: ``星河卡盟`` -> [``星河卡盟``, ``星河``]."""
    words = [brand_key]
    for generic in sorted(GENERIC_SHOP_WORDS, key=len, reverse=True):
        g = normalize_name(generic).key
        if brand_key.endswith(g) and len(brand_key) > len(g):
            words.append(brand_key[: -len(g)])
            break
        if brand_key.startswith(g) and len(brand_key) > len(g):
            words.append(brand_key[len(g) :])
            break
    return [w for w in words if len(w) >= 2]


class ClaimAnalyzer:
    """Segments names into vocabulary words and scores staff/brand claims."""

    def __init__(
        self,
        *,
        brand: str,
        role_words: Sequence[str],
        official_names: Iterable[str] = (),
    ) -> None:
        self._han: dict[str, str] = {}
        self._latin: dict[str, str] = {}
        self._homophones: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        self._initials: set[str] = set()
        self.brand_key = normalize_name(brand).key
        self.brand_words = _split_brand(self.brand_key) if self.brand_key else []
        # A configured word that is a weak one ("help", "cs") stays weak: alone it is no claim.
        weak_keys = {normalize_name(w).key for w in WEAK_ROLE_WORDS}
        configured = [w for w in role_words if normalize_name(w).key not in weak_keys]
        roles = list(dict.fromkeys([*configured, *BUILTIN_ROLE_WORDS]))
        # Role words as spelled in pinyin ("kefu", "guanfang"): Latin names share syllables
        # with them, so among other Latin words they need backing (see `_score`).
        self._spelled: set[str] = {
            normalize_name(w).key for w in roles if is_pinyin_like(normalize_name(w).key)
        }
        groups: dict[str, Sequence[str]] = {
            "role": roles,
            "weak": WEAK_ROLE_WORDS,
            "brand": self.brand_words,
            "benign": BENIGN_WORDS,
            "disclaimer": DISCLAIMER_WORDS,
            "neutral": NEUTRAL_WORDS,
            "staff": STAFF_WORDS,
            "generic": GENERIC_SHOP_WORDS,
        }
        for category in _CATEGORIES:
            for word in groups.get(category, ()):
                self._add(category, word)
        self._update_lengths()
        # The personal part of official display names ("小雅" in "星河售后-小雅").
        self.personas: list[str] = []
        for name in official_names:
            for persona in self._leftovers(normalize_name(name)):
                if persona not in self.personas:
                    self.personas.append(persona)
        for persona in self.personas:
            self._add("persona", persona)
        self._update_lengths()
        self._build_initials(roles)

    # --- vocabulary ------------------------------------------------------------------------
    def _add(self, category: str, word: str) -> None:
        norm = normalize_name(word)
        key = norm.key
        if not key:
            return
        if all(s.kind == "h" for s in norm.symbols):
            self._han.setdefault(key, category)
            if category in ("role", "weak", "brand", "persona") and len(key) >= 2:
                syllables = tuple(s.py for s in norm.symbols)
                self._homophones.setdefault(syllables, []).append((key, category))
                # The same word spelled in pinyin ("kefu", "xinghe") is the word itself.
                self._latin.setdefault(norm.pinyin, category)
                if category == "role":
                    self._spelled.add(norm.pinyin)
        elif all(s.kind in "ld" for s in norm.symbols):
            self._latin.setdefault(key, category)

    def _update_lengths(self) -> None:
        self._max_han = max((len(w) for w in self._han), default=1)
        self._max_latin = max((len(w) for w in self._latin), default=1)

    def _build_initials(self, roles: Sequence[str]) -> None:
        """Initials such as ``gfkf`` (官方客服) or ``xhkf`` (星河客服): role initials, 2+ words."""
        role_inits = {
            normalize_name(w).initials
            for w in roles
            if len(normalize_name(w).key) >= 2
            and all(s.kind == "h" for s in normalize_name(w).symbols)
        }
        brand_inits = {
            normalize_name(w).initials
            for w in self.brand_words
            if all(s.kind == "h" for s in normalize_name(w).symbols)
        }
        for prefix in ["", *sorted(brand_inits)]:
            for count in (1, 2):
                for combo in itertools.product(sorted(role_inits), repeat=count):
                    parts = ([prefix] if prefix else []) + list(combo)
                    if len(parts) >= 2:
                        self._initials.add("".join(parts))

    def _leftovers(self, name: NormalizedName) -> list[str]:
        """Uncovered runs of an official name: candidate personal names (2+ Han, 3+ letters)."""
        tokens = self.segment(name)
        covered = [False] * len(name.symbols)
        for t in tokens:
            for i in range(t.start, t.end):
                covered[i] = True
        runs: list[str] = []
        current: list[Symbol] = []
        for sym, cov in zip([*name.symbols, None], [*covered, True], strict=True):
            if (
                sym is not None
                and not cov
                and sym.kind in "hl"
                and (not current or current[-1].kind == sym.kind)
            ):
                current.append(sym)
                continue
            if current:
                text = "".join(s.ch for s in current)
                if (current[0].kind == "h" and len(text) >= 2) or len(text) >= 3:
                    runs.append(text)
            current = [sym] if sym is not None and not cov and sym.kind in "hl" else []
        return runs

    # --- segmentation ----------------------------------------------------------------------
    def segment(self, name: NormalizedName) -> list[Token]:
        """Best segmentation of the name into vocabulary tokens (fewest uncovered symbols)."""
        syms = name.symbols
        n = len(syms)
        inf = float("inf")
        cost = [inf] * (n + 1)
        back: list[tuple[int, Token | None]] = [(0, None)] * (n + 1)
        cost[0] = 0.0

        def relax(j: int, value: float, prev: int, token: Token | None) -> None:
            if value < cost[j] - 1e-9:
                cost[j] = value
                back[j] = (prev, token)

        for i in range(n):
            base = cost[i]
            if base == inf:
                continue
            sym = syms[i]
            relax(i + 1, base + _UNCOVERED.get(sym.kind, 1.0), i, None)
            if sym.kind == "h":
                self._han_matches(syms, i, base, relax)
            elif sym.kind == "l":
                text = ""
                for j in range(i, min(n, i + self._max_latin)):
                    if syms[j].kind != "l":
                        break
                    text += syms[j].ch
                    category = self._latin.get(text)
                    if category is not None and len(text) >= 2:
                        relax(
                            j + 1,
                            base + _TOKEN_COST,
                            i,
                            Token(category, text, text, "literal", i, j + 1),
                        )
        tokens: list[Token] = []
        j = n
        while j > 0:
            prev, token = back[j]
            if token is not None:
                tokens.append(token)
            j = prev
        tokens.reverse()
        return self._drop_partial_words(syms, tokens)

    def _han_matches(self, syms: tuple[Symbol, ...], i: int, base: float, relax: _Relax) -> None:
        n = len(syms)
        text = ""
        for j in range(i, min(n, i + self._max_han)):
            if syms[j].kind != "h":
                break
            text += syms[j].ch
            category = self._han.get(text)
            if category is not None:
                relax(
                    j + 1, base + _TOKEN_COST, i, Token(category, text, text, "literal", i, j + 1)
                )
            if j > i:
                syllables = tuple(s.py for s in syms[i : j + 1])
                for word, cat in self._homophones.get(syllables, ()):
                    if word == text:
                        continue
                    token = Token(cat, word, text, "homophone", i, j + 1)
                    relax(j + 1, base + _HOMOPHONE_COST, i, token)

    @staticmethod
    def _drop_partial_words(syms: tuple[Symbol, ...], tokens: list[Token]) -> list[Token]:
        """Drop Latin tokens inside a word they explain only in part (``support`` in
        ``supportive``): the rest of the word must be short or read as pinyin (a name)."""
        covered = [False] * len(syms)
        for t in tokens:
            for i in range(t.start, t.end):
                covered[i] = True
        bad_words: set[int] = set()
        word_rest: dict[int, list[str]] = {}
        prev_word = -1
        for i, sym in enumerate(syms):
            if sym.kind != "l":
                prev_word = -1
                continue
            spans = word_rest.setdefault(sym.word, [])
            if covered[i]:
                prev_word = -1
                continue
            if prev_word == sym.word and spans:
                spans[-1] += sym.ch
            else:
                spans.append(sym.ch)
            prev_word = sym.word
        touched = {
            syms[i].word for t in tokens for i in range(t.start, t.end) if syms[i].kind == "l"
        }
        for word in touched:
            for span in word_rest.get(word, ()):
                if span in _ENGLISH_SUFFIXES or (len(span) > 2 and not is_pinyin_like(span)):
                    bad_words.add(word)
        if not bad_words:
            return tokens
        return [
            t
            for t in tokens
            if not any(
                syms[i].kind == "l" and syms[i].word in bad_words for i in range(t.start, t.end)
            )
        ]

    # --- scoring ---------------------------------------------------------------------------
    @staticmethod
    def _whole_word(name: NormalizedName, token: Token) -> bool:
        """True if the Latin token is a whole word of the name (not part of a longer one)."""
        syms = name.symbols
        word = syms[token.start].word
        before = token.start > 0 and syms[token.start - 1].word == word
        before = before and syms[token.start - 1].kind == "l"
        after = token.end < len(syms) and syms[token.end].word == word
        after = after and syms[token.end].kind == "l"
        return not before and not after

    @staticmethod
    def _weighted_length(symbols: Sequence[Symbol]) -> float:
        """Length in Han-character units: a Latin letter weighs a third of a Han character."""
        return sum(_UNCOVERED.get(s.kind, 1.0) for s in symbols) + 0.04 * sum(
            1 for s in symbols if s.kind == "l"
        )

    def analyze(self, name: NormalizedName) -> Claim:
        """Score how strongly the name claims a staff role or the brand."""
        key = name.key
        if not key:
            return Claim(0.0, "名称为空或只有符号", "empty", ())
        initials = key.rstrip("0123456789")
        if key.isascii() and initials.isalpha() and initials in self._initials:
            return Claim(0.7, f"名称「{name.raw}」是角色词的拼音首字母缩写", "role-initials", ())
        tokens = self.segment(name)
        claim = self._score(name, tokens, 0, len(name.symbols))
        if claim.rule in ("benign-context", "substring-only"):
            core = self._decorated_claim(name, tokens)
            if core is not None and core.score > claim.score:
                return core
        return claim

    def _decorated_claim(self, name: NormalizedName, tokens: list[Token]) -> Claim | None:
        """The best brand claim that a run of whole segments makes on its own.

        ``星河卡盟官方客服（假冒必究）``: the segment ``星河卡盟官方客服`` is a brand claim; the
        bracket is decoration and, whatever words it holds, does not lower that verdict.
        """
        syms = name.symbols
        n = len(syms)
        if not any(t.category == "brand" for t in tokens):
            return None
        bounds = [0, *(i for i in range(1, n) if syms[i].seg != syms[i - 1].seg), n]
        if len(bounds) < 3:
            return None
        best: Claim | None = None
        for a in range(len(bounds) - 1):
            for b in range(a + 1, len(bounds)):
                lo, hi = bounds[a], bounds[b]
                if lo == 0 and hi == n:
                    continue
                inside = [t for t in tokens if lo <= t.start and t.end <= hi]
                if any(t.category == "benign" for t in inside):
                    break  # a longer run holds it too
                if not any(t.category == "brand" for t in inside):
                    continue
                claim = self._score(name, inside, lo, hi)
                if claim.rule in _BRAND_CLAIMS and (best is None or claim.score > best.score):
                    best = claim
        if best is None:
            return None
        return Claim(
            best.score,
            f"{best.reason}；其余部分是括号、附注等装饰，不降低判断",
            "decorated-claim",
            best.tokens,
        )

    def _adjacent_weak(
        self, name: NormalizedName, weak: list[Token], anchors: list[Token]
    ) -> list[Token]:
        """Weak words that count: Han ones as they are; Latin ones only right next to an anchor
        (the brand, an agent's name, a role word) or to a Latin weak word that counts."""
        syms = name.symbols
        counted = [t for t in weak if syms[t.start].kind != "l"]
        pending = [t for t in weak if syms[t.start].kind == "l"]
        edges = {t.start for t in anchors} | {t.end for t in anchors}
        changed = True
        while pending and changed:
            changed = False
            for t in list(pending):
                if t.start in edges or t.end in edges:
                    counted.append(t)
                    pending.remove(t)
                    edges |= {t.start, t.end}
                    changed = True
        return counted

    def _score(self, name: NormalizedName, tokens: list[Token], lo: int, hi: int) -> Claim:
        """Score the symbols ``lo..hi`` of the name with the tokens found inside them."""
        symbols = name.symbols[lo:hi]
        covered = [False] * len(symbols)
        for t in tokens:
            if t.category == "neutral":  # an ordinary word: part of the leftover
                continue
            for i in range(t.start, t.end):
                covered[i - lo] = True
        rest_han = sum(1 for s, c in zip(symbols, covered, strict=True) if not c and s.kind in "ho")
        rest_latin = sum(
            1 for s, c in zip(symbols, covered, strict=True) if not c and s.kind == "l"
        )
        rest_words = {
            s.word for s, c in zip(symbols, covered, strict=True) if not c and s.kind == "l"
        }
        literal = [t for t in tokens if t.match == "literal"]
        benign = [t for t in tokens if t.category == "benign"]
        # A disclaimer after a claim word is the account's own voice ("客服(谨防冒充)"); before
        # any ("谨防冒充客服") it talks about staff.
        first_claim = min(
            (t.start for t in tokens if t.category in ("role", "weak", "brand", "persona")),
            default=None,
        )
        benign += [
            t
            for t in tokens
            if t.category == "disclaimer" and (first_claim is None or t.start < first_claim)
        ]
        whole = lo == 0 and hi == len(name.symbols)
        if whole and _POSSESSIVE.search(name.text):  # "the admin's cat" is not staff
            benign.append(Token("benign", "'s", "'s", "literal", 0, 0))
        support = [t for t in tokens if t.category in ("staff", "generic")]
        # A homophone is evidence only next to literal evidence: "官芳客服" is a claim, but
        # "克服困难" is an ordinary phrase whose pinyin happens to be "kefu".
        backed = any(t.category in ("role", "brand", "persona") for t in literal) or bool(support)
        usable = [t for t in tokens if t.match == "literal" or backed]
        strong = [t for t in usable if t.category == "role"]
        weak = [t for t in usable if t.category == "weak"]
        weak += [t for t in tokens if t.category == "role" and t not in usable]
        strong += [t for t in weak if t.word in ROLE_ABBREVIATIONS and self._whole_word(name, t)]
        brand = [t for t in usable if t.category == "brand"]
        persona = [t for t in usable if t.category == "persona"]
        # A role word spelled in pinyin among two or more other Latin words ("Guanfang Lake
        # Trip") is more likely a place or a person than a claim, unless something backs it.
        spelled = [
            t for t in strong if t.word in self._spelled and name.symbols[t.start].kind == "l"
        ]
        lone = len({t.word for t in strong}) < 2
        if spelled and lone and len(rest_words) >= 2 and not (brand or persona or support):
            strong = [t for t in strong if t not in spelled]
            weak += spelled
        weak = self._adjacent_weak(name, weak, [*brand, *persona, *strong])
        if rest_han or rest_latin:  # "Xinghe CS:GO", "星河 GF 小美": too little to go on
            weak = [t for t in weak if not (t.text.isascii() and len(t.text) <= 3)]
        has_role = bool(strong) or (bool(weak) and bool(brand or persona))
        rest_ok = (
            rest_han <= MAX_REST_HAN
            and rest_latin <= MAX_REST_LATIN
            and rest_han * 3 + rest_latin <= 10
            and self._weighted_length(symbols) <= MAX_NAME_KEY
        )
        words = "、".join(
            dict.fromkeys(f"「{t.text}」" for t in [*brand, *strong, *weak, *persona])
        )
        if not (has_role or brand or persona):
            return Claim(0.0, "未发现官方角色词或品牌名", "none", tuple(tokens))
        if benign:
            context = "、".join(dict.fromkeys(f"「{t.text}」" for t in benign))
            return Claim(
                0.2,
                f"含{words}，但{context}表明不是以官方身份自称",
                "benign-context",
                tuple(tokens),
            )
        if not rest_ok:
            return Claim(0.25, f"含{words}，但它们不是名称的主体", "substring-only", tuple(tokens))
        homophones = [t for t in [*strong, *brand, *persona] if t.match == "homophone"]
        how = ""
        if homophones:
            how = "（谐音：" + "、".join(f"{t.text}≈{t.word}" for t in homophones) + "）"
        penalty = 0.03 * rest_han + 0.008 * rest_latin
        complete = 0.1 if rest_han == 0 and rest_latin == 0 else 0.0
        if has_role:
            roles = {t.word for t in strong} | {t.word for t in weak}
            score = 0.6 + (0.2 if brand else 0.0) + (0.1 if persona else 0.0)
            score += (0.1 if len(roles) >= 2 else 0.0) + (0.05 if support else 0.0) + complete
            rule = "brand-role" if brand else "role-claim"
            if brand:
                reason = f"品牌名与客服/官方角色词组成名称主体：{words}{how}"
            else:
                reason = f"以客服/官方角色词为名称主体：{words}{how}"
            return Claim(min(0.95, score - penalty), reason, rule, tuple(tokens))
        if brand and persona:
            return Claim(
                min(0.9, 0.7 + complete - penalty),
                f"品牌名加官方客服人员的名字：{words}{how}",
                "brand-persona",
                tuple(tokens),
            )
        full_brand = any(t.word == self.brand_key and t.match == "literal" for t in brand)
        if full_brand and rest_han == 0 and rest_latin == 0:
            return Claim(0.6, f"名称就是店铺品牌名{words}{how}", "brand-only", tuple(tokens))
        return Claim(
            0.1, f"只含品牌名或人员名{words}，没有官方角色词", "brand-mention", tuple(tokens)
        )
