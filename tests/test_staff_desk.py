"""Staff desk, relay, ratings, the SLA clock and the escalation chain (SQLite and PostgreSQL).

Staff work from the console staff chat of the demo config ("console:staff", member
"console:agent") while the user is on Telegram: staff on one platform handle a ticket
from a user on another.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from adapters.shop.demo_data import DEMO_ORDER_NOS
from bots.app import App
from core.clock import FakeClock
from core.model import Action, Chat, Event, EventKind, NotifyStaff, SendPrivate, User
from core.staff.sla import escalate_breached
from core.storage.tables import TicketEventRow, TicketRatingRow, TicketRow
from tests.conftest import AppFactory
from tests.helpers import ALICE, DM, RecordingChannel, event, texts

AGENT = User(platform="console", id="agent", display_name="小王")
STAFF_CHAT = Chat(platform="console", id="staff", is_private=False, title="客服群")
ORDER = DEMO_ORDER_NOS["delivered_card_used"]


async def complain(
    app: App, answers: tuple[str, ...] = ("1", ORDER, "刚才", "卡密已被使用", "跳过", "确认")
) -> list[Action]:
    actions: list[Action] = []
    for answer in ("/complain", *answers):
        actions = await app.engine.handle(event(answer))
    return actions


async def staff(app: App, text: str, user: User = AGENT) -> list[Action]:
    return await app.engine.handle(event(text, user=user, chat=STAFF_CHAT))


async def the_ticket(app: App) -> TicketRow:
    async with app.db.transaction() as session:
        return (await session.execute(select(TicketRow))).scalar_one()


def to_user(actions: list[Action]) -> str:
    return "\n".join(
        a.text for a in actions if isinstance(a, SendPrivate) and a.user.key == ALICE.key
    )


async def test_full_round_trip(app: App) -> None:
    app.services.channels["console"] = RecordingChannel(platform="console")
    created = await complain(app)
    cards = [a for a in created if isinstance(a, NotifyStaff)]
    assert [c.destination for c in cards] == ["console:staff"]
    card = cards[0]
    ticket_no = card.ticket_no
    for words in (
        ticket_no,
        "Alice",
        "Telegram @alice",
        "卡密无效",
        ORDER,
        "卡密已被使用",
        "首次回复截止",
        "用户与机器人的对话",
    ):
        assert words in card.text
    assert [b.payload for row in card.buttons for b in row] == [
        f"staff:claim:{ticket_no}",
        f"staff:reply:{ticket_no}",
        f"staff:escalate:{ticket_no}",
        f"staff:close:{ticket_no}",
    ]

    claim = Event(
        kind=EventKind.BUTTON,
        event_id="claim-1",
        user=AGENT,
        chat=STAFF_CHAT,
        payload=f"staff:claim:{ticket_no}",
    )
    claimed = await app.engine.handle(claim)
    assert "已由小王接单" in texts(claimed) and "已有客服接手" in to_user(claimed)

    replied = await staff(
        app, f"/reply {ticket_no} 您好,这张卡密已于昨天被使用,请确认是否本人操作?"
    )
    message = to_user(replied)
    assert "【星河卡盟客服】" in message and "是否本人操作" in message and "小王" not in message

    answer = await app.engine.handle(event("不是我用的,我刚买就显示已使用"))
    relayed = [a for a in answer if isinstance(a, NotifyStaff)]
    assert relayed and "用户回复" in relayed[0].text and "不是我用的" in relayed[0].text
    assert "已转给" in texts(answer)

    closed = await staff(app, f"/close {ticket_no} 已核实盗用,已补发新卡密")
    closing = next(a for a in closed if isinstance(a, SendPrivate))
    assert "已补发新卡密" in closing.text
    five = [b for row in closing.buttons for b in row][-1]
    rate = Event(
        kind=EventKind.BUTTON, event_id="rate-1", user=ALICE, chat=DM, payload=five.payload
    )
    assert "5 星" in texts(await app.engine.handle(rate))
    assert "评价已收到" in texts(await app.engine.handle(event("处理很快,谢谢")))

    ticket = await the_ticket(app)
    assert (
        ticket.status == "resolved"
        and ticket.first_response_at is not None
        and ticket.assignee_key == AGENT.key
    )
    assert [e["from"] for e in ticket.transcript][-2:] == ["staff", "user"]
    async with app.db.transaction() as session:
        rating = await session.get(TicketRatingRow, ticket.id)
        kinds = [
            e.kind
            for e in (
                await session.execute(select(TicketEventRow).order_by(TicketEventRow.id))
            ).scalars()
        ]
    assert rating is not None and rating.score == 5 and rating.comment == "处理很快,谢谢"
    assert kinds == ["created", "claimed", "staff_reply", "user_reply", "closed"]


async def test_staff_commands_are_refused_to_others_and_elsewhere(app: App) -> None:
    await complain(app)
    ticket_no = (await the_ticket(app)).ticket_no
    app.services.channels["console"] = RecordingChannel(platform="console")
    stranger = User(platform="console", id="visitor", display_name="路人")
    for command in (
        f"/claim {ticket_no}",
        f"/reply {ticket_no} hi",
        f"/close {ticket_no} done",
        f"/escalate {ticket_no}",
    ):
        assert "仅限客服人员" in texts(await staff(app, command, user=stranger))
    # The agent outside the staff chat is refused too (and /escalate there is the user's own).
    elsewhere = Chat(platform="console", id="lobby", is_private=False)
    assert "仅限客服人员" in texts(
        await app.engine.handle(event(f"/claim {ticket_no}", user=AGENT, chat=elsewhere))
    )
    assert (await the_ticket(app)).status == "open"


async def test_sla_escalates_through_every_level_exactly_once(app: App, clock: FakeClock) -> None:
    await complain(app)
    assert await escalate_breached(app.services) == []
    levels = []
    for _ in range(3):
        clock.advance(timedelta(hours=2, minutes=1))
        actions = await escalate_breached(app.services)
        alerts = [a for a in actions if isinstance(a, NotifyStaff)]
        assert alerts and "升级至" in alerts[0].text
        assert "已升级至" in to_user(actions)
        levels.append(alerts[0].text.split("升级至")[1].split("】")[0])
        assert await escalate_breached(app.services) == []  # once per level
    assert levels == ["客服主管", "技术团队", "运营总监"]
    clock.advance(timedelta(days=1))
    assert await escalate_breached(app.services) == []  # the top of the chain
    async with app.db.transaction() as session:
        escalations = [
            e
            for e in (await session.execute(select(TicketEventRow))).scalars()
            if e.kind == "escalated"
        ]
    assert [e.detail["level_name"] for e in escalations] == levels
    assert all(e.detail["notified"] == ["console:staff"] for e in escalations)


async def test_two_engines_on_one_database_never_double_escalate(
    app_factory: AppFactory, clock: FakeClock
) -> None:
    first = await app_factory()
    second = await app_factory()
    for n in range(3):
        user = User(platform="telegram", id=f"90{n}", display_name=f"U{n}")
        for answer in ("/complain", "4", "跳过", "刚才", "登录不了", "跳过", "确认"):
            await first.engine.handle(
                event(
                    answer, user=user, chat=Chat(platform="telegram", id=f"90{n}", is_private=True)
                )
            )
    clock.advance(timedelta(hours=25))
    results = await asyncio.gather(
        *(escalate_breached(app.services) for app in (first, second, first, second))
    )
    alerts = [a for actions in results for a in actions if isinstance(a, NotifyStaff)]
    assert len(alerts) == 3  # one per ticket, whoever got there first
    async with first.db.transaction() as session:
        levels = [t.escalation_level for t in (await session.execute(select(TicketRow))).scalars()]
    assert levels == [1, 1, 1]


async def test_waiting_for_the_user_stops_the_clock(app: App, clock: FakeClock) -> None:
    await complain(app)
    ticket_no = (await the_ticket(app)).ticket_no
    await staff(app, f"/reply {ticket_no} 请提供付款截图")
    clock.advance(timedelta(hours=5))
    assert await escalate_breached(app.services) == []


async def test_user_escalation_only_after_the_due_time(app: App, clock: FakeClock) -> None:
    await complain(app)
    assert "还在承诺时限内" in texts(await app.engine.handle(event("/escalate")))
    clock.advance(timedelta(hours=3))
    actions = await app.engine.handle(event("都三个小时了还没人回,找你们主管"))
    assert any(isinstance(a, NotifyStaff) and "用户要求升级" in a.text for a in actions)
    assert (await the_ticket(app)).escalation_level == 1


async def test_attachments_pass_both_ways_where_the_platforms_allow(
    app_factory: AppFactory,
) -> None:
    from core.model import Attachment

    app = await app_factory(telegram={"staff_chat_id": "-100777"})
    await complain(app)
    ticket_no = (await the_ticket(app)).ticket_no
    tg_agent = User(platform="telegram", id="42", display_name="阿强")
    tg_staff_chat = Chat(platform="telegram", id="-100777", is_private=False)
    app_staff = await app_factory(
        telegram={"staff_chat_id": "-100777"},
        staff={"members": ["telegram:42", "console:agent"], "chats": ["console:staff"]},
    )
    photo = Attachment(kind="image", ref="tg-file-1")
    same = await app_staff.engine.handle(
        event(
            f"/reply {ticket_no} 请看截图", user=tg_agent, chat=tg_staff_chat, attachments=(photo,)
        )
    )
    [to_alice] = [a for a in same if isinstance(a, SendPrivate)]
    assert to_alice.attachments == (photo,)  # Telegram staff → Telegram user: passed on
    user_photo = Attachment(kind="image", ref="tg-file-2")
    answer = await app.engine.handle(event("", attachments=(user_photo,)))
    by_destination = {a.destination: a for a in answer if isinstance(a, NotifyStaff)}
    assert by_destination["telegram:-100777"].attachments == (user_photo,)
    assert by_destination["console:staff"].attachments == ()  # another platform: the ref only
    # Another platform cannot open the file: the note says a picture came, never its raw id.
    assert "（图片）" in by_destination["console:staff"].text
    assert "tg-file-2" not in by_destination["console:staff"].text


async def test_cross_platform_staff_attachment_is_not_passed_but_mentioned(app: App) -> None:
    from core.model import Attachment

    await complain(app)
    ticket_no = (await the_ticket(app)).ticket_no
    actions = await app.engine.handle(
        event(
            f"/reply {ticket_no} 截图如下",
            user=AGENT,
            chat=STAFF_CHAT,
            attachments=(Attachment("image", "c-1"),),
        )
    )
    [to_alice] = [a for a in actions if isinstance(a, SendPrivate)]
    assert to_alice.attachments == () and "跨平台无法直接转发" in to_alice.text


async def test_a_staff_message_in_the_tickets_thread_is_a_reply(app: App) -> None:
    await complain(app)
    ticket_no = (await the_ticket(app)).ticket_no
    await app.services.threads.remember("console", "staff", ticket_no, "topic-7")
    assert await app.services.threads.thread_for("console", "staff", ticket_no) == "topic-7"
    assert await app.services.threads.ticket_for("console", "staff", "topic-7") == ticket_no
    topic = Chat(platform="console", id="staff", is_private=False, thread_id="topic-7")
    actions = await app.engine.handle(event("您好,已为您补发", user=AGENT, chat=topic))
    assert "已为您补发" in to_user(actions)
    assert (await the_ticket(app)).status == "waiting_user"
    # The same words from a non-staff member in the topic are not relayed.
    other_topic = await app.engine.handle(
        event("我也想问", user=User(platform="console", id="x", display_name="X"), chat=topic)
    )
    assert to_user(other_topic) == ""
