"""The impostor guard's verdict on a display name or username.

`NameGuard.check` judges a name against

1. the verified accounts themselves: a (platform, user_id) on the official list is never a
   suspect, whatever its name;
2. the official accounts' display names and usernames, after normalisation
   (`core.guard.normalize`): equal keys, equal look-alike (visual) keys, equal pinyin, a small
   edit distance scaled to the length (short names need exact equality), or the official name
   with a little decoration around it;
3. staff-role claims (`core.guard.claims`): role words, the brand and official agents' names
   forming the main part of the name.

The name is judged as it is stored (logical order) and as it is displayed (`core.guard.bidi`:
``"\u202e服客方官盟卡河星"`` shows as ``星河卡盟官方客服``); the worse verdict of the two counts.
The score is in 0..1; a name is suspicious when the best rule scores at least the threshold.
Verdicts are cached per (name, platform, user_id) and per name, so a repeat check is a
dictionary lookup and a cold one takes tens of microseconds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from core.guard.bidi import visual_order
from core.guard.claims import ClaimAnalyzer
from core.guard.normalize import NormalizedName, normalize_name
from core.people import platform_name

__all__ = [
    "DEFAULT_ROLE_WORDS",
    "DEFAULT_THRESHOLD",
    "NameGuard",
    "NameVerdict",
    "OfficialAccountLike",
    "bounded_levenshtein",
]

DEFAULT_ROLE_WORDS = ("官方", "客服", "售后", "管理员", "admin", "support")
#: Scores at or above this are suspicious. Role claims start at 0.6 minus a small penalty for
#: a leftover personal name; official-name matches score 0.75..1.0; benign context <= 0.25.
DEFAULT_THRESHOLD = 0.5
DEFAULT_CACHE_SIZE = 32768  # per cache; both caches full take about 35 MB

# Where a decoration starts after a copied name: brackets, bars, dashes, slashes, spaces.
_DECORATION_BREAK = re.compile(r"[\s(（\[【〔{<《「『|｜/／\\~～—–-]")
# The same without spaces: what follows one of these is decoration whatever it says.
_HARD_BREAK = re.compile(r"[(（\[【〔{<《「『|｜/／\\~～—–-]")

_STEP_LABELS = {
    "invisible": "去除不可见字符",
    "nfkc": "全角/兼容字符归一",
    "marks": "去除附加符号",
    "traditional": "繁体转简体",
    "case": "忽略大小写",
    "confusable": "形近字母替换",
    "leet": "数字当字母",
    "separators": "忽略空格/标点/表情",
}


class OfficialAccountLike(Protocol):
    """A verified staff account (``core.config.OfficialAccount`` satisfies it)."""

    @property
    def platform(self) -> str: ...
    @property
    def user_id(self) -> str: ...
    @property
    def username(self) -> str: ...
    @property
    def display_name(self) -> str: ...
    @property
    def role(self) -> str: ...


@dataclass(frozen=True, slots=True)
class NameVerdict:
    """The guard's answer: suspicious or not, a score in 0..1, and why (with the rule id)."""

    suspicious: bool
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class _Target:
    account: OfficialAccountLike
    field: str  # "display_name" | "username"
    name: NormalizedName
    latin: bool  # mostly ASCII letters: allow fewer edits per character


def bounded_levenshtein(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` once it exceeds ``limit``.

    Only a diagonal band of width ``2 * limit + 1`` is computed, so it costs O(limit * n).
    """
    if a == b:
        return 0
    la, lb = len(a), len(b)
    if abs(la - lb) > limit:
        return limit + 1
    if la > lb:
        a, b, la, lb = b, a, lb, la
    big = limit + 1
    prev = [j if j <= limit else big for j in range(lb + 1)]
    for i in range(1, la + 1):
        lo = max(1, i - limit)
        hi = min(lb, i + limit)
        cur = [big] * (lb + 1)
        cur[0] = i if i <= limit else big
        ca = a[i - 1]
        row_min = cur[0]
        for j in range(lo, hi + 1):
            cost = 0 if ca == b[j - 1] else 1
            value = min(prev[j - 1] + cost, prev[j] + 1, cur[j - 1] + 1)
            cur[j] = value if value <= limit else big
            if cur[j] < row_min:
                row_min = cur[j]
        if row_min > limit:
            return big
        prev = cur
    return prev[lb] if prev[lb] <= limit else big


def _describe(account: OfficialAccountLike) -> str:
    shown = account.display_name or account.username or account.user_id
    handle = f" @{account.username}" if account.username else ""
    return f"「{shown}」（{platform_name(account.platform, 'zh')}{handle}）"


def _steps_text(name: NormalizedName) -> str:
    labels = [label for step, label in _STEP_LABELS.items() if step in name.steps]
    return "、".join(labels)


class NameGuard:
    """Judges display names and usernames against the official accounts and role words."""

    def __init__(
        self,
        *,
        brand: str,
        official_accounts: Sequence[OfficialAccountLike],
        role_words: Sequence[str] = DEFAULT_ROLE_WORDS,
        threshold: float = DEFAULT_THRESHOLD,
        cache_size: int = DEFAULT_CACHE_SIZE,
    ) -> None:
        self.brand = brand
        self.threshold = threshold
        self.official_accounts = tuple(official_accounts)
        self._verified: dict[tuple[str, str], OfficialAccountLike] = {
            (a.platform.strip().lower(), str(a.user_id).strip()): a for a in self.official_accounts
        }
        targets: list[_Target] = []
        for account in self.official_accounts:
            for field in ("display_name", "username"):
                raw = getattr(account, field) or ""
                norm = normalize_name(raw)
                if len(norm.key) >= 2:
                    latin = sum(1 for s in norm.symbols if s.kind in "ld") * 2 > len(norm.symbols)
                    targets.append(_Target(account, field, norm, latin))
        self._targets = tuple(targets)
        self._claims = ClaimAnalyzer(
            brand=brand,
            role_words=role_words,
            official_names=[a.display_name for a in self.official_accounts if a.display_name],
        )
        self._judge = lru_cache(maxsize=cache_size)(self._judge_name)
        self._check = lru_cache(maxsize=cache_size)(self._check_identity)

    # --- public API ------------------------------------------------------------------------
    def check(
        self, name: str, *, platform: str | None = None, user_id: str | None = None
    ) -> NameVerdict:
        """Judge ``name``; a verified (platform, user_id) is never suspicious."""
        return self._check(name, platform, user_id)

    def verified_account(
        self, platform: str | None, user_id: str | None
    ) -> OfficialAccountLike | None:
        """The official account with this platform and user id (``"telegram:1"`` ids too)."""
        if not platform or user_id is None:
            return None
        plat = platform.strip().lower()
        uid = str(user_id).strip()
        if uid.lower().startswith(plat + ":"):
            uid = uid[len(plat) + 1 :]
        return self._verified.get((plat, uid))

    def cache_clear(self) -> None:
        """Forget cached verdicts (after the official list changes, build a new guard)."""
        self._judge.cache_clear()
        self._check.cache_clear()

    # --- internals -------------------------------------------------------------------------
    def _check_identity(self, name: str, platform: str | None, user_id: str | None) -> NameVerdict:
        account = self.verified_account(platform, user_id)
        if account is not None:
            return NameVerdict(
                False,
                0.0,
                f"已验证的官方账号{_describe(account)}，不是冒充 [verified-account]",
            )
        return self._judge(name)

    def _judge_name(self, name: str) -> NameVerdict:
        verdict = self._judge_order(name)
        shown = visual_order(name)
        if shown != name:
            seen = self._judge_order(shown)
            if seen.score > verdict.score:
                return NameVerdict(
                    seen.suspicious,
                    seen.score,
                    f"按显示顺序（双向文字控制符重排后）是「{shown}」：{seen.reason} [bidi-visual]",
                )
        return verdict

    def _judge_order(self, name: str) -> NameVerdict:
        """The verdict on ``name`` read in the order given (logical or display order)."""
        norm = normalize_name(name)
        best_score, best_reason = self._official_similarity(norm)
        claim = self._claims.analyze(norm)
        if claim.score > best_score:
            best_score, best_reason = claim.score, f"{claim.reason} [{claim.rule}]"
        score = round(max(0.0, min(1.0, best_score)), 3)
        if not best_reason:
            best_reason = "未发现冒充特征 [none]"
        return NameVerdict(score >= self.threshold, score, best_reason)

    def _official_similarity(self, cand: NormalizedName) -> tuple[float, str]:
        best = (0.0, "")
        key = cand.key
        if len(key) < 2:
            return best
        for target in self._targets:
            found = self._compare(cand, target)
            if found[0] > best[0]:
                best = found
        return best

    def _compare(self, cand: NormalizedName, target: _Target) -> tuple[float, str]:
        tgt = target.name
        who = _describe(target.account)
        field = "显示名" if target.field == "display_name" else "用户名"
        if cand.key == tgt.key:
            if len(tgt.key) <= 2 or (target.latin and len(tgt.key) <= 3):
                # "小雅" is an official agent's name and a common nickname: same name alone
                # is not enough; role words or the brand around it are (see claims).
                return (
                    0.4,
                    f"与官方账号{who}的{field}同名，但名字太短，不能单凭名字判断 [short-name]",
                )
            if cand.raw == tgt.raw:
                return 1.0, f"与官方账号{who}的{field}完全相同 [official-exact]"
            how = _steps_text(cand) or "规范化"
            return 1.0, f"与官方账号{who}的{field}在{how}后相同 [official-exact]"
        if cand.visual == tgt.visual and len(tgt.key) >= 3:
            return (
                0.95,
                f"与官方账号{who}的{field}字形相近（如 l/1/I、0/O、rn/m） [official-lookalike]",
            )
        shared = sum(1 for c in cand.key if c in tgt.key)
        if (
            cand.pinyin == tgt.pinyin
            and len(tgt.pinyin) >= 6
            and (len(tgt.key) >= 4 or shared * 2 >= len(tgt.key))
        ):
            return 0.9, f"与官方账号{who}的{field}拼音相同（谐音） [official-homophone]"
        length = max(len(cand.key), len(tgt.key))
        if target.latin:
            limit = 2 if length >= 11 else 1 if length >= 6 else 0
        else:
            limit = 2 if length >= 8 else 1 if length >= 4 else 0
        if limit:
            dist = min(
                bounded_levenshtein(cand.key, tgt.key, limit),
                bounded_levenshtein(cand.visual, tgt.visual, limit),
            )
            if dist <= limit:
                return (
                    0.9 - 0.07 * dist,
                    f"与官方账号{who}的{field}只差 {dist} 个字符 [official-near]",
                )
            if not target.latin and len(tgt.pinyin) >= 8:
                plimit = 2 if len(tgt.pinyin) >= 14 else 1
                pdist = bounded_levenshtein(cand.pinyin, tgt.pinyin, plimit)
                if pdist <= plimit:
                    return (
                        0.8,
                        f"与官方账号{who}的{field}拼音几乎相同（谐音） [official-homophone]",
                    )
        if len(tgt.key) >= 4 and tgt.key in cand.key:
            # After a bracket, bar or dash ("...客服(假冒必究)") anything is decoration and
            # cannot lower the verdict; after a space ("XingHe Support fan") or with a short
            # run-on tail ("...客服是骗子") the words can still make a phrase about staff.
            short = len(cand.key) - len(tgt.key) <= 4
            if self._bracketed_suffix(cand, tgt, _HARD_BREAK) or (
                (short or self._bracketed_suffix(cand, tgt, _DECORATION_BREAK))
                and self._claims.analyze(cand).rule != "benign-context"
            ):
                extra = cand.key.replace(tgt.key, "", 1)
                return (
                    0.85,
                    f"在官方账号{who}的{field}上只加了「{extra}」 [official-decorated]",
                )
        return 0.0, ""

    @staticmethod
    def _bracketed_suffix(
        cand: NormalizedName, tgt: NormalizedName, breaks: re.Pattern[str]
    ) -> bool:
        """The official name, then a separator or bracket, then anything: a decoration.

        ``星河卡盟官方客服(工作时间9-18点)`` copies the name and annotates it; a name that runs
        on without a break (``星河卡盟官方客服都不回消息``) is a sentence instead.
        """
        if not cand.key.startswith(tgt.key):
            return False
        for m in breaks.finditer(cand.text):
            prefix = normalize_name(cand.text[: m.start()]).key
            if prefix == tgt.key:
                return True
            if len(prefix) > len(tgt.key):
                return False
        return False
