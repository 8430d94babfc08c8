"""Role claims: does a name present itself as staff ("官方客服", "售后-小雅", "Support Team")?

The name's normalised symbols are segmented (dynamic programming, fewest uncovered
characters) into vocabulary words of a few categories:

* ``role``: staff-role words (configured ones plus built-in synonyms), matched literally, by
  pinyin spelled in Latin (``kefu``, ``guanfang``) or by Chinese homophone (``官芳`` for
  ``官方``). A homophone counts only next to literal evidence (another role word, the brand,
  a staff word): common words collide with role words in pinyin (``克服`` = ``客服`` = kefu).
* ``brand``: the shop's name, its distinctive core (``星河`` in ``星河卡盟``) and their pinyin.
* ``persona``: the personal part of an official account's name (``小雅`` in ``星河售后-小雅``).
* ``staff`` / ``generic``: words that complete a staff name (``专员``, ``团队``, ``team``) or
  name the kind of shop (``卡盟``, ``商城``).
* ``benign``: context that shows the name is not a claim (``骗子``, ``吗``, ``玩家``, ``fans``).

A name is a claim when role words (or brand + persona) make up its main part: nothing benign,
and what is left over is at most a short personal name (two Han characters, or one short Latin
word). Substring hits are not enough: ``官方客服是骗子吗`` or ``克服困难`` are not claims, nor
is a Latin word that merely contains a role word (``supportive``, ``badminton``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from core.guard.normalize import NormalizedName, Symbol, is_pinyin_like, normalize_name

__all__ = [
    "BENIGN_WORDS",
    "BUILTIN_ROLE_WORDS",
    "GENERIC_SHOP_WORDS",
    "ROLE_ABBREVIATIONS",
    "STAFF_WORDS",
    "WEAK_ROLE_WORDS",
    "Claim",
    "ClaimAnalyzer",
    "Token",
]

#: Staff-role synonyms that always count, besides the configured role words.
BUILTIN_ROLE_WORDS: tuple[str, ...] = (
    "官方", "客服", "售后", "管理员", "人工客服", "在线客服", "客服专员", "售后专员", "退款专员",
    "售后服务", "客服经理", "客服主管", "售后主管", "工作人员", "官方人员", "技术支持", "站长",
    "店长", "群主", "版主",
    "admin", "administrator", "support", "service", "services", "helpdesk", "staff",
    "official", "moderator", "customerservice", "customersupport", "aftersales", "aftersale",
    "kefu", "guanfang", "shouhou", "guanliyuan",
)  # fmt: skip

#: Role-ish words too common to count alone; they count next to a brand or another role word.
WEAK_ROLE_WORDS: tuple[str, ...] = (
    "管理", "退款", "运营", "财务", "官号", "充值", "代充", "补发", "理赔", "客诉",
    "kf", "mod", "refund", "cs",
)  # fmt: skip

#: Weak Latin abbreviations that are a claim when they stand as a word of their own ("kf小王").
ROLE_ABBREVIATIONS: frozenset[str] = frozenset({"kf"})

#: Words that complete a staff name without being a claim by themselves.
STAFF_WORDS: tuple[str, ...] = (
    "专员", "主管", "经理", "组长", "团队", "小组", "中心", "部", "组", "号", "值班", "热线",
    "专线", "服务", "服务中心", "在线", "人工", "小助手", "助手", "助理", "勿私聊", "不私聊",
    "不会私聊", "不会主动私聊", "不主动私聊", "绝不私聊", "从不私聊", "私聊", "谨防诈骗",
    "谨防受骗", "防骗", "认准", "唯一", "正牌", "24小时", "全天", "我是", "我就是", "本人是",
    "team", "center", "centre", "desk", "help", "bot", "online", "office", "care", "agent",
)  # fmt: skip

#: Words naming the kind of shop: part of a brand claim, never a claim alone.
GENERIC_SHOP_WORDS: tuple[str, ...] = (
    "卡盟", "商城", "平台", "发卡", "发卡网", "卡网", "网店", "小店", "商店", "店铺", "官网",
    "shop", "store", "mall", "kameng",
)  # fmt: skip

#: Context showing that a name talks *about* staff or the brand instead of claiming to be it.
BENIGN_WORDS: tuple[str, ...] = (
    "骗子", "骗", "假", "冒充", "举报", "投诉", "曝光", "避雷", "维权", "吐槽", "被骗", "受害",
    "受害者", "吗", "嘛", "么", "呢", "吧", "啊", "呀", "是", "不", "没", "别", "找", "求", "问",
    "哪", "哪里", "谁", "怎么", "什么", "为什么", "玩家", "用户", "粉丝", "粉", "会员", "买家",
    "顾客", "路人", "学生", "爱好者", "忠实", "老铁", "铁粉", "萌新", "新人", "我", "你", "他",
    "她", "支持者", "学", "课", "考试", "专业", "等", "回复", "多少", "联系", "一下", "了",
    "朋友", "老公", "老婆", "女朋友", "男朋友", "家属", "同学", "前任",
    "fan", "fans", "player", "gamer", "user", "lover", "supporter", "supporters", "scam",
    "scammer", "fake", "not", "victim", "hater", "student", "customer", "buyer", "me", "my",
    "us", "plz", "please", "need", "needed", "wanted",
)  # fmt: skip

# Categories in priority order: a word listed in two categories takes the first.
_CATEGORIES = ("role", "weak", "brand", "persona", "benign", "staff", "generic")

# Left-overs that make a Latin word another English word ("officially", "admined").
_ENGLISH_SUFFIXES = frozenset({"ly", "ed", "er", "ing", "ive", "ion"})

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
        roles = list(dict.fromkeys([*role_words, *BUILTIN_ROLE_WORDS]))
        groups: dict[str, Sequence[str]] = {
            "role": roles,
            "weak": WEAK_ROLE_WORDS,
            "brand": self.brand_words,
            "benign": BENIGN_WORDS,
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
    def _weighted_length(name: NormalizedName) -> float:
        """Length in Han-character units: a Latin letter weighs a third of a Han character."""
        return sum(_UNCOVERED.get(s.kind, 1.0) for s in name.symbols) + 0.04 * sum(
            1 for s in name.symbols if s.kind == "l"
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
        covered = [False] * len(name.symbols)
        for t in tokens:
            for i in range(t.start, t.end):
                covered[i] = True
        rest_han = sum(
            1 for s, c in zip(name.symbols, covered, strict=True) if not c and s.kind in "ho"
        )
        rest_latin = sum(
            1 for s, c in zip(name.symbols, covered, strict=True) if not c and s.kind == "l"
        )
        literal = [t for t in tokens if t.match == "literal"]
        benign = [t for t in tokens if t.category == "benign"]
        if _POSSESSIVE.search(name.text):  # "the admin's cat" belongs to staff, is not staff
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
        has_role = bool(strong) or (bool(weak) and bool(brand or persona))
        rest_ok = (
            rest_han <= MAX_REST_HAN
            and rest_latin <= MAX_REST_LATIN
            and rest_han * 3 + rest_latin <= 10
            and self._weighted_length(name) <= MAX_NAME_KEY
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
