"""Impostor names that used to slip through (issue 20, finding 5), one group per finding.

1. Bidi controls: a name is judged as displayed and as stored, the worse verdict counts.
2. Decoration (brackets, disclaimers, extra words) never lowers a brand-plus-role verdict.
3. Weak role words and English/pinyin variants count next to the brand, without flagging fans.
"""

from __future__ import annotations

from typing import Any

import pytest

from core.guard import NameGuard
from core.guard.bidi import BIDI_BACKEND, explicit_subset_order, needs_reordering, visual_order
from core.guard.normalize import strip_invisible
from tests.test_name_guard import ACCOUNTS, BRAND

RLO, LRO, RLE, PDF = "\u202e", "\u202d", "\u202b", "\u202c"
RLI, LRI, FSI, PDI = "\u2067", "\u2066", "\u2068", "\u2069"
RLM, ALM = "\u200f", "\u061c"


@pytest.fixture(scope="module")
def guard() -> NameGuard:
    return NameGuard(brand=BRAND, official_accounts=ACCOUNTS)


# --- 1. bidi: judge the name as it is displayed ----------------------------------------------
@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (f"{RLO}服客方官盟卡河星", "星河卡盟官方客服"),  # the reported name
        (f"{RLO}后售盟卡河星", "星河卡盟售后"),
        (f"{RLO}troppus ehgniX", "Xinghe support"),  # Latin letters reversed too
        (f"星河卡盟{RLO}服客{PDF}", "星河卡盟客服"),  # an override in the middle, closed
        (f"{RLE}{RLO}服客方官盟卡河星{PDF}{PDF}", "星河卡盟官方客服"),  # nested in an embedding
        (f"{RLI}{RLO}雅小-后售河星{PDF}{PDI}", "星河售后-小雅"),  # inside an isolate
        (f"星河{FSI}{RLO}服客{PDF}{PDI}", "星河客服"),  # first-strong isolate
        (f"{RLM}{RLO}服客{PDF} 星河卡盟", "星河卡盟 客服"),  # RTL paragraph swaps the runs
        (f"{RLO}服客方官{PDF}星河卡盟", "官方客服星河卡盟"),
    ],
)
def test_bidi_tricks_are_judged_in_display_order(name: str, shown: str, guard: NameGuard) -> None:
    assert strip_invisible(visual_order(name)) == shown
    verdict = guard.check(name)
    assert verdict.suspicious, verdict
    assert "[bidi-visual]" in verdict.reason and shown in verdict.reason


@pytest.mark.parametrize(
    "name",
    [
        f"{LRO}XingHe Support{PDF}",  # controls that change nothing: judged as it is
        f"{ALM}星河卡盟官方客服",  # Arabic letter mark
        f"{RLM}星河卡盟官方客服{RLM}",
        f"{RLO}星河卡盟客服",  # displayed backwards, but stored as a claim: the worse counts
    ],
)
def test_bidi_marks_never_hide_a_claim(name: str, guard: NameGuard) -> None:
    assert guard.check(name).suspicious, guard.check(name)


@pytest.mark.parametrize(
    "name",
    [f"{RLO}家玩老河星", f"{RLO}服客是不我", f"{RLO}困服克", f"{RLO}猫只一", "אבג 星河粉丝"],
)
def test_bidi_names_that_display_benign_stay_benign(name: str, guard: NameGuard) -> None:
    assert not guard.check(name).suspicious, guard.check(name)


def test_visual_order_fast_path_and_backend() -> None:
    assert BIDI_BACKEND.startswith("ICU")  # PyICU is a dependency; the subset is a fallback
    assert not needs_reordering("星河卡盟官方客服 XingHe 123")
    assert visual_order("星河卡盟官方客服") == "星河卡盟官方客服"
    assert needs_reordering(f"{RLO}x") and needs_reordering("שלום") and needs_reordering(ALM)
    # Brackets that end up right-to-left are mirrored (UAX #9 rule L4).
    assert visual_order(f"{RLO}(服客)盟卡河星") == "星河卡盟(客服)"


@pytest.mark.parametrize(
    "text",
    [
        f"{RLO}服客方官盟卡河星",
        f"{RLO})服客(盟卡河星",
        f"星河{RLO}服客方官{PDF}(小雅)",
        f"{RLI}服客方官{PDI}星河",
        f"{RLE}服客{PDF}",
        f"{RLO}后售 123{PDF}",
        f"{RLI}{RLO}服客{PDF}{PDI}星河",
        f"星河{FSI}{RLO}服客{PDF}{PDI}",
        f"{LRO}xinghe{PDF}",
        "abc אב def",
        "א 12 ב",
        f"🌟{RLO}服客{PDF}",
        f"{RLM}客服{RLM} 星河卡盟",
    ],
)
def test_builtin_bidi_subset_agrees_with_icu(text: str) -> None:
    assert strip_invisible(explicit_subset_order(text)) == strip_invisible(visual_order(text))


def test_bidi_fallback_without_pyicu(monkeypatch: pytest.MonkeyPatch) -> None:
    import core.guard.bidi as bidi

    def no_icu(name: str) -> Any:
        raise ImportError(name)

    monkeypatch.setattr(bidi.importlib, "import_module", no_icu)
    reorder, backend = bidi._load_backend()
    assert backend == "builtin-subset"
    assert reorder(f"{RLO}服客方官盟卡河星") == "星河卡盟官方客服"


# --- 2. decoration never lowers a brand-plus-role verdict ------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "星河卡盟官方客服(假冒必究)",  # the reported names
        "星河卡盟售后(谨防他人冒充)",
        "星河卡盟售后-您的专属顾问",
        "星河卡盟官方客服【冒充必究】",  # other disclaimers and decorations
        "星河卡盟官方客服 (认准本人,其他都是骗子)",
        "星河卡盟客服｜假冒必究",
        "星河客服-骗子勿扰",
        "星河客服-不会私聊你",
        "星河卡盟 | 官方客服 | 骗子退散",
        "【星河卡盟】客服 (假一赔十)",
        "星河售后小雅(谨防冒充)",
        "星河卡盟官方客服假冒必究",  # a disclaimer after the claim, without a break
        "星河卡盟售后谨防他人冒充",
        "官方客服(假冒必究)",
        "客服小王(谨防他人冒充)",
        "XingHe Support (beware of fakes)",
        "xinghe support - not a scam",
    ],
)
def test_decoration_does_not_lower_a_claim(name: str, guard: NameGuard) -> None:
    verdict = guard.check(name)
    assert verdict.suspicious, verdict


def test_decorated_claim_rule_and_score(guard: NameGuard) -> None:
    bare = guard.check("星河客服")
    decorated = guard.check("星河客服-骗子勿扰")
    assert "[decorated-claim]" in decorated.reason
    assert decorated.score == bare.score  # the decoration neither lowers nor raises it


@pytest.mark.parametrize(
    "name",
    [
        "星河卡盟官方客服都不回消息",  # one run of words: a sentence about staff
        "星河卡盟客服是骗子吗",
        "举报星河卡盟客服",
        "谨防假冒客服",  # a warning before the role talks about staff
        "星河卡盟 客服 是骗子吗",  # spaces join words into one phrase
        "星河卡盟玩家 / 客服都是骗子",  # every part with a role or brand is benign
        "星河 | 客服小王的粉丝",
        "Xinghe Support fan",
        "xinghe_support_fan",
        "my gf xinghe",
    ],
)
def test_phrases_about_staff_stay_benign(name: str, guard: NameGuard) -> None:
    verdict = guard.check(name)
    assert not verdict.suspicious, verdict


# --- 3. weak role words, English and pinyin variants -----------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "星河卡盟財務",  # the reported names
        "星河卡盟人工",
        "Xinghe Customer Care",
        "xinghe_help",
        "GF星河",
        "星河卡盟专员",  # other weak words next to the brand
        "星河卡盟顾问",
        "星河卡盟客户经理",
        "星河卡盟经理",
        "星河财务-小李",
        "星河卡盟-人工",
        "gf星河卡盟",
        "G.F 星河卡盟",
        "Xinghe GF",
        "xinghe_cs",
        "XingHe CS Team",
        "xinghe care",
        "XingHe_Care",
        "Xinghe Staff",
        "xinghe helpdesk",
        "XingHe Help Team",
        "xinghe rengong",  # 人工 spelled in pinyin
    ],
)
def test_weak_and_english_role_words_next_to_the_brand(name: str, guard: NameGuard) -> None:
    verdict = guard.check(name)
    assert verdict.suspicious, verdict


def test_weak_words_make_a_role_claim_not_a_bare_brand(guard: NameGuard) -> None:
    # "人工" used to be a staff word: the name only scored as the brand itself (brand-only).
    for name in ("星河卡盟人工", "星河卡盟財務", "星河人工"):
        verdict = guard.check(name)
        assert verdict.suspicious and "[brand-role]" in verdict.reason, verdict


@pytest.mark.parametrize(
    "name",
    [
        "星河老玩家",  # the reported fans
        "supporter_fan",
        "Staffy_Dog",
        "Guanfang Lake Trip",
        "星河爱好者",
        "xinghe_fan",
        "help me",  # weak words away from the brand
        "cs student",
        "cs go player",
        "my gf",
        "gf 小王",
        "Care Bear",
        "Team Rocket",
        "人工智能",
        "客户经理小王",
        "staffy",
        "Helpful Harry",
        "Kefu Lake Hiking Trip",
        "星河卡盟粉丝",
        "xinghe player",
        "xinghe fan club",
        "Xinghe CS:GO",  # a game, not a role: ordinary words hide weak ones
        "星河卡盟人工智能",
        "星河 GF 小美",  # a bare abbreviation with a name left over is too little
    ],
)
def test_fans_and_ordinary_names_are_not_flagged(name: str, guard: NameGuard) -> None:
    verdict = guard.check(name)
    assert not verdict.suspicious, verdict


def test_configured_weak_words_stay_brand_adjacent() -> None:
    guard = NameGuard(
        brand=BRAND, official_accounts=ACCOUNTS, role_words=["客服", "help", "cs", "gf"]
    )
    for name in ("help me", "cs student", "my gf"):
        assert not guard.check(name).suspicious, name
    for name in ("xinghe help", "星河cs", "GF星河", "客服小王"):
        assert guard.check(name).suspicious, name
