"""What the shop told us about an order, as plain data kept in the flow state, and in words."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from core.shop import Order, Recharge

ORDER_STATUS_ZH = {
    "paid": "已付款,待发货",
    "pending": "待付款",
    "processing": "处理中",
    "delivered": "已发货",
    "failed": "发货/充值失败",
    "abnormal": "异常,审核中",
    "expired": "已过期关闭",
    "refunded": "已退款",
}
ORDER_STATUS_EN = {
    "paid": "paid, awaiting delivery",
    "pending": "awaiting payment",
    "processing": "processing",
    "delivered": "delivered",
    "failed": "delivery/top-up failed",
    "abnormal": "held for review",
    "expired": "closed unpaid",
    "refunded": "refunded",
}


def order_facts(order: Order, recharge: Recharge | None = None) -> dict[str, Any]:
    """JSON-safe facts about an order (no full card key: the shop gives it masked)."""
    facts: dict[str, Any] = {
        "order_no": order.order_no,
        "status": order.status.value,
        "product": order.product,
        "amount": str(order.amount),
        "currency": order.currency,
        "created_at": order.created_at.isoformat(),
        "paid_at": order.paid_at.isoformat() if order.paid_at else "",
        "delivery_type": order.delivery_type.value,
        "card_key_masked": order.card_key_masked,
        "card_valid_days": order.card_valid_days,
        "reissue_eligible": order.reissue_eligible,
        "bulk": order.bulk,
    }
    if recharge is not None:
        facts["recharge_status"] = recharge.status.value
        facts["failure_reason"] = recharge.failure_reason
        facts["account_masked"] = recharge.account_masked
    return facts


def bought_at(facts: Mapping[str, Any]) -> datetime | None:
    raw = facts.get("paid_at") or facts.get("created_at")
    return datetime.fromisoformat(raw) if raw else None


def local_time(moment: datetime, tz: tzinfo, *, reference: datetime | None = None) -> str:
    """ "10月15日14点", "14:30", or just "16点" when on the same day as ``reference``."""
    local = moment.astimezone(tz)
    clock = f"{local.hour}点" if local.minute == 0 else f"{local.hour}:{local.minute:02d}"
    if reference is not None and reference.astimezone(tz).date() == local.date():
        return clock
    return f"{local.month}月{local.day}日{clock}"


def describe_order(facts: Mapping[str, Any], tz: tzinfo, locale: str) -> str:
    """One or two lines a buyer recognises their order by."""
    when = bought_at(facts)
    status_words = (ORDER_STATUS_EN if locale == "en" else ORDER_STATUS_ZH).get(
        facts["status"], facts["status"]
    )
    if locale == "en":
        line = f"Order {facts['order_no']}: {facts['product']}, ¥{facts['amount']}"
        if when:
            line += f", bought {when.astimezone(tz):%Y-%m-%d %H:%M}"
        line += f", status: {status_words}"
    else:
        line = f"订单 {facts['order_no']}:{facts['product']},¥{facts['amount']}"
        if when:
            line += f",{local_time(when, tz)}下单"
        line += f",状态:{status_words}"
    extras = []
    if facts.get("card_key_masked"):
        extras.append(
            f"卡密 {facts['card_key_masked']}"
            if locale != "en"
            else f"card key {facts['card_key_masked']}"
        )
    if facts.get("card_valid_days"):
        days = facts["card_valid_days"]
        extras.append(f"卡密有效期{days}天" if locale != "en" else f"card valid {days} days")
    if facts.get("failure_reason"):
        extras.append(
            ("失败原因:" if locale != "en" else "failure: ") + str(facts["failure_reason"])
        )
    if extras:
        line += ("," if locale != "en" else "; ") + ("," if locale != "en" else ", ").join(extras)
    return line
