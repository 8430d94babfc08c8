"""What the shop told us about an order, as plain data kept in the flow state, and in words."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from core.shop import Order, Recharge

ORDER_STATUS_ZH = {
    "paid": "已付款，待发货",
    "pending": "待付款",
    "processing": "处理中",
    "delivered": "已发货",
    "failed": "发货/充值失败",
    "abnormal": "异常，审核中",
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


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def local_time(
    moment: datetime, tz: tzinfo, *, reference: datetime | None = None, locale: str = "zh"
) -> str:
    """A moment in the shop's time zone: "10月15日14点", "10月15日14:30", or just "16点"
    when on the same day as ``reference``; in English "Oct 15, 14:00" or "16:00"."""
    local = moment.astimezone(tz)
    same_day = reference is not None and reference.astimezone(tz).date() == local.date()
    if locale == "en":
        clock = f"{local.hour}:{local.minute:02d}"
        return clock if same_day else f"{_MONTHS_EN[local.month - 1]} {local.day}, {clock}"
    clock = f"{local.hour}点" if local.minute == 0 else f"{local.hour}:{local.minute:02d}"
    return clock if same_day else f"{local.month}月{local.day}日{clock}"


def describe_order(facts: Mapping[str, Any], tz: tzinfo, locale: str) -> str:
    """One line a buyer recognises their order by, shown after a label such as "订单："
    (so it does not start with one): "DD2026…，Steam 充值卡 100元，¥100.00，11月21日17点下单，
    已发货，卡密 K3VD****9C，有效期180天"."""
    en = locale == "en"
    when = bought_at(facts)
    status = facts["status"]
    parts = [str(facts["order_no"]), str(facts["product"]), f"¥{facts['amount']}"]
    if when:
        stamp = local_time(when, tz, locale=locale)
        parts.append(f"bought {stamp}" if en else f"{stamp}下单")
    parts.append((ORDER_STATUS_EN if en else ORDER_STATUS_ZH).get(status, status))
    if facts.get("card_key_masked"):
        masked = facts["card_key_masked"]
        parts.append(f"card key {masked}" if en else f"卡密 {masked}")
    if facts.get("card_valid_days"):
        days = facts["card_valid_days"]
        parts.append(f"valid {days} days" if en else f"有效期{days}天")
    if facts.get("failure_reason"):
        reason = facts["failure_reason"]
        parts.append(f"failure: {reason}" if en else f"失败原因：{reason}")
    return (", " if en else "，").join(parts)
