"""Hand-off to a human from the FAQ (issue 21, item 1), through the engine.

Every "转人工" carries the buyer's words, the intent and what the bot already answered;
pressing again for the same question answers with the open ticket; the enterprise FAQ's
"联系客户经理" reaches the consultant; a button naming someone else's answer opens nothing.
"""

from __future__ import annotations

from sqlalchemy import select

from bots.app import App
from core.model import Action, Chat, Event, EventKind, NotifyStaff, Reply, User
from core.storage.tables import TicketRow
from tests.conftest import AppFactory
from tests.helpers import ALICE, DM, event, texts

BOB = User(platform="telegram", id="777", display_name="Bob", username="bob")
BOB_DM = Chat(platform="telegram", id="777", is_private=True)
QUESTION = "卡密怎么兑换啊"
OTHER = "账号被冻结了登录不上"


def press(payload: str, n: int, user: User = ALICE) -> Event:
    chat = DM if user is ALICE else BOB_DM
    return Event(
        kind=EventKind.BUTTON, event_id=f"h{n}-{user.id}", user=user, chat=chat, payload=payload
    )


def buttons(actions: list[Action]) -> dict[str, str]:
    """label → payload of every button the replies offer."""
    return {
        b.label: b.payload for a in actions if isinstance(a, Reply) for r in a.buttons for b in r
    }


async def tickets_of(app: App) -> list[TicketRow]:
    async with app.db.transaction() as session:
        return list((await session.execute(select(TicketRow).order_by(TicketRow.id))).scalars())


async def test_human_under_an_answer_carries_question_intent_and_answer(app: App) -> None:
    answer = await app.engine.handle(event(QUESTION))
    payload = buttons(answer)["转人工"]
    assert payload.startswith("human:") and payload != "human:"
    handed = await app.engine.handle(press(payload, 1))
    assert "已转人工" in texts(handed)
    [ticket] = await tickets_of(app)
    assert ticket.fields["question"] == QUESTION and ticket.fields["intent"] == "card_usage"
    assert "—" not in ticket.summary and QUESTION in ticket.summary and "卡密使用" in ticket.summary
    assert "卡密" in ticket.fields["bot_answer"]  # what the bot already told the buyer
    assert [e["from"] for e in ticket.transcript] == ["user", "bot"]
    assert ticket.category == "other" and not ticket.enterprise  # a how-to question
    [card] = [a for a in handed if isinstance(a, NotifyStaff)]
    assert card.destination == "console:staff"
    assert QUESTION in card.text and "卡密使用方法" in card.text  # the bot's answer, for staff


async def test_repeated_presses_answer_with_the_open_ticket(app: App) -> None:
    payload = buttons(await app.engine.handle(event(QUESTION)))["转人工"]
    first = texts(await app.engine.handle(press(payload, 1)))
    [ticket] = await tickets_of(app)
    assert ticket.ticket_no in first
    for n in (2, 3, 4):
        again = await app.engine.handle(press(payload, n))
        assert ticket.ticket_no in texts(again) and "已经转人工" in texts(again)
        assert not [a for a in again if isinstance(a, NotifyStaff)]
    # The same words asked again (a new answer) are still the same question.
    payload2 = buttons(await app.engine.handle(event(f" {QUESTION} ")))["转人工"]
    assert payload2 != payload
    assert ticket.ticket_no in texts(await app.engine.handle(press(payload2, 5)))
    # "没解决 → 转人工" on the same answer too.
    no = buttons(await app.engine.handle(event(QUESTION)))["👎 没解决"]
    human = buttons(await app.engine.handle(press(no, 6)))["转人工客服"]
    assert ticket.ticket_no in texts(await app.engine.handle(press(human, 7)))
    assert len(await tickets_of(app)) == 1
    # The presses used up nothing: /complain still starts.
    assert "问题类型" in texts(await app.engine.handle(event("/complain")))


async def test_a_different_question_is_a_new_ticket(app: App) -> None:
    first = buttons(await app.engine.handle(event(QUESTION)))["转人工"]
    await app.engine.handle(press(first, 1))
    other = buttons(await app.engine.handle(event(OTHER)))["转人工"]
    await app.engine.handle(press(other, 2))
    assert [t.fields["question"] for t in await tickets_of(app)] == [
        QUESTION,
        "账号被冻结了登录不上",
    ]


async def test_enterprise_handoff_goes_to_the_consultant(app_factory: AppFactory) -> None:
    app = await app_factory(enterprise={"notify": ["console:consultant"]})
    question = "我们公司想批量采购点卡，有企业价吗"
    answer = await app.engine.handle(event(question))
    handed = await app.engine.handle(press(buttons(answer)["联系客户经理"], 1))
    [ticket] = await tickets_of(app)
    assert ticket.enterprise and ticket.complexity == "complex"
    assert ticket.fields["question"] == question and ticket.fields["intent"] == "bulk_purchase"
    alerts = [a for a in handed if isinstance(a, NotifyStaff)]
    assert {a.destination for a in alerts} == {"console:staff", "console:consultant"}
    consultant = next(a for a in alerts if a.destination == "console:consultant")
    assert "企业工单" in consultant.text and question in consultant.text
    staff_card = next(a for a in alerts if a.destination == "console:staff")
    assert "🏢" in staff_card.text
    told = texts([a for a in handed if isinstance(a, Reply)])
    assert "王经理" in told and ticket.ticket_no in told and "enterprise@" in told


async def test_listed_enterprise_buyer_goes_to_the_consultant(app_factory: AppFactory) -> None:
    app = await app_factory(enterprise={"buyers": [ALICE.key], "notify": ["console:consultant"]})
    payload = buttons(await app.engine.handle(event(QUESTION)))["转人工"]
    handed = await app.engine.handle(press(payload, 1))
    [ticket] = await tickets_of(app)
    assert ticket.enterprise
    assert any(isinstance(a, NotifyStaff) and a.destination == "console:consultant" for a in handed)


async def test_someone_elses_answer_id_opens_nothing(app: App) -> None:
    payload = buttons(await app.engine.handle(event("我的卡密怎么兑换，订单是我老婆下的")))[
        "转人工"
    ]
    forged = await app.engine.handle(press(payload, 1, user=BOB))
    assert await tickets_of(app) == []
    assert "老婆" not in texts(forged) and "没有找到要转人工的问题" in texts(forged)
    assert not [a for a in forged if isinstance(a, NotifyStaff)]
    for bad in ("human:0", "human:99999", "human:abc", "human:" + "9" * 40):
        assert "没有找到" in texts(await app.engine.handle(press(bad, hash(bad) % 10_000, BOB)))
    assert await tickets_of(app) == []


async def test_bare_human_takes_the_users_latest_question(app: App) -> None:
    await app.engine.handle(event(QUESTION))
    await app.engine.handle(press("human", 1))
    [ticket] = await tickets_of(app)
    assert ticket.fields["question"] == QUESTION
    # Nobody else's latest question: Bob has none.
    assert "没有找到" in texts(await app.engine.handle(press("human", 2, user=BOB)))
    assert len(await tickets_of(app)) == 1


async def test_unsure_handoff_says_the_bot_could_not_place_it(app_factory: AppFactory) -> None:
    app = await app_factory(faq={"min_score": 0.99999})
    vague = "那个东西怎么弄啊，上次那个"
    actions = await app.engine.handle(event(vague))
    handed = await app.engine.handle(press(buttons(actions)["转人工客服"], 1))
    [ticket] = await tickets_of(app)
    assert ticket.fields["question"] == vague and ticket.fields["intent"] == "unsure"
    assert "机器人未能识别" in ticket.summary
    card = next(a for a in handed if isinstance(a, NotifyStaff))
    assert vague in card.text and "没能识别" in card.text
