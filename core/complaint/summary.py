"""The "timeline + anomaly" summary staff read first, e.g.
"10月15日14点购买A游戏点卡，16点使用卡密时提示“卡密已过期”，订单显示卡密有效期7天".

A vague time stays vague here too ("11月23日使用卡密时…", "12点至18点之间…")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from core.complaint.categories import ACTIONS, label
from core.complaint.facts import (
    ORDER_STATUS_EN,
    ORDER_STATUS_ZH,
    bought_at,
    local_span,
    local_span_en,
    local_time,
)


def when_span(data: Mapping[str, Any]) -> tuple[datetime, datetime] | None:
    """When the problem happened, as stored by the flow: (start, end), equal for a moment.
    Older flow states kept only ``when`` (a moment)."""
    if data.get("when_start"):
        start = datetime.fromisoformat(data["when_start"])
        end = datetime.fromisoformat(data.get("when_end") or data["when_start"])
        return start, end
    if data.get("when"):
        moment = datetime.fromisoformat(data["when"])
        return moment, moment
    return None


def when_words(
    data: Mapping[str, Any],
    tz: tzinfo,
    *,
    reference: datetime | None = None,
    locale: str = "zh",
) -> str:
    """The stored time in words ("" when none): a range reads "…至…之间" ("between … and …")."""
    span = when_span(data)
    if span is None:
        return ""
    if locale == "en":
        return local_span_en(*span, tz, reference=reference)
    text = local_span(*span, tz, reference=reference)
    return text if span[0] == span[1] or "至" not in text else f"{text}之间"


# What the buyer was doing when the problem showed, in English (ACTIONS has the Chinese).
ACTIONS_EN = {
    "card_invalid": "redeeming the card key",
    "recharge_failed": "topping up",
    "not_delivered": "checking the order",
    "account": "logging in",
    "refund": "asking for a refund",
    "other": "",
}
# "提示卡密已被使用" → 提示“卡密已被使用”: drop the buyer's own lead-in word.
_LEAD_IN = re.compile(r"^(提示|显示|报错|弹出|说|it says|says|error)\s*[:：]?\s*", re.I)


def timeline_summary(data: Mapping[str, Any], tz: tzinfo, locale: str = "zh") -> str:
    """One sentence: when it was bought, when and how it failed, what the order shows."""
    if locale == "en":
        return _summary_en(data, tz)
    facts: Mapping[str, Any] = data.get("order") or {}
    category = data.get("category", "other")
    parts: list[str] = []
    bought = bought_at(facts) if facts else None
    if bought is not None:
        parts.append(f"{local_time(bought, tz)}购买{_spaced(facts['product'])}")
    moment = when_words(data, tz, reference=bought)
    error = _LEAD_IN.sub("", str(data.get("error", "")).strip())
    action = ACTIONS.get(category, "")
    if moment:
        if action and error:
            parts.append(f"{moment}{action}时提示“{error}”")
        elif error:
            parts.append(f"{moment}出现问题，提示“{error}”")
        else:
            parts.append(f"{moment}{action or '出现问题'}")
    elif error:
        parts.append(f"提示“{error}”")
    if data.get("notes"):
        parts.append(f"用户补充：“{data['notes']}”")
    anomaly = []
    if facts:
        anomaly.append(ORDER_STATUS_ZH.get(facts["status"], facts["status"]))
        if facts.get("card_valid_days"):
            anomaly.append(f"卡密有效期{facts['card_valid_days']}天")
        if facts.get("failure_reason"):
            anomaly.append(f"失败原因“{facts['failure_reason']}”")
        parts.append("订单显示" + "，".join(anomaly))
    if not parts:
        parts.append(label(category, "zh"))
    return "，".join(parts)


def _spaced(product: str) -> str:
    """A product name after Chinese text: a space before a Latin start ("购买 Steam 充值卡")."""
    return f" {product}" if product[:1].isascii() and product[:1].isalnum() else product


def _summary_en(data: Mapping[str, Any], tz: tzinfo) -> str:
    facts: Mapping[str, Any] = data.get("order") or {}
    category = data.get("category", "other")
    parts: list[str] = []
    bought = bought_at(facts) if facts else None
    if bought is not None:
        parts.append(f"bought {facts['product']} on {local_time(bought, tz, locale='en')}")
    span = when_span(data)
    error = _LEAD_IN.sub("", str(data.get("error", "")).strip())
    action = ACTIONS_EN.get(category, "")
    if span is not None:
        moment = local_span_en(*span, tz, reference=bought)
        if error:
            doing = f", while {action}," if action else ""
            parts.append(f"at {moment}{doing} the screen said '{error}'")
        else:
            parts.append(
                f"at {moment} something went wrong" + (f" while {action}" if action else "")
            )
    elif error:
        parts.append(f"the screen said '{error}'")
    if facts:
        anomaly = [ORDER_STATUS_EN.get(facts["status"], facts["status"])]
        if facts.get("card_valid_days"):
            anomaly.append(f"card key valid {facts['card_valid_days']} days")
        if facts.get("failure_reason"):
            anomaly.append(f"failure '{facts['failure_reason']}'")
        parts.append("the order shows " + ", ".join(anomaly))
    if not parts:
        parts.append(label(category, "en"))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]
