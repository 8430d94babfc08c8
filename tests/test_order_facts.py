"""Issue 21.7: one source of truth for an order's facts. Status words agree between /order and
/recharge, the purchase time reads the same on every screen, a bulk order says where its keys
went, and the demo shop's times are fixed when it is seeded."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.shop.demo import DemoShop
from adapters.shop.demo_data import DEMO_ORDER_NOS
from bots.app import App
from core.clock import FakeClock
from tests.test_complaint import click, say

# Seeded at 20:15:40 in Shanghai: the demo order "paid" is placed 20:12:40, paid 20:13:40.
SEEDED = datetime(2026, 11, 24, 12, 15, 40, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(SEEDED)


@pytest.mark.parametrize("name", ["abnormal_topup", "pending_topup", "expired_topup"])
async def test_order_and_recharge_views_agree_on_the_status(app: App, name: str) -> None:
    order_no = DEMO_ORDER_NOS[name]
    order = await say(app, f"/order {order_no}")
    recharge = await say(app, f"/recharge {order_no}")
    status_line = next(line for line in order.splitlines() if line.startswith("状态："))
    assert status_line in recharge
    assert "排队中" not in recharge and "充值中" not in recharge


async def test_dd2026112000020_is_abnormal_on_both_screens(app: App) -> None:
    assert DEMO_ORDER_NOS["abnormal_topup"] == "DD2026112000020"
    assert "异常" in await say(app, "/order DD2026112000020")
    recharge = await say(app, "/recharge DD2026112000020")
    assert "异常" in recharge and "排队中" not in recharge


async def test_a_running_topup_still_shows_its_progress(app: App) -> None:
    recharge = await say(app, f"/recharge {DEMO_ORDER_NOS['processing_topup']}")
    assert "充值中" in recharge and "已进行 5 分钟" in recharge


async def test_the_purchase_time_is_the_same_on_every_screen(app: App) -> None:
    order_no = DEMO_ORDER_NOS["paid"]
    lookup = await say(app, f"/order {order_no}")
    assert "11月24日20:12 下单" in lookup
    await say(app, "/complain")
    await click(app, "flow:cat:not_delivered")
    found = await say(app, order_no)
    assert "11月24日20:12下单" in found and "20:13" not in found


async def test_a_bulk_order_says_where_its_keys_went(app: App) -> None:
    answer = await say(app, f"/order {DEMO_ORDER_NOS['bulk']}")
    assert "卡密 —" not in answer and "/card" not in answer
    assert "200 张卡密" in answer and "订单详情页" in answer


async def test_a_delivered_topup_shows_no_card_key(app: App) -> None:
    answer = await say(app, f"/order {DEMO_ORDER_NOS['delivered_topup']}")
    assert "卡密" not in answer and "充值到账" in answer


async def test_demo_times_do_not_move_between_queries(app: App, clock: FakeClock) -> None:
    order_no = DEMO_ORDER_NOS["processing_topup"]
    first = await say(app, f"/recharge {order_no}")
    clock.advance(timedelta(minutes=40, seconds=30))
    later = await say(app, f"/recharge {order_no}")
    submitted = re.compile(r"(\d+月\d+日[\d:点]+) 提交")
    assert submitted.search(first) and submitted.search(later)
    assert submitted.search(first)[1] == submitted.search(later)[1]  # type: ignore[index]
    assert "已进行 5 分钟" in first and "已进行 45 分钟" in later
    assert "超过通常到账时间" in later  # usually 10 minutes: now it is late


async def test_the_demo_shop_stores_times_at_seeding(tmp_path: Path) -> None:
    clock = FakeClock(SEEDED)
    shop = DemoShop(tmp_path / "shop.db", clock=clock)
    try:
        before = await shop.get_order(DEMO_ORDER_NOS["paid"])
        clock.advance(timedelta(hours=5))
        after = await shop.get_order(DEMO_ORDER_NOS["paid"])
        assert before is not None and after is not None
        assert before.created_at == after.created_at == SEEDED - timedelta(minutes=3)
    finally:
        await shop.close()
    reopened = DemoShop(tmp_path / "shop.db", clock=FakeClock(SEEDED + timedelta(days=1)))
    try:
        again = await reopened.get_order(DEMO_ORDER_NOS["paid"])
        assert again is not None and again.created_at == SEEDED - timedelta(minutes=3)
    finally:
        await reopened.close()


async def test_a_file_with_times_relative_to_each_query_is_pinned_when_opened(
    tmp_path: Path,
) -> None:
    from sqlalchemy import update

    from adapters.shop import demo_schema as t

    shop = DemoShop(tmp_path / "shop.db", clock=FakeClock(SEEDED))
    async with shop._transaction() as conn:  # as an older version stored it
        await conn.execute(
            update(t.orders)
            .where(t.orders.c.order_no == DEMO_ORDER_NOS["paid"])
            .values(created_at=timedelta(minutes=-3))
        )
    await shop.close()
    later = SEEDED + timedelta(hours=2)
    reopened = DemoShop(tmp_path / "shop.db", clock=FakeClock(later))
    try:
        order = await reopened.get_order(DEMO_ORDER_NOS["paid"])
        assert order is not None and order.created_at == later - timedelta(minutes=3)
        reopened.clock = FakeClock(later + timedelta(hours=1))
        again = await reopened.get_order(DEMO_ORDER_NOS["paid"])
        assert again is not None and again.created_at == order.created_at
    finally:
        await reopened.close()
