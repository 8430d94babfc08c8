"""Issue 21.4: impossible timelines never reach staff. A vague time stays a range, every time
is checked against the order's purchase time, and editing the order re-checks the time.

The clock stands at 21:36 (Asia/Shanghai) when the demo shop is seeded, so the demo order
``paid`` was placed at 21:33 the same day, as in the console report."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.shop.demo_data import DEMO_ORDER_NOS
from bots.app import App
from core.clock import FakeClock
from tests.test_complaint import click, open_ticket_rows, say

LATE_ORDER = DEMO_ORDER_NOS["paid"]  # placed 21:33 today
OLD_ORDER = DEMO_ORDER_NOS["delivered_card_used"]  # placed three days ago
EVENING_ORDER = DEMO_ORDER_NOS["delivered_card"]  # placed 19:31 today


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 24, 13, 36, tzinfo=UTC))  # 21:36 in Shanghai


async def to_when_step(app: App, order_no: str) -> str:
    await say(app, "/complain")
    await click(app, "flow:cat:card_invalid")
    return await say(app, order_no)


async def test_a_range_wholly_before_the_purchase_is_refused_with_a_hint(app: App) -> None:
    assert "21:33下单" in await to_when_step(app, LATE_ORDER)
    refused = await say(app, "今天下午")
    assert "早于这笔订单的下单时间（11月24日21:33）" in refused
    assert "11月24日12点至18点" in refused  # what the buyer's words were taken to mean
    assert "屏幕上提示" not in refused  # the step is kept
    assert "屏幕上提示" in await say(app, "刚才")


async def test_an_overlapping_range_is_accepted_and_clipped_to_the_purchase(app: App) -> None:
    await to_when_step(app, LATE_ORDER)
    await say(app, "刚才")  # the last half hour: 21:06-21:36, bought 21:33
    await say(app, "提示卡密无效")
    summary = await click(app, "flow:skip")
    assert "发生时间：11月24日21:33至21:36" in summary
    assert "21:06" not in summary


async def test_a_vague_day_is_stored_vague_not_with_invented_precision(app: App) -> None:
    await to_when_step(app, OLD_ORDER)
    await say(app, "昨天")
    await say(app, "提示卡密已被使用")
    summary = await click(app, "flow:skip")
    assert "发生时间：11月23日" in summary and "11月23日9点" not in summary
    assert "11月23日使用卡密时提示“卡密已被使用”" in summary
    await click(app, "flow:confirm")
    [ticket] = await open_ticket_rows(app)
    assert "when" not in ticket.fields  # no single moment for staff to mistake as exact
    assert ticket.fields["when_start"].startswith("2026-11-23T00:00")
    assert ticket.fields["when_end"].startswith("2026-11-24T00:00")
    assert ticket.fields["when_text"] == "昨天"
    assert "11月23日使用卡密时" in ticket.summary


async def test_an_exact_time_keeps_its_moment_for_staff(app: App) -> None:
    await to_when_step(app, OLD_ORDER)
    await say(app, "昨天下午3点")
    await say(app, "提示卡密已被使用")
    await click(app, "flow:skip")
    await click(app, "flow:confirm")
    [ticket] = await open_ticket_rows(app)
    assert ticket.fields["when"].startswith("2026-11-23T15:00")


async def test_editing_the_order_rechecks_the_time_and_says_what_changed(app: App) -> None:
    await to_when_step(app, OLD_ORDER)
    await say(app, "昨天下午")
    await say(app, "提示卡密已被使用")
    await click(app, "flow:skip")
    await click(app, "flow:edit:order")
    changed = await say(app, LATE_ORDER)
    assert f"订单：{OLD_ORDER} → {LATE_ORDER}" in changed
    assert "11月23日12点至18点早于新订单的下单时间（11月24日21:33）" in changed
    assert "什么时候" in changed  # the time is asked again before the summary
    assert "请确认投诉内容" not in changed
    summary = await say(app, "刚才")
    assert "请确认投诉内容" in summary and "发生时间：11月24日21:33至21:36" in summary
    assert LATE_ORDER in summary


async def test_editing_the_order_clips_an_overlapping_time_and_shows_it(app: App) -> None:
    await to_when_step(app, OLD_ORDER)
    await say(app, "今天")
    await say(app, "提示卡密已被使用")
    await click(app, "flow:skip")
    await click(app, "flow:edit:order")
    changed = await say(app, EVENING_ORDER)
    assert "发生时间：11月24日 → 11月24日19:31至24点" in changed
    assert "请确认投诉内容" in changed  # nothing to ask again: straight back to the summary


async def test_editing_the_time_is_checked_against_the_order(app: App) -> None:
    await to_when_step(app, LATE_ORDER)
    await say(app, "刚才")
    await say(app, "提示卡密无效")
    await click(app, "flow:skip")
    await click(app, "flow:edit:when")
    assert "早于这笔订单的下单时间" in await say(app, "昨天")
    assert "发生时间：11月24日21:35" in await say(app, "21:35")
