"""The "timeline + anomaly" summary staff read first, e.g.
"10月15日14点购买A游戏点卡，16点使用卡密时提示“卡密已过期”，订单显示卡密有效期7天".

A vague time stays vague here too ("11月23日使用卡密时…", "12点至18点之间…")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from core.complaint.categories import ACTIONS, label
from core.complaint.facts import ORDER_STATUS_ZH, bought_at, local_span, local_time


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


def when_words(data: Mapping[str, Any], tz: tzinfo, *, reference: datetime | None = None) -> str:
    """The stored time in words ("" when none): a range reads "…至…之间"."""
    span = when_span(data)
    if span is None:
        return ""
    text = local_span(*span, tz, reference=reference)
    return text if span[0] == span[1] or "至" not in text else f"{text}之间"


def timeline_summary(data: Mapping[str, Any], tz: tzinfo) -> str:
    facts: Mapping[str, Any] = data.get("order") or {}
    category = data.get("category", "other")
    parts: list[str] = []
    bought = bought_at(facts) if facts else None
    if bought is not None:
        parts.append(f"{local_time(bought, tz)}购买{facts['product']}")
    moment = when_words(data, tz, reference=bought)
    # "提示卡密已被使用" → 提示“卡密已被使用”: drop the buyer's own lead-in word.
    error = re.sub(r"^(提示|显示|报错|弹出|说)\s*[:：]?\s*", "", str(data.get("error", "")).strip())
    action = ACTIONS.get(category, "")
    if moment:
        if action and error:
            parts.append(f"{moment}{action}时提示“{error}”")
        elif error:
            parts.append(f"{moment}出现问题：“{error}”")
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
