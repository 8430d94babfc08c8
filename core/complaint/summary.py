"""The "timeline + anomaly" summary staff read first, e.g.
"10月15日14点购买A游戏点卡,16点使用卡密时提示“卡密已过期”,订单显示卡密有效期7天"."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from core.complaint.categories import ACTIONS, label
from core.complaint.facts import ORDER_STATUS_ZH, bought_at, local_time


def timeline_summary(data: Mapping[str, Any], tz: tzinfo) -> str:
    facts: Mapping[str, Any] = data.get("order") or {}
    category = data.get("category", "other")
    parts: list[str] = []
    bought = bought_at(facts) if facts else None
    if bought is not None:
        parts.append(f"{local_time(bought, tz)}购买{facts['product']}")
    when = datetime.fromisoformat(data["when"]) if data.get("when") else None
    # "提示卡密已被使用" → 提示“卡密已被使用”: drop the buyer's own lead-in word.
    error = re.sub(r"^(提示|显示|报错|弹出|说)\s*[::]?\s*", "", str(data.get("error", "")).strip())
    action = ACTIONS.get(category, "")
    if when is not None:
        moment = local_time(when, tz, reference=bought)
        if action and error:
            parts.append(f"{moment}{action}时提示“{error}”")
        elif error:
            parts.append(f"{moment}出现问题:“{error}”")
        else:
            parts.append(f"{moment}{action or '出现问题'}")
    elif error:
        parts.append(f"提示“{error}”")
    anomaly = []
    if facts:
        anomaly.append(ORDER_STATUS_ZH.get(facts["status"], facts["status"]))
        if facts.get("card_valid_days"):
            anomaly.append(f"卡密有效期{facts['card_valid_days']}天")
        if facts.get("failure_reason"):
            anomaly.append(f"失败原因“{facts['failure_reason']}”")
        parts.append("订单显示" + ",".join(anomaly))
    if not parts:
        parts.append(label(category, "zh"))
    return ",".join(parts)
