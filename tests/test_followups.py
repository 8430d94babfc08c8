"""Follow-ups to staff (issue 21, item 3), through the engine.

While a ticket is in conversation with staff (staff replied, not closed), every private
message of its buyer goes to that ticket, not to the FAQ bot, and a flow that staff's reply
paused (started before it, or left idle) does not swallow them; continuing the flow by its
command gives it the buyer's answers again.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from adapters.shop.demo_data import DEMO_ORDER_NOS
from bots.app import App
from core.clock import FakeClock
from core.model import Action, Chat, Event, EventKind, NotifyStaff, Reply, User
from core.storage.tables import TicketEventRow, TicketRow
from tests.helpers import ALICE, DM, event, texts

AGENT = User(platform="console", id="agent", display_name="小王")
STAFF_CHAT = Chat(platform="console", id="staff", is_private=False, title="客服群")
ORDER = DEMO_ORDER_NOS["delivered_card_used"]


async def open_ticket(app: App) -> str:
    """A complaint filed to the end; its ticket number."""
    for answer in ("/complain", "1", ORDER, "刚才", "卡密已被使用", "跳过", "确认"):
        actions = await app.engine.handle(event(answer))
    return next(a.ticket_no for a in actions if isinstance(a, NotifyStaff))


async def staff(app: App, text: str) -> list[Action]:
    return await app.engine.handle(event(text, user=AGENT, chat=STAFF_CHAT))


def to_staff(actions: list[Action]) -> str:
    return "\n".join(
        a.text for a in actions if isinstance(a, NotifyStaff) and a.destination == "console:staff"
    )


def to_buyer(actions: list[Action]) -> str:
    return texts([a for a in actions if isinstance(a, Reply)])


async def ticket(app: App, ticket_no: str) -> TicketRow:
    async with app.db.transaction() as session:
        query = select(TicketRow).where(TicketRow.ticket_no == ticket_no)
        return (await session.execute(query)).scalar_one()


async def test_every_follow_up_reaches_staff_until_closed(app: App, clock: FakeClock) -> None:
    ticket_no = await open_ticket(app)
    await staff(app, f"/reply {ticket_no} 请问卡密是什么时候兑换的？")
    first = await app.engine.handle(event("昨天晚上八点"))
    assert "昨天晚上八点" in to_staff(first) and "已转给" in to_buyer(first)
    due = (await ticket(app, ticket_no)).due_at
    clock.advance(timedelta(minutes=5))
    # These would be FAQ questions outside the conversation: they go to staff all the same.
    for n, words in enumerate(("卡密怎么兑换啊", "还有，充值多久能到账", "谢谢"), start=1):
        actions = await app.engine.handle(event(words, event_id=f"follow-{n}"))
        assert words in to_staff(actions), words
        assert "👍 解决了" not in str(actions) and ticket_no in to_buyer(actions)
    row = await ticket(app, ticket_no)
    assert row.status == "waiting_staff" and row.due_at == due  # staff's due time stands
    assert [e["text"] for e in row.transcript if e["from"] == "user"][-4:] == [
        "昨天晚上八点",
        "卡密怎么兑换啊",
        "还有，充值多久能到账",
        "谢谢",
    ]
    async with app.db.transaction() as session:
        kinds = [e.kind for e in (await session.execute(select(TicketEventRow))).scalars()]
    assert kinds.count("user_reply") == 4

    await staff(app, f"/close {ticket_no} 已补发新卡密")
    after = await app.engine.handle(event("卡密怎么兑换啊"))
    assert not to_staff(after) and "👍 解决了" in str(after)  # the FAQ bot again


async def test_a_ticket_staff_have_not_answered_leaves_messages_to_the_bot(app: App) -> None:
    await open_ticket(app)
    actions = await app.engine.handle(event("卡密怎么兑换啊"))
    assert not to_staff(actions) and "👍 解决了" in str(actions)


async def test_a_stale_complaint_does_not_swallow_the_answer_to_staff(app: App) -> None:
    ticket_no = await open_ticket(app)
    # A second complaint, started and left at its first question.
    assert "问题类型" in to_buyer(await app.engine.handle(event("/complain")))
    await staff(app, f"/reply {ticket_no} 请问是几点兑换的？")
    answer = await app.engine.handle(event("没看懂这个时间"))
    assert "没看懂这个时间" in to_staff(answer)
    told = to_buyer(answer)
    assert "已转给" in told and "暂停" in told and "/complain" in told
    # And the next one too: the paused flow does not take it back by itself.
    again = await app.engine.handle(event("是问兑换的时间吗"))
    assert "是问兑换的时间吗" in to_staff(again)

    # /complain continues the paused complaint: its question again, and the answers go to it.
    resumed = await app.engine.handle(event("/complain"))
    assert "问题类型" in to_buyer(resumed)
    step = await app.engine.handle(event("2"))
    assert not to_staff(step) and "订单号" in to_buyer(step)
    # Staff reply again: the flow is paused again.
    await staff(app, f"/reply {ticket_no} 是兑换的时间")
    assert "明白了" in to_staff(await app.engine.handle(event("明白了")))


async def test_a_flow_started_after_staff_replied_gets_its_answers(app: App) -> None:
    ticket_no = await open_ticket(app)
    await staff(app, f"/reply {ticket_no} 请问是几点兑换的？")
    await app.engine.handle(event("/complain"))
    step = await app.engine.handle(event("2"))
    assert not to_staff(step) and "订单号" in to_buyer(step)


async def test_an_idle_flow_is_stale(app: App, clock: FakeClock) -> None:
    ticket_no = await open_ticket(app)
    await staff(app, f"/reply {ticket_no} 请问是几点兑换的？")
    await app.engine.handle(event("/complain"))
    clock.advance(timedelta(minutes=15))  # idle, though not yet closed by the sweeper
    answer = await app.engine.handle(event("晚上八点左右"))
    assert "晚上八点左右" in to_staff(answer) and "暂停" in to_buyer(answer)


async def test_a_flow_button_continues_the_paused_flow(app: App) -> None:
    ticket_no = await open_ticket(app)
    started = await app.engine.handle(event("/complain"))
    category = next(
        b.payload
        for a in started
        if isinstance(a, Reply)
        for row in a.buttons
        for b in row
        if b.payload.startswith("flow:")
    )
    await staff(app, f"/reply {ticket_no} 请问是几点兑换的？")
    assert "没看懂" in to_staff(await app.engine.handle(event("没看懂")))
    pressed = Event(kind=EventKind.BUTTON, event_id="cat", user=ALICE, chat=DM, payload=category)
    assert "订单号" in to_buyer(await app.engine.handle(pressed))
    step = await app.engine.handle(event(DEMO_ORDER_NOS["processing_topup"]))
    assert not to_staff(step)
