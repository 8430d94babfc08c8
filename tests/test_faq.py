"""Tests of core.faq: loading, overriding and validating knowledge bases, filling answers."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from core.faq import (
    ACTIONS,
    DEFAULT_KB_PATH,
    FaqButton,
    FaqEntry,
    KnowledgeBase,
    KnowledgeBaseError,
)
from core.faq.knowledge import PLACEHOLDERS
from core.nlu.intents import ALL_INTENTS

EXPECTED_DEFAULT_INTENTS = {
    "card_usage",
    "card_invalid",
    "recharge_failed",
    "recharge_progress",
    "delivery_delay",
    "account_issue",
    "refund",
    "bulk_purchase",
    "service_hours",
    "verify_official",
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


REFUND_OVERRIDE = """
[[faq]]
intent = "refund"
answer_zh = "本店退款请联系{brand}店长"
answer_en = "For refunds contact the {brand} owner"
buttons = [{ label_zh = "申请", label_en = "Apply", action = "complain" }]
"""


# -- the default knowledge base ----------------------------------------------------------


def test_default_kb_covers_the_faq_intents() -> None:
    kb = KnowledgeBase.load()
    assert set(kb.intents) == EXPECTED_DEFAULT_INTENTS
    assert "other" not in kb
    assert kb.entry_for("other") is None
    assert kb.sources == (DEFAULT_KB_PATH,)


def test_default_answers_are_complete_and_use_known_placeholders() -> None:
    kb = KnowledgeBase.load()
    for intent in kb.intents:
        entry = kb.entry_for(intent)
        assert entry is not None
        assert entry.intent in ALL_INTENTS
        for template in (entry.answer_zh, entry.answer_en):
            fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
            assert fields <= set(PLACEHOLDERS), (intent, fields)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in entry.answer_zh)
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in entry.answer_en)
        for button in entry.buttons:
            assert button.action in ACTIONS
            assert button.label_zh and button.label_en


def test_channels_are_shown_where_the_answer_sends_people_to_a_human() -> None:
    kb = KnowledgeBase.load()
    for intent in ("account_issue", "bulk_purchase", "verify_official", "service_hours"):
        entry = kb.entry_for(intent)
        assert entry is not None
        assert "{channels}" in entry.answer_zh and "{channels}" in entry.answer_en


# -- filling placeholders ----------------------------------------------------------------


def test_answer_fills_placeholders_per_locale() -> None:
    entry = KnowledgeBase.load().entry_for("service_hours")
    assert entry is not None
    context = {
        "brand": "星河卡盟",
        "simple_hours": "2 小时",
        "complex_hours": "24 小时",
        "channels": "• 在线客服：https://example.com/chat\n• 邮箱：help@example.com",
        "support_hours": "每天 09:00-23:00",
    }
    zh = entry.answer("zh-CN", **context)
    assert "星河卡盟" in zh and "2 小时" in zh and "24 小时" in zh and "09:00-23:00" in zh
    assert "• 在线客服：https://example.com/chat\n• 邮箱：help@example.com" in zh
    assert "{" not in zh
    en = entry.answer("en", brand="Xinghe", simple_hours="2 hours", complex_hours="24 hours")
    assert "Xinghe" in en and "within 2 hours" in en
    assert "{channels}" in en  # not given: left as written


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("zh", "中文"),
        ("zh-CN", "中文"),
        ("zh_TW", "中文"),
        ("", "中文"),
        ("en", "English"),
        ("en-US", "English"),
        ("ru", "English"),
    ],
)
def test_locale_selection(locale: str, expected: str) -> None:
    entry = FaqEntry("refund", "中文", "English")
    assert entry.answer(locale) == expected


def test_unknown_placeholders_are_left_alone() -> None:
    entry = FaqEntry("refund", "{brand}：请联系 {manager}", "x")
    assert entry.answer("zh", brand="星河") == "星河：请联系 {manager}"


def test_braces_in_values_are_never_parsed_again() -> None:
    entry = FaqEntry("refund", "店铺：{brand}；渠道：{channels}", "x")
    filled = entry.answer("zh", brand="{x}{channels}", channels="{brand} {0} {__class__}")
    assert filled == "店铺：{x}{channels}；渠道：{brand} {0} {__class__}"


def test_escaped_braces_are_literal() -> None:
    entry = FaqEntry("refund", "发送 {{订单号}} 给{brand}", "x")
    assert entry.answer("zh", brand="我们") == "发送 {订单号} 给我们"


def test_hand_built_malformed_template_is_returned_unchanged() -> None:
    entry = FaqEntry("refund", "坏模板 {brand", "x")
    assert entry.answer("zh", brand="星河") == "坏模板 {brand"


def test_button_label_follows_locale() -> None:
    button = FaqButton("提交售后", "Report a problem", "complain")
    assert button.label("zh-HK") == "提交售后"
    assert button.label("en-GB") == "Report a problem"


# -- merging files -------------------------------------------------------------------------


def test_extra_file_overrides_the_default_entry(tmp_path: Path) -> None:
    extra = write(tmp_path, "shop.toml", REFUND_OVERRIDE)
    kb = KnowledgeBase.load([extra])
    refund = kb.entry_for("refund")
    assert refund is not None
    assert refund.answer("zh", brand="星河") == "本店退款请联系星河店长"
    assert refund.buttons == (FaqButton("申请", "Apply", "complain"),)
    # Everything else still comes from the default file.
    assert set(kb.intents) == EXPECTED_DEFAULT_INTENTS
    default_usage = KnowledgeBase.load().entry_for("card_usage")
    assert kb.entry_for("card_usage") == default_usage
    assert kb.sources == (DEFAULT_KB_PATH, extra)


def test_later_extra_file_wins_and_can_add_intents(tmp_path: Path) -> None:
    first = write(tmp_path, "a.toml", REFUND_OVERRIDE)
    second = write(
        tmp_path,
        "b.toml",
        '[[faq]]\nintent = "refund"\nanswer_zh = "第二个"\nanswer_en = "second"\n'
        '[[faq]]\nintent = "escalate"\nanswer_zh = "主管会联系你"\n'
        'answer_en = "A lead will call"\n',
    )
    kb = KnowledgeBase.load([str(first), second])
    refund = kb.entry_for("refund")
    assert refund is not None and refund.answer_zh == "第二个"
    assert "escalate" in kb


def test_replace_uses_only_the_extra_files(tmp_path: Path) -> None:
    extra = write(tmp_path, "only.toml", REFUND_OVERRIDE)
    kb = KnowledgeBase.load([extra], replace=True)
    assert kb.intents == ("refund",)
    assert kb.entry_for("card_usage") is None
    assert len(kb) == 1


def test_replace_without_files_is_empty() -> None:
    kb = KnowledgeBase.load(replace=True)
    assert len(kb) == 0
    assert kb.entry_for("refund") is None


# -- invalid files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ('[[faq]]\nintent = "refund"\nanswer_zh = "未闭合', ["invalid TOML"]),
        ('[[faq]]\nintent = "refund"\nanswer_zh = "退款"\n', ["entry 0", "'answer_en'", "missing"]),
        (
            '[[faq]]\nintent = "refund"\nanswer_zh = "a"\nanswer_en = "b"\n'
            '[[faq]]\nintent = "nonsense"\nanswer_zh = "a"\nanswer_en = "b"\n',
            ["entry 1", "'intent'", "unknown intent 'nonsense'"],
        ),
        ('[[faq]]\nintent = "other"\nanswer_zh = "a"\nanswer_en = "b"\n', ["entry 0", "'other'"]),
        (
            '[[faq]]\nintent = "refund"\nanswer_zh = "a"\nanswer_en = "b"\nanswer_cn = "c"\n',
            ["entry 0", "'answer_cn'", "unknown key"],
        ),
        ('[[faq]]\nintent = "refund"\nanswer_zh = ""\nanswer_en = "b"\n', ["'answer_zh'", "empty"]),
        ('[[faq]]\nintent = "refund"\nanswer_zh = 3\nanswer_en = "b"\n', ["'answer_zh'", "string"]),
        (
            '[[faq]]\nintent = "refund"\nanswer_zh = "{brand"\nanswer_en = "b"\n',
            ["entry 0", "'answer_zh'", "literal braces"],
        ),
        (
            '[[faq]]\nintent = "refund"\nanswer_zh = "a"\nanswer_en = "{brand.upper}"\n',
            ["entry 0", "'answer_en'", "plain name"],
        ),
        (
            '[[faq]]\nintent = "refund"\nanswer_zh = "{brand:>10}"\nanswer_en = "b"\n',
            ["'answer_zh'", "format spec"],
        ),
        (
            '[[faq]]\nintent = "refund"\nanswer_zh = "a"\nanswer_en = "b"\n'
            'buttons = [{ label_zh = "x", label_en = "y", action = "dance" }]\n',
            ["entry 0", "'buttons' item 0", "'action'", "'dance'"],
        ),
        (
            '[[faq]]\nintent = "refund"\nanswer_zh = "a"\nanswer_en = "b"\n'
            'buttons = [{ label_zh = "x", action = "human" }]\n',
            ["'buttons' item 0", "'label_en'", "missing"],
        ),
        (
            '[[faq]]\nintent = "refund"\nanswer_zh = "a"\nanswer_en = "b"\n'
            'buttons = [{ label_zh = "x", label_en = "y", action = "human", url = "z" }]\n',
            ["'buttons' item 0", "'url'", "unknown key"],
        ),
        (
            '[[faq]]\nintent = "refund"\nanswer_zh = "a"\nanswer_en = "b"\nbuttons = "human"\n',
            ["entry 0", "'buttons'", "array"],
        ),
        (
            '[[faq]]\nintent = "refund"\nanswer_zh = "a"\nanswer_en = "b"\n'
            '[[faq]]\nintent = "refund"\nanswer_zh = "c"\nanswer_en = "d"\n',
            ["entry 1", "'intent'", "already defined by entry 0"],
        ),
        ('[[entries]]\nintent = "refund"\n', ["unknown top-level key 'entries'"]),
        ('faq = "refund"\n', ["'faq' must be an array"]),
        ("faq = [1]\n", ["entry 0", "must be a table"]),
    ],
)
def test_invalid_files_name_file_entry_and_key(
    tmp_path: Path, text: str, fragments: list[str]
) -> None:
    bad = write(tmp_path, "bad_kb.toml", text)
    with pytest.raises(KnowledgeBaseError) as info:
        KnowledgeBase.load([bad])
    message = str(info.value)
    assert str(bad) in message
    for fragment in fragments:
        assert fragment in message


def test_missing_file_is_reported(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(KnowledgeBaseError, match="not found") as info:
        KnowledgeBase.load([missing])
    assert str(missing) in str(info.value)


def test_empty_file_adds_nothing(tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.toml", "# nothing yet\n")
    assert len(KnowledgeBase.load([empty], replace=True)) == 0
    assert set(KnowledgeBase.load([empty]).intents) == EXPECTED_DEFAULT_INTENTS
