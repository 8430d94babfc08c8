"""The card-key detector: keys of the shop's formats in every spelling, and the look-alikes
(game ids, links, order numbers, phones, chat) that are not keys; measured on the labelled
set; masking hides the key as it was written; the format config."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.cardkeys import CardKeyDetector, fold, parse_format
from core.config import ConfigError, ShopConfig
from core.masking import (
    card_key_detector,
    contains_card_key,
    find_card_keys,
    mask_sensitive,
    use_card_key_detector,
)
from tests.conftest import REPO, make_config

if str(REPO / "bench") not in sys.path:
    sys.path.insert(0, str(REPO / "bench"))
import cardkey_bench

KEY = "XH7K-9P2M-4Q8R-1T6W"
DETECTOR = CardKeyDetector(order_pattern=ShopConfig().order_pattern)


def exposes(text: str, key: str) -> bool:
    """Whether ``text`` still spells ``key`` in full, in any spelling."""
    letters = re.sub(r"[^A-Z0-9]", "", fold(text).upper())
    return key.replace("-", "") in letters


@pytest.mark.parametrize(
    ("text", "spelling"),
    [
        ("XH7K 9P2M 4Q8R 1T6W", "spaces"),
        ("ＸＨ７Ｋ－９Ｐ２Ｍ－４Ｑ８Ｒ－１Ｔ６Ｗ", "full width"),
        ("XH7K_9P2M_4Q8R_1T6W", "underscores"),
        ("XH7K9P2M4Q8R1T6W", "none"),
        ("xh7k-9p2m-4q8r-1t6w", "lower case"),
        ("xH7k 9p2M 4Q8r 1t6W", "mixed case, spaces"),
        ("XH7K—9P2M—4Q8R—1T6W", "em dashes"),
        ("XH7K·9P2M·4Q8R·1T6W", "middle dots"),
        ("XH7K.9P2M.4Q8R.1T6W", "dots"),
        ("XH7K - 9P2M - 4Q8R - 1T6W", "spaced dashes"),
        ("XH7K9P2M 4Q8R1T6W", "two halves"),
        ("XH7K\u30009P2M\u30004Q8R\u30001T6W", "ideographic spaces"),
    ],
)
def test_a_key_is_found_and_masked_in_every_spelling(text: str, spelling: str) -> None:
    line = f"我的卡密是{text}，提示无效"
    assert [m.key for m in DETECTOR.find(line)] == [KEY], spelling
    masked = DETECTOR.mask(line)
    assert masked == "我的卡密是XH7K****6W，提示无效"
    assert not exposes(masked, KEY)


@pytest.mark.parametrize(
    "text",
    [
        "我的游戏ID是1234567890123",
        "https://www.bilibili.com/video/BV1GJ411x7h7",
        "订单号 DD2026112000001",
        "订单 DD20261120000012 没到账",  # 16 characters, the key's length: still an order number
        "hope 2026 will have more games",
        "trace id 550e8400-e29b-41d4-a716-446655440000",
        "银行卡 6222 0212 3456 7890",
        "WELL-DONE-GOOD-GAME",
        "HAHAHAHAHAHAHAHA",
        "https://x.example/s/AB12CD34EF56GH78",
    ],
)
def test_look_alikes_are_not_keys(text: str) -> None:
    assert DETECTOR.find(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "我的游戏ID是1234567890123",
        "https://www.bilibili.com/video/BV1GJ411x7h7?vd_source=2f3e1a9b8c7d6e5f4a3b2c1d0e9f8a7b",
        "订单 DD20261120000012 没到账",
        "客服电话 400-800-1234, 2026-11-20 14:00",
    ],
)
def test_masking_leaves_ids_links_and_order_numbers_alone(text: str) -> None:
    assert mask_sensitive(text) == text


def test_the_masking_safety_net_hides_other_long_mixed_tokens() -> None:
    assert mask_sensitive("hash a8f7e6d5c4b3a29181706f5e4d3c2b1a here") == "hash a8f7****1a here"
    assert (
        mask_sensitive("电话 13812345678 卡密 xh7k9p2m4q8r1t6w")
        == "电话 138****5678 卡密 XH7K****6W"
    )


def test_overlapping_readings_pick_the_key_not_the_word_before_it() -> None:
    assert find_card_keys("/card XH7K 9P2M 4Q8R 1T6W") == [KEY]
    assert find_card_keys("code K3VD 8WQ2 M7PX 5J9C thanks") == ["K3VD-8WQ2-M7PX-5J9C"]
    two = "两张卡密 XH7K 9P2M 4Q8R 1T6W K3VD 8WQ2 M7PX 5J9C"
    assert find_card_keys(two) == [KEY, "K3VD-8WQ2-M7PX-5J9C"]
    assert mask_sensitive(two) == "两张卡密 XH7K****6W K3VD****9C"


def test_labelled_set_recall_and_no_false_deletions() -> None:
    rows = cardkey_bench.load_labelled()
    assert len(rows) >= 200
    keys = {key for row in rows for key in row.get("keys", [])}
    assert len(keys) > 20  # not only the demo keys
    score = cardkey_bench.score_labelled(DETECTOR, rows)
    assert score["recall"] >= 0.99 and score["key_recall"] >= 0.99, score["misses"]
    assert score["false_deletions"] == []
    for row in rows:
        masked = mask_sensitive(row["text"])
        assert not any(exposes(masked, key) for key in row.get("keys", [])), row["text"]
        if row["note"] in ("uid", "qq", "order", "link", "product", "date", "price"):
            assert masked == row["text"], row["text"]


def test_the_bench_runs_on_a_small_input() -> None:
    result = cardkey_bench.run(length=64, repeat=1)
    assert result["accuracy"]["false_deletions"] == []
    assert set(result["timing"]["cases"]) == set(cardkey_bench.adversarial_messages(64))
    assert result["timing"]["length"] == 64


@pytest.fixture
def restore_detector() -> Iterator[None]:
    before = card_key_detector()
    yield
    use_card_key_detector(before)


@pytest.mark.usefixtures("restore_detector")
def test_configured_formats_replace_the_default() -> None:
    config = make_config(
        "sqlite+aiosqlite:///:memory:",
        self_service={"card_key_formats": ["GC-####-@@@@-XXXX"]},
    )
    detector = CardKeyDetector(
        config.self_service.card_key_formats, order_pattern=config.shop.order_pattern
    )
    use_card_key_detector(detector)
    assert find_card_keys("礼品卡 gc 2026 abcd 9z9z 用不了") == ["GC-2026-ABCD-9Z9Z"]
    assert mask_sensitive("礼品卡 gc 2026 abcd 9z9z") == "礼品卡 GC-2****9Z"
    assert not contains_card_key(KEY)


def test_the_default_config_lists_the_demo_format() -> None:
    config = make_config("sqlite+aiosqlite:///:memory:")
    assert config.self_service.card_key_formats == ["XXXX-XXXX-XXXX-XXXX"]


@pytest.mark.parametrize(
    ("formats", "words"),
    [
        (["XXXX XXXX"], "X (letter or digit)"),
        (["XXXX--XXXX"], "single dashes"),
        (["XXX-XX"], "8 to 64"),
        ([], "at least one format"),
    ],
)
def test_a_bad_format_is_a_config_error_naming_the_key(formats: list[str], words: str) -> None:
    with pytest.raises(ConfigError) as error:
        make_config("sqlite+aiosqlite:///:memory:", self_service={"card_key_formats": formats})
    assert "card_key_formats" in str(error.value) and words in str(error.value)


def test_format_patterns_have_fixed_groups_and_bounded_separators() -> None:
    pattern = parse_format("XXXX-XXXX-XXXX-XXXX").finder.pattern
    assert "[A-Za-z0-9]{4}" in pattern and "{0,3}" in pattern
    assert "+" not in pattern and "*" not in pattern  # nothing unbounded to backtrack over


def test_config_and_readme_document_the_key() -> None:
    assert "card_key_formats" in (REPO / "config.toml").read_text(encoding="utf-8")
    assert "`self_service.card_key_formats`" in Path(REPO / "README.md").read_text(encoding="utf-8")
