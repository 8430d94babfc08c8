"""What the shop told us about an order, as plain data kept in the flow state, and in words.

One source of truth for every screen (the lookups, the complaint, the staff card):

* an order's purchase time is :func:`bought_at` (when it was placed), shown with the words
  "下单" everywhere;
* every moment is written by :func:`local_time` (or :func:`local_span` for a range), in
  the shop's time zone and cut to the minute, so two screens never disagree by a minute;
* an order's status reads the same in every view (:data:`ORDER_STATUS_ZH`), and a top-up's
  progress is read through its order's status (:func:`recharge_overruled`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, tzinfo
from typing import Any

from core.shop import DeliveryType, Order, OrderStatus, Recharge

ORDER_STATUS_ZH = {
    "paid": "已付款，待发货",
    "pending": "待付款",
    "processing": "处理中",
    "delivered": "已发货",
    "failed": "发货/充值失败",
    "abnormal": "异常，人工审核中",
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

# Order states in which a top-up is not running, whatever its own record says: the order
# decides ("异常" must never read "排队中" on another screen).
_TOPUP_NOT_RUNNING = frozenset(
    {OrderStatus.PENDING, OrderStatus.ABNORMAL, OrderStatus.EXPIRED, OrderStatus.REFUNDED}
)


def recharge_overruled(order: Order | None) -> bool:
    """True when the order's own status, not the top-up record, says where a top-up is."""
    return order is not None and order.status in _TOPUP_NOT_RUNNING


def keys_in_bulk(order: Order) -> bool:
    """A delivered card-key order whose keys are not one key the bot can show (a bulk
    purchase): its keys went to the order page, not into a chat message."""
    return (
        not order.card_key_masked
        and order.delivery_type is DeliveryType.AUTO
        and (order.bulk or order.quantity > 1)
    )


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
        "quantity": order.quantity,
    }
    if recharge is not None:
        facts["recharge_status"] = recharge.status.value
        facts["failure_reason"] = recharge.failure_reason
        facts["account_masked"] = recharge.account_masked
    return facts


def bought_at(facts: Mapping[str, Any]) -> datetime | None:
    """The order's purchase time: when it was placed (what every screen shows as 下单)."""
    raw = facts.get("created_at") or facts.get("paid_at")
    return datetime.fromisoformat(raw) if raw else None


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _minute(moment: datetime, tz: tzinfo) -> datetime:
    return moment.astimezone(tz).replace(second=0, microsecond=0)


def _clock(local: datetime) -> str:
    return f"{local.hour}点" if local.minute == 0 else f"{local.hour}:{local.minute:02d}"


def local_time(
    moment: datetime, tz: tzinfo, *, reference: datetime | None = None, locale: str = "zh"
) -> str:
    """The one way the bot writes a moment: in the shop's time zone, cut to the minute.
    "10月15日14点", "10月15日14:30", or just "16点" when on the same day as ``reference``;
    in English "Oct 15, 14:00" or "16:00"."""
    local = _minute(moment, tz)
    same_day = reference is not None and reference.astimezone(tz).date() == local.date()
    if locale == "en":
        clock = f"{local.hour}:{local.minute:02d}"
        return clock if same_day else f"{_MONTHS_EN[local.month - 1]} {local.day}, {clock}"
    return _clock(local) if same_day else f"{local.month}月{local.day}日{_clock(local)}"


def local_span(
    start: datetime, end: datetime, tz: tzinfo, *, reference: datetime | None = None
) -> str:
    """A moment or a range as a buyer would say it back: "11月23日" (that whole day),
    "11月24日12点至18点", "11月23日22点至11月24日2点"; a zero-length range is a moment."""
    if start == end:
        return local_time(start, tz, reference=reference)
    first, last = _minute(start, tz), _minute(end, tz)
    day_end = first.replace(hour=0, minute=0) + timedelta(days=1)
    same_day = reference is not None and reference.astimezone(tz).date() == first.date()
    day = "" if same_day else f"{first.month}月{first.day}日"
    if first.hour == first.minute == 0 and last == day_end:
        return day or "当天"
    if last == day_end:
        return f"{day}{_clock(first)}至24点"
    if last.date() == first.date():
        return f"{day}{_clock(first)}至{_clock(last)}"
    return f"{day}{_clock(first)}至{last.month}月{last.day}日{_clock(last)}"


def local_span_en(
    start: datetime, end: datetime, tz: tzinfo, *, reference: datetime | None = None
) -> str:
    """The English form of :func:`local_span`: "Nov 23" (the whole day) or "between … and …"."""
    if start == end:
        return local_time(start, tz, reference=reference, locale="en")
    first, last = _minute(start, tz), _minute(end, tz)
    if first.hour == first.minute == 0 and last == first + timedelta(days=1):
        return f"on {_MONTHS_EN[first.month - 1]} {first.day}"
    early = local_time(start, tz, reference=reference, locale="en")
    late = local_time(end, tz, reference=start, locale="en")
    return f"between {early} and {late}"


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
    quantity = int(facts.get("quantity") or 1)
    if facts.get("card_key_masked"):
        masked = facts["card_key_masked"]
        parts.append(f"card key {masked}" if en else f"卡密 {masked}")
    elif facts.get("delivery_type") == "auto" and (facts.get("bulk") or quantity > 1):
        if en:
            parts.append(f"{quantity} card keys, on the order page")
        else:
            parts.append(f"共{quantity}张卡密，见订单详情页")
    if facts.get("card_valid_days"):
        days = facts["card_valid_days"]
        parts.append(f"valid {days} days" if en else f"有效期{days}天")
    if facts.get("failure_reason"):
        reason = facts["failure_reason"]
        parts.append(f"failure: {reason}" if en else f"失败原因：{reason}")
    return (", " if en else "，").join(parts)
