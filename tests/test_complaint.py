"""The complaint flow end to end through the engine, with the demo shop, on SQLite and
PostgreSQL: every step, every bad answer, restart, cancel, timeout, duplicates, limits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.shop.demo_data import DEMO_ORDER_NOS
from bots.app import App
from core.clock import FakeClock
from core.model import Attachment, ButtonStyle, Event, EventKind, Reply
from core.tickets import service as tickets
from tests.conftest import AppFactory
from tests.helpers import ALICE, DM, GROUP, RecordingChannel, event, texts

USED_CARD_ORDER = DEMO_ORDER_NOS["delivered_card_used"]
FAILED_TOPUP = DEMO_ORDER_NOS["failed_topup"]


def press(payload: str) -> Event:
    return Event(
        kind=EventKind.BUTTON,
        event_id=f"btn-{payload}-{id(payload)}-{press.n}",
        user=ALICE,
        chat=DM,
        payload=payload,
    )


press.n = 0  # type: ignore[attr-defined]


async def say(app: App, text: str = "", **fields: object) -> str:
    return texts(await app.engine.handle(event(text, **fields)))  # type: ignore[arg-type]


async def click(app: App, payload: str) -> str:
    press.n += 1  # type: ignore[attr-defined]
    return texts(await app.engine.handle(press(payload)))


async def open_ticket_rows(app: App) -> list[tickets.TicketRow]:  # type: ignore[name-defined]
    async with app.db.transaction() as session:
        return await tickets.list_for_user(session, ALICE.key)


async def test_full_complaint_through_buttons_creates_a_complete_ticket(app: App) -> None:
    assert "问题类型" in await say(app, "/complain")
    assert "订单号" in await click(app, "flow:cat:card_invalid")
    found = await say(app, f"我的订单号是 {USED_CARD_ORDER.lower()}")
    assert "已查到你的订单" in found and "Steam" in found and "不用再填写" in found
    assert "什么时候" in found  # straight on to the next question
    assert "屏幕上提示" in await say(app, "昨天下午3点")
    assert "截图" in await say(app, "提示:卡密已被使用")
    summary = await say(
        app, "", attachments=(Attachment(kind="image", ref="file-123", name="shot.png"),)
    )
    assert "时间线" in summary and "使用卡密时提示“卡密已被使用”" in summary and "已上传" in summary
    created = await click(app, "flow:confirm")
    assert "已提交工单 T-2400" in created and "2 小时内首次回复" in created
    [ticket] = await open_ticket_rows(app)
    assert ticket.category == "card_invalid" and ticket.complexity == "simple"
    assert ticket.order_no == USED_CARD_ORDER and ticket.status == "open"
    assert ticket.fields["order"]["product"].startswith("Steam")
    assert ticket.fields["error"] == "提示:卡密已被使用"
    assert ticket.fields["screenshot"]["ref"] == "file-123"
    assert ticket.due_at - ticket.created_at == timedelta(hours=2)
    assert any(entry["from"] == "user" for entry in ticket.transcript)
    assert ticket.ticket_no in await say(app, "/ticket")
    assert "卡密已被使用" in await say(app, f"/ticket {ticket.ticket_no.lower()}")


@pytest.mark.parametrize(
    ("step_inputs", "bad", "hint"),
    [
        ([], "啊啊啊", "没能识别问题类型"),
        (["1"], "hello", "不像订单号"),
        (["1"], "DD2026112099999", "没有查到订单 DD2026112099999"),
        (["1", USED_CARD_ORDER], "随便说说", "没看懂这个时间"),
        (["1", USED_CARD_ORDER], "明天下午3点", "不能晚于现在"),
        (["1", USED_CARD_ORDER], "2026-10-01 10:00", "早于这笔订单的下单时间"),
        (["1", USED_CARD_ORDER, "刚才"], "a", "描述太短"),
        (["1", USED_CARD_ORDER, "刚才", "卡密已被使用"], "好的", "请直接发送截图"),
        (["2"], "跳过", "需要订单号"),
    ],
)
async def test_each_bad_answer_gets_a_specific_hint_and_the_step_is_kept(
    app: App, step_inputs: list[str], bad: str, hint: str
) -> None:
    await say(app, "/complain")
    for answer in step_inputs:
        await say(app, answer)
    reply = await say(app, bad)
    assert hint in reply
    # The same step is still waiting: a good answer now moves on.
    from core.storage.repository import get_conversation

    async with app.db.transaction() as session:
        row = await get_conversation(session, ALICE.key)
    assert row is not None and row.flow == "complaint"


async def test_the_shop_failure_reason_is_not_asked_again(app: App) -> None:
    await say(app, "/complain 充值没到账")  # the problem type is taken from the words
    found = await say(app, FAILED_TOPUP)
    assert "失败原因" in found
    after_when = await say(app, "刚才")
    assert "截图" in after_when and "屏幕上提示" not in after_when


async def test_account_problems_may_skip_the_order_number(app: App) -> None:
    await say(app, "/complain")
    await click(app, "flow:cat:account")
    assert "什么时候" in await click(app, "flow:skip")
    await say(app, "半小时前")
    await say(app, "登录提示账号已冻结")
    await click(app, "flow:skip")
    assert "已提交工单" in await say(app, "确认")
    [ticket] = await open_ticket_rows(app)
    assert ticket.complexity == "complex" and ticket.due_at - ticket.created_at == timedelta(
        hours=24
    )


async def test_editing_a_field_returns_to_the_summary(app: App) -> None:
    for answer in ("/complain", "1", USED_CARD_ORDER, "昨天下午3点", "卡密已被使用", "跳过"):
        await say(app, answer)
    assert "什么时候" in await click(app, "flow:edit:when")
    summary = await say(app, "昨天晚上8点")
    assert "请确认" in summary and "20点" in summary


async def test_restart_mid_flow_continues_at_the_same_step(app_factory: AppFactory) -> None:
    app = await app_factory()
    for answer in ("/complain", "1", USED_CARD_ORDER):
        await say(app, answer)
    await app.close()
    restarted = await app_factory()
    assert "屏幕上提示" in await say(restarted, "昨天下午3点")


@pytest.mark.parametrize("how", ["/cancel", "取消", "button"])
async def test_cancel_works_at_any_step(app: App, how: str) -> None:
    await say(app, "/complain")
    await say(app, "1")
    reply = await click(app, "flow:cancel") if how == "button" else await say(app, how)
    assert "已取消" in reply
    assert "不像订单号" not in await say(app, USED_CARD_ORDER)


async def test_idle_flow_is_closed_with_a_message(app: App, clock: FakeClock) -> None:
    await say(app, "/complain")
    clock.advance(timedelta(minutes=45))
    assert "长时间未回复已关闭" in await say(app, "1")


async def test_duplicate_delivery_of_a_step_is_handled_once(app: App) -> None:
    await say(app, "/complain")
    first = await app.engine.handle(event("1", event_id="same-update"))
    second = await app.engine.handle(event("1", event_id="same-update"))
    assert "订单号" in texts(first) and second == []
    assert "已查到你的订单" in await say(app, USED_CARD_ORDER)


async def test_started_in_a_group_it_moves_to_private(app: App) -> None:
    app.services.channels["telegram"] = RecordingChannel()
    [reply] = await app.engine.handle(event("/complain", chat=GROUP))
    assert isinstance(reply, Reply) and "私聊" in reply.text
    [[button]] = reply.buttons
    assert button.style is ButtonStyle.PRIVATE and button.payload == "complain"
    assert "问题类型" in await say(app, "/start complain")


async def test_one_flow_at_a_time_and_open_ticket_limit(app_factory: AppFactory) -> None:
    app = await app_factory(tickets={"max_open_per_user": 1})
    await say(app, "/complain")
    await say(app, "1")
    again = await say(app, "/complain")
    assert "正在填写的投诉" in again and "订单号" in again
    for answer in (USED_CARD_ORDER, "刚才", "卡密已被使用", "跳过", "确认"):
        await say(app, answer)
    assert "已有 1 个未处理完的工单" in await say(app, "/complain")


async def test_only_the_owner_sees_a_ticket(app: App) -> None:
    for answer in ("/complain", "1", USED_CARD_ORDER, "刚才", "卡密已被使用", "跳过", "确认"):
        await say(app, answer)
    [ticket] = await open_ticket_rows(app)
    from core.model import User

    mallory = User(platform="telegram", id="777", display_name="M")
    assert "没有找到工单" in texts(
        await app.engine.handle(event(f"/ticket {ticket.ticket_no}", user=mallory))
    )


async def test_a_card_key_typed_into_the_flow_is_never_echoed_or_stored_in_full(app: App) -> None:
    key = "XH7K-9P2M-4Q8R-1T6W"
    replies = []
    for answer in ("/complain", "1", USED_CARD_ORDER, "刚才", f"卡密 {key} 提示已使用", "跳过"):
        replies.append(await say(app, answer))
    replies.append(await say(app, "确认"))
    assert all(key not in reply and "9P2M-4Q8R" not in reply for reply in replies)
    [ticket] = await open_ticket_rows(app)
    assert (
        key not in str(ticket.fields)
        and key not in str(ticket.transcript)
        and key not in ticket.summary
    )
