"""Buyers' card keys and phone numbers never appear in full in logs."""

from __future__ import annotations

import io
import json
import logging

import pytest

from core.logs import JsonFormatter, MaskingFormatter
from core.masking import mask_card_key, mask_sensitive


@pytest.mark.parametrize(
    ("raw", "hidden", "kept"),
    [
        ("我的手机 13812345678 收不到", "13812345678", "138****5678"),
        ("电话 +86 138-1234-5678", "1234-5678", "138****5678"),
        ("卡密 ABCD-EFGH-1234-5678 用不了", "EFGH-1234", "ABCD"),
        ("key X7K9P2M4Q8R1T6W3 invalid", "P2M4Q8R1", "X7K9"),
    ],
)
def test_mask_sensitive(raw: str, hidden: str, kept: str) -> None:
    masked = mask_sensitive(raw)
    assert hidden not in masked and kept in masked


def test_ordinary_text_and_official_numbers_are_left_alone() -> None:
    text = "订单 order please, 客服电话 400-800-1234, 2026-11-20 14:00"
    assert mask_sensitive(text) == text


def test_card_key_keeps_at_most_first_four_and_last_two() -> None:
    assert mask_card_key("ABCDEFGHIJKL") == "ABCD****KL"
    assert mask_card_key("XH7K-9P2M-4Q8R-1T6W") == "XH7K****6W"


@pytest.mark.parametrize("formatter", [MaskingFormatter("%(message)s"), JsonFormatter()])
def test_log_formatters_mask_messages_and_tracebacks(formatter: logging.Formatter) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    logger = logging.getLogger("test.masking")
    logger.addHandler(handler)
    try:
        logger.error("user sent %s", "13812345678")
        try:
            raise ValueError("bad key ABCD-EFGH-1234-5678")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert "13812345678" not in output and "EFGH-1234" not in output
    assert "138****5678" in output
    if isinstance(formatter, JsonFormatter):
        assert json.loads(output.splitlines()[0])["message"] == "user sent 138****5678"
