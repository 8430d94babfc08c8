"""Self-service lookups on every demo order status, express reissue exactly once, privacy in
groups, rate limits and the enterprise route — through the engine with the demo shop."""

from __future__ import annotations

import pytest

from adapters.shop.demo_data import DEMO_CARD_KEYS, DEMO_ORDER_NOS
from bots.app import App
from core.model import Button, DeleteMessage, Event, EventKind, NotifyStaff, Reply, SendPrivate
from tests.conftest import AppFactory
from tests.helpers import ALICE, DM, GROUP, RecordingChannel, event, texts

ORDER_EXPECTATIONS = {
    "delivered_card": ("已发货", "提交投诉"),
    "delivered_card_used": ("已发货", "提交投诉"),
    "paid": ("已付款", "提交投诉"),
    "pending": ("待付款", None),
    "processing_card": ("处理中", "提交投诉"),
    "failed_card_eligible": ("发货失败", "极速补发"),
    "failed_card": ("发货失败", "提交投诉"),
    "abnormal": ("人工审核", "提交投诉"),
    "expired": ("已过期关闭", None),
    "refunded": ("已退款", None),
    "failed_topup_eligible": ("发货失败", "极速补发"),
    "bulk": ("王经理", "提交投诉"),
}


def buttons_of(actions: list) -> list[Button]:  # type: ignore[type-arg]
    return [
        b for a in actions if isinstance(a, Reply | SendPrivate) for row in a.buttons for b in row
    ]


@pytest.mark.parametrize(("name", "expected"), list(ORDER_EXPECTATIONS.items()))
async def test_order_lookup_for_each_status(
    app: App, name: str, expected: tuple[str, str | None]
) -> None:
    words, button = expected
    actions = await app.engine.handle(event(f"/order {DEMO_ORDER_NOS[name]}"))
    assert words in texts(actions)
    labels = [b.label for b in buttons_of(actions)]
    assert (button in " ".join(labels)) if button else labels == []


@pytest.mark.parametrize(
    ("status", "words"),
    [("unused", "未使用"), ("used", "被使用"), ("expired", "过期"), ("invalid", "无效")],
)
async def test_card_lookup_for_each_status_never_echoes_the_key(
    app: App, status: str, words: str
) -> None:
    key = DEMO_CARD_KEYS[status]
    reply = texts(await app.engine.handle(event(f"/card {key}")))
    assert words in reply
    assert key not in reply and key[5:14] not in reply
    assert key[:4] in reply  # masked: first 4 (and last 2) only


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("processing_topup", "充值中"),
        ("processing_topup_overdue", "已超过通常到账时间"),
        ("delivered_topup", "充值成功"),
        ("failed_topup_eligible", "极速补发"),
        ("failed_topup", "充值失败"),
    ],
)
async def test_recharge_progress(app: App, name: str, words: str) -> None:
    assert words in texts(await app.engine.handle(event(f"/recharge {DEMO_ORDER_NOS[name]}")))


async def test_lookup_usage_and_unknown_orders(app: App) -> None:
    assert "用法" in texts(await app.engine.handle(event("/order")))
    assert "没有查到订单" in texts(await app.engine.handle(event("/order DD2026112099999")))
    assert "不是充值订单" in texts(
        await app.engine.handle(event(f"/recharge {DEMO_ORDER_NOS['delivered_card']}"))
    )


async def test_express_reissue_happens_once_even_when_pressed_twice(app: App) -> None:
    order_no = DEMO_ORDER_NOS["failed_topup_eligible"]
    actions = await app.engine.handle(event(f"/order {order_no}"))
    [button] = [b for b in buttons_of(actions) if "极速补发" in b.label]

    def press(n: int) -> Event:
        return Event(
            kind=EventKind.BUTTON,
            event_id=f"reissue-{n}",
            user=ALICE,
            chat=DM,
            payload=button.payload,
        )

    first = texts(await app.engine.handle(press(1)))
    second = texts(await app.engine.handle(press(2)))
    assert "已提交极速补发" in first and "不会重复补发" in second
    reference = first.split("补发单号 ")[1].split("）")[0]
    assert reference in second
    # The shop did it once: the order is back in progress, and a new request is refused there.
    result = await app.services.shop.request_reissue(order_no, idempotency_key="another-key")
    assert not result.accepted


async def test_not_eligible_reissue_goes_to_the_complaint_flow_with_the_order(app: App) -> None:
    # The shop no longer allows a reissue it offered (the button was issued to Alice).
    order_no = DEMO_ORDER_NOS["failed_card"]
    payload = app.services.binder.bind(ALICE.key, f"reissue:{order_no}")
    press = Event(kind=EventKind.BUTTON, event_id="r-x", user=ALICE, chat=DM, payload=payload)
    reply = texts(await app.engine.handle(press))
    assert "不符合极速补发条件" in reply and "已查到你的订单" in reply and order_no in reply


async def test_complain_button_from_a_lookup_prefills_category_and_order(app: App) -> None:
    order_no = DEMO_ORDER_NOS["delivered_card_used"]
    actions = await app.engine.handle(event(f"/card {DEMO_CARD_KEYS['used']}"))
    [button] = buttons_of(actions)
    press = Event(
        kind=EventKind.BUTTON, event_id="c-1", user=ALICE, chat=DM, payload=button.payload
    )
    reply = texts(await app.engine.handle(press))
    assert "已查到你的订单" in reply and order_no in reply and "什么时候" in reply


async def test_lookup_in_a_group_is_answered_in_private(app: App) -> None:
    app.services.channels["telegram"] = RecordingChannel()
    actions = await app.engine.handle(
        event(f"/order {DEMO_ORDER_NOS['delivered_card']}", chat=GROUP, message_id="5")
    )
    private = [a for a in actions if isinstance(a, SendPrivate)]
    public = [a for a in actions if isinstance(a, Reply)]
    assert private and "已发货" in private[0].text
    assert public and "已私信" in public[0].text and "已发货" not in public[0].text


async def test_card_key_posted_in_a_group_is_removed_and_never_echoed(app: App) -> None:
    app.services.channels["telegram"] = RecordingChannel()
    key = DEMO_CARD_KEYS["unused"]
    await app.engine.handle(event("大家好", chat=GROUP))
    actions = await app.engine.handle(event(f"我的卡密 {key} 用不了", chat=GROUP, message_id="77"))
    assert any(isinstance(a, DeleteMessage) and a.message_id == "77" for a in actions)
    assert "已删除" in texts(actions) and key not in texts(actions)
    card_in_group = await app.engine.handle(event(f"/card {key}", chat=GROUP, message_id="78"))
    assert any(isinstance(a, DeleteMessage) and a.message_id == "78" for a in card_in_group)
    assert key not in texts(card_in_group)


async def test_lookups_are_rate_limited_per_user(app_factory: AppFactory) -> None:
    app = await app_factory(self_service={"lookups_per_window": 3})
    for i in range(3):
        assert "没有查到订单" in texts(
            await app.engine.handle(event(f"/order DD20261120999{i:02d}"))
        )
    assert "太频繁" in texts(await app.engine.handle(event("/order DD2026112099999")))


async def test_enterprise_buyer_gets_the_consultant_and_an_enterprise_ticket(
    app_factory: AppFactory,
) -> None:
    app = await app_factory(enterprise={"buyers": [ALICE.key], "notify": ["telegram:-100555"]})
    reply = texts(await app.engine.handle(event(f"/recharge {DEMO_ORDER_NOS['processing_topup']}")))
    assert "王经理" in reply
    actions: list = []  # type: ignore[type-arg]
    for answer in ("/complain", "2", DEMO_ORDER_NOS["failed_topup"], "刚才", "跳过", "确认"):
        actions = await app.engine.handle(event(answer))
    alerts = [
        a for a in actions if isinstance(a, NotifyStaff) and a.destination == "telegram:-100555"
    ]
    assert len(alerts) == 1 and "企业工单" in alerts[0].text
    card = next(
        a for a in actions if isinstance(a, NotifyStaff) and a.destination == "console:staff"
    )
    assert "🏢" in card.text  # the staff card marks it enterprise
