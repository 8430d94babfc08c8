"""Issue 21.5: an order number or card key pasted on its own in private is looked up, as
``/order`` and ``/card`` would (same rate limit, same masking), also right after an idle
flow was closed; in a group it is not answered with personal facts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.shop.demo_data import DEMO_CARD_KEYS, DEMO_ORDER_NOS
from bots.app import App
from core.clock import FakeClock
from tests.conftest import AppFactory
from tests.helpers import GROUP
from tests.test_complaint import say

ORDER = DEMO_ORDER_NOS["delivered_card_used"]
KEY = DEMO_CARD_KEYS["used"]


@pytest.mark.parametrize("text", [ORDER, ORDER.lower(), f"订单号：{ORDER}", f"  {ORDER}  "])
async def test_a_bare_order_number_is_looked_up(app: App, text: str) -> None:
    answer = await say(app, text)
    assert f"订单 {ORDER}" in answer and "Steam" in answer
    assert "不太明白" not in answer


@pytest.mark.parametrize("text", [KEY, KEY.lower(), KEY.replace("-", ""), f"卡密 {KEY}"])
async def test_a_bare_card_key_is_looked_up_and_masked(app: App, text: str) -> None:
    answer = await say(app, text)
    assert "已于" in answer and "被使用" in answer
    assert KEY not in answer and KEY.replace("-", "") not in answer  # masked
    assert "不太明白" not in answer


async def test_a_pasted_identifier_after_an_idle_flow_closed(app: App, clock: FakeClock) -> None:
    await say(app, "/complain")
    clock.advance(timedelta(minutes=31))
    answer = await say(app, ORDER)
    assert f"订单 {ORDER}" in answer and "不太明白" not in answer


async def test_pasted_lookups_share_the_lookup_limit(app_factory: AppFactory) -> None:
    app = await app_factory(self_service={"lookups_per_window": 1, "window_minutes": 10})
    assert f"订单 {ORDER}" in await say(app, ORDER)
    limited = await say(app, KEY)
    assert "查询太频繁" in limited and "被使用" not in limited


async def test_words_around_an_identifier_still_go_to_the_classifier(app: App) -> None:
    answer = await say(app, f"{ORDER} 卡密用不了")
    assert "不太明白" not in answer  # the intent route answers it (a lookup or the flow)


async def test_in_a_group_a_bare_order_number_gets_no_personal_answer(app: App) -> None:
    answer = await say(app, ORDER, chat=GROUP)
    assert "Steam" not in answer
