"""Complaint categories, how buyers name them, and the complexity rules per category."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from core.numbers import parse_small_int
from core.shop import OrderStatus
from core.tickets.service import Complexity

# id → (Chinese label, English label); the order is the order of the buttons.
CATEGORIES: dict[str, tuple[str, str]] = {
    "card_invalid": ("卡密无效/已使用", "Card key invalid"),
    "recharge_failed": ("充值失败/未到账", "Top-up failed"),
    "not_delivered": ("付款后未发货", "Paid but not delivered"),
    "account": ("账号问题", "Account problem"),
    "refund": ("申请退款", "Refund"),
    "other": ("其他问题", "Something else"),
}

# Categories where an order number is helpful but not required.
ORDER_OPTIONAL = frozenset({"account", "other"})

_KEYWORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("card_invalid", re.compile(r"卡密|卡秘|卡蜜|card|key|激活码|兑换码|无效|已使用|过期", re.I)),
    ("recharge_failed", re.compile(r"充值|冲值|到账|代充|top.?up|recharge", re.I)),
    ("not_delivered", re.compile(r"发货|没收到|未收到|deliver", re.I)),
    ("account", re.compile(r"账号|帐号|封号|冻结|登录|登陆|account|login", re.I)),
    ("refund", re.compile(r"退款|退钱|refund", re.I)),
    ("other", re.compile(r"其他|其它|other", re.I)),
)

# What the buyer was doing when the problem showed, for the summary sentence.
ACTIONS = {
    "card_invalid": "使用卡密",
    "recharge_failed": "充值",
    "not_delivered": "查看订单",
    "account": "登录账号",
    "refund": "申请退款",
    "other": "",
}


def category_from_text(text: str) -> str | None:
    """A category from a typed answer: its number (1-6), its label, or a keyword."""
    answer = text.strip()
    number = parse_small_int(answer, 1, len(CATEGORIES))
    if number is not None:  # "3", "３", "③"; "፩" (isdigit but not a number) is asked again
        return list(CATEGORIES)[number - 1]
    for category, (zh, en) in CATEGORIES.items():
        if answer in (zh, en, category):
            return category
    for category, pattern in _KEYWORDS:
        if pattern.search(answer):
            return category
    return None


def label(category: str, locale: str) -> str:
    zh, en = CATEGORIES.get(category, (category, category))
    return en if locale == "en" else zh


def complexity_for(category: str, order: Mapping[str, Any] | None) -> Complexity:
    """Simple tickets need a first answer in 2 h; complex ones a plan in 24 h.

    Account problems, refunds and unclassified issues need investigation; so do orders the
    shop holds as abnormal or has already refunded, and enterprise (bulk) orders.
    """
    if category in ("account", "refund", "other"):
        return Complexity.COMPLEX
    if order:
        if order.get("status") in (OrderStatus.ABNORMAL.value, OrderStatus.REFUNDED.value):
            return Complexity.COMPLEX
        if order.get("bulk"):
            return Complexity.COMPLEX
    return Complexity.SIMPLE
