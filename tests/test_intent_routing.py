"""Each intent leads to its action (issue: classifier and FAQ), through the engine."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from adapters.shop.demo_data import DEMO_CARD_KEYS, DEMO_ORDER_NOS
from bots.app import App
from core.clock import FakeClock
from core.model import ButtonStyle, Event, EventKind, Reply
from core.storage.tables import FaqAnswerRow, TicketRow
from tests.conftest import AppFactory
from tests.helpers import ALICE, DM, GROUP, RecordingChannel, event, texts


def press(payload: str, n: int) -> Event:
    return Event(
        kind=EventKind.BUTTON, event_id=f"p{n}-{payload}", user=ALICE, chat=DM, payload=payload
    )


def payloads(actions: list) -> list[str]:  # type: ignore[type-arg]
    return [b.payload for a in actions if isinstance(a, Reply) for row in a.buttons for b in row]


async def test_find_support_gives_the_support_answer(app: App) -> None:
    assert "400-800-1234" in texts(await app.engine.handle(event("请问售后入口在哪里呀")))


async def test_complaint_intent_starts_the_flow_with_what_was_said(app: App) -> None:
    reply = texts(await app.engine.handle(event("充值失败了,我要投诉")))
    assert "订单号" in reply  # the problem type was taken from the words


async def test_ticket_status_lists_the_tickets(app: App) -> None:
    assert "还没有工单" in texts(await app.engine.handle(event("我的工单处理到哪了")))


async def test_verify_official_checks_the_handle_in_the_message(app: App) -> None:
    reply = texts(await app.engine.handle(event("有人私聊我说是官方客服 @xinghe_supp0rt 是真的吗")))
    assert reply.startswith("❌")
    assert "请发送要核实" in texts(await app.engine.handle(event("这个客服是真的吗")))


async def test_escalate_without_a_ticket_offers_a_complaint(app: App) -> None:
    actions = await app.engine.handle(event("一直没人回复,我要找你们主管"))
    assert "没有处理中的工单" in texts(actions) and "complain" in payloads(actions)


async def test_faq_intent_is_answered_with_feedback_buttons_and_stats(app: App) -> None:
    actions = await app.engine.handle(event("卡密怎么兑换啊"))
    assert "👍 解决了" in str(actions)
    yes = next(p for p in payloads(actions) if p.startswith("faq:yes:"))
    assert "很高兴" in texts(await app.engine.handle(press(yes, 1)))
    async with app.db.transaction() as session:
        [row] = (await session.execute(select(FaqAnswerRow))).scalars().all()
    assert row.intent == "card_usage" and row.outcome == "resolved"


async def test_unresolved_faq_hands_the_question_to_a_human(app: App) -> None:
    actions = await app.engine.handle(event("退款一般多久能到账"))
    no = next(p for p in payloads(actions) if p.startswith("faq:no:"))
    follow = await app.engine.handle(press(no, 2))
    human = next(p for p in payloads(follow) if p.startswith("human:"))
    handed = texts(await app.engine.handle(press(human, 3)))
    assert "已转人工" in handed
    async with app.db.transaction() as session:
        ticket = (await session.execute(select(TicketRow))).scalar_one()
    assert "退款一般多久能到账" in ticket.summary  # the user does not repeat the question


async def test_low_confidence_says_so_and_offers_a_human(app_factory: AppFactory) -> None:
    # A vague message, and a bar set so high that the model cannot clear it.
    app = await app_factory(faq={"min_score": 0.99999})
    actions = await app.engine.handle(event("那个东西怎么弄啊,上次那个"))
    assert "没能确定" in texts(actions)
    human = next(p for p in payloads(actions) if p.startswith("human:"))
    assert "已转人工" in texts(await app.engine.handle(press(human, 9)))


async def test_out_of_scope_gets_no_faq_answer(app: App) -> None:
    actions = await app.engine.handle(event("今天天气真好"))
    assert "👍 解决了" not in str(actions) and "/help" in texts(actions)


async def test_lookups_run_straight_away_when_the_message_holds_the_number(app: App) -> None:
    order_no = DEMO_ORDER_NOS["processing_topup"]
    assert "充值中" in texts(await app.engine.handle(event(f"充值怎么还没到 {order_no}")))
    key = DEMO_CARD_KEYS["used"]
    reply = texts(await app.engine.handle(event(f"卡密{key}提示无效")))
    assert "被使用" in reply and key not in reply


async def test_lookup_buttons_ask_for_the_number(app: App) -> None:
    actions = await app.engine.handle(event("充值多久能到账"))
    lookup = next(p for p in payloads(actions) if p.startswith("lookup:"))
    assert "订单号" in texts(await app.engine.handle(press(lookup, 4)))
    assert "充值中" in texts(await app.engine.handle(event(DEMO_ORDER_NOS["processing_topup"])))


async def test_group_answers_only_clear_support_questions_and_not_too_often(
    app: App, clock: FakeClock
) -> None:
    app.services.channels["telegram"] = RecordingChannel()
    assert await app.engine.handle(event("今晚谁一起打副本", chat=GROUP)) == []
    # A refund question is a clear request (issue 21 item 2): a short line, then private.
    assert "私聊" in texts(await app.engine.handle(event("退款多久到账", chat=GROUP)))
    # A different topic right after it is answered too.
    first = await app.engine.handle(event("售后在哪里", chat=GROUP))
    assert "400-800-1234" in texts(first)
    # The same user again within the cool-down: silence.
    assert await app.engine.handle(event("客服怎么联系", chat=GROUP)) == []
    # Another user on the same topic within a minute: silence too.
    from core.model import User

    bob = User(platform="telegram", id="556", display_name="Bob")
    assert await app.engine.handle(event("售后在哪", user=bob, chat=GROUP)) == []
    clock.advance(timedelta(minutes=6))
    assert "400-800-1234" in texts(await app.engine.handle(event("售后在哪", user=bob, chat=GROUP)))


async def test_personal_problems_in_a_group_move_to_private(app: App) -> None:
    app.services.channels["telegram"] = RecordingChannel()
    [reply] = await app.engine.handle(event("我的卡密用不了,提示已使用", chat=GROUP))
    assert isinstance(reply, Reply) and "私聊" in reply.text
    assert reply.buttons[0][0].style is ButtonStyle.PRIVATE


async def test_config_knowledge_base_file_overrides_an_answer(
    app_factory: AppFactory, tmp_path: object
) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    kb = tmp_path / "shop_faq.toml"
    kb.write_text(
        '[[faq]]\nintent = "service_hours"\nanswer_zh = "{brand}客服每天 9:00-23:00 在线。"\n'
        'answer_en = "{brand} support is online 9:00-23:00 daily."\n',
        encoding="utf-8",
    )
    app = await app_factory(faq={"files": [str(kb)]})
    assert "星河卡盟客服每天 9:00-23:00 在线" in texts(
        await app.engine.handle(event("客服几点上班"))
    )
