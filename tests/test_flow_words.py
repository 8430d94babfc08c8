"""Issue 21.6: nothing a buyer types is thrown away. Text at the screenshot step is kept in the
ticket; typed ratings count; traditional and casual words are understood at every step."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from adapters.shop.demo_data import DEMO_ORDER_NOS
from bots.app import App
from core.model import Reply
from core.staff.rating_input import parse_typed_rating
from core.storage.tables import TicketRatingRow
from tests.helpers import event, texts
from tests.test_complaint import click, open_ticket_rows, say
from tests.test_staff_desk import complain, staff, the_ticket

ORDER = DEMO_ORDER_NOS["delivered_card_used"]


async def to_screenshot_step(app: App) -> None:
    await say(app, "/complain")
    await click(app, "flow:cat:card_invalid")
    await say(app, ORDER)
    await say(app, "昨天下午3点")
    await say(app, "提示卡密已被使用")


async def test_text_at_the_screenshot_step_is_kept_and_the_picture_still_asked(
    app: App,
) -> None:
    await to_screenshot_step(app)
    actions = await app.engine.handle(event("我点了兑换之后页面一直转圈，然后就提示这个了"))
    kept = texts(actions)
    assert "已补充到投诉描述里" in kept and "截图" in kept
    [reply] = [a for a in actions if isinstance(a, Reply)]
    assert any(b.payload == "flow:skip" for row in reply.buttons for b in row)
    summary = await click(app, "flow:skip")
    assert "补充说明：我点了兑换之后页面一直转圈" in summary
    await click(app, "flow:confirm")
    [ticket] = await open_ticket_rows(app)
    assert ticket.fields["notes"].startswith("我点了兑换之后页面一直转圈")
    assert "用户补充：“我点了兑换之后页面一直转圈" in ticket.summary


async def test_a_card_key_typed_at_the_screenshot_step_is_kept_masked(app: App) -> None:
    await to_screenshot_step(app)
    await say(app, "卡密是 K3VD-8WQ2-M7PX-5J9C 兑换不了")
    await click(app, "flow:skip")
    await click(app, "flow:confirm")
    [ticket] = await open_ticket_rows(app)
    assert "K3VD-8WQ2-M7PX-5J9C" not in ticket.fields["notes"]
    assert "兑换不了" in ticket.fields["notes"]


@pytest.mark.parametrize("word", ["沒有", "跳過", "没截图", "没有截图", "不用了", "没有。", "Skip"])
async def test_casual_and_traditional_skip_words_at_the_screenshot_step(
    app: App, word: str
) -> None:
    await to_screenshot_step(app)
    assert "请确认投诉内容" in await say(app, word)


@pytest.mark.parametrize("word", ["確認", "好的", "对", "是的", "ok", "OK！", "确认提交吧"])
async def test_casual_and_traditional_confirm_words(app: App, word: str) -> None:
    await to_screenshot_step(app)
    await click(app, "flow:skip")
    assert "已提交工单" in await say(app, word)


@pytest.mark.parametrize("word", ["修改時間", "改一下时间"])
async def test_typed_edit_words(app: App, word: str) -> None:
    await to_screenshot_step(app)
    await click(app, "flow:skip")
    assert "什么时候" in await say(app, word)


async def test_skip_words_at_the_order_step_of_an_optional_order(app: App) -> None:
    await say(app, "/complain")
    await click(app, "flow:cat:account")
    assert "什么时候" in await say(app, "沒有")


async def test_no_message_on_screen_asks_for_a_description(app: App) -> None:
    await say(app, "/complain")
    await click(app, "flow:cat:card_invalid")
    await say(app, ORDER)
    await say(app, "昨天下午3点")
    answer = await say(app, "没有")
    assert "描述发生了什么" in answer and "截图" not in answer


@pytest.mark.parametrize(
    ("text", "score"),
    [("5", 5), ("五星", 5), ("５", 5), ("5星", 5), ("⭐⭐⭐⭐⭐", 5), ("⭐️⭐️⭐️", 3), ("4分", 4),
     ("两星", 2), ("1", 1), ("★★★★", 4)],
)  # fmt: skip
def test_typed_ratings_parse(text: str, score: int) -> None:
    assert parse_typed_rating(text) == score


@pytest.mark.parametrize("text", ["0", "6", "10", "五星好评吗", "⭐⭐⭐⭐⭐⭐", "好", ""])
def test_other_text_is_not_a_rating(text: str) -> None:
    assert parse_typed_rating(text) is None


async def ratings(app: App) -> list[TicketRatingRow]:
    async with app.db.transaction() as session:
        return list((await session.execute(select(TicketRatingRow))).scalars())


@pytest.mark.parametrize("typed", ["5", "五星", "５", "5星", "⭐⭐⭐⭐⭐"])
async def test_a_typed_rating_at_the_rating_prompt_rates_the_ticket(app: App, typed: str) -> None:
    await complain(app)
    ticket = await the_ticket(app)
    await staff(app, f"/close {ticket.ticket_no} 已补发")
    answer = await say(app, typed)
    assert "感谢你的 5 星评分" in answer
    [rating] = await ratings(app)
    assert rating.score == 5 and rating.ticket_id == ticket.id
    assert "评价已收到" in await say(app, "客服很快")  # the optional comment follows
    await say(app, "4")  # rated already: a later number changes nothing
    assert [r.score for r in await ratings(app)] == [5]


async def test_a_number_without_a_closed_ticket_is_not_a_rating(app: App) -> None:
    await complain(app)  # open, not closed
    assert "评分" not in await say(app, "5")
    assert await ratings(app) == []
