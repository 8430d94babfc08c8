"""The complaint flow in a private chat through inline buttons, a deep link from the group,
and a restart in the middle of the flow, all on the wire with the real engine."""

from __future__ import annotations

from adapters.shop.demo_data import DEMO_ORDER_NOS
from bots.app import App
from core.tickets import service as tickets
from tests.fakes.telegram_api import FakeTelegramApi
from tests.telegram.conftest import ALICE, GROUP, Dialog, StartBot

ORDER = "DD2026112000002"
PHOTO = [
    {"file_id": "ph-small", "file_unique_id": "u1", "width": 90, "height": 60},
    {"file_id": "ph-large", "file_unique_id": "u2", "width": 1280, "height": 853},
]


async def open_tickets(app: App, user_id: int) -> list[tickets.TicketRow]:  # type: ignore[name-defined]
    async with app.db.transaction() as session:
        return await tickets.list_for_user(session, f"telegram:{user_id}")


async def test_whole_complaint_in_private_through_inline_buttons(
    telegram_bot: StartBot, fake_api: FakeTelegramApi
) -> None:
    assert DEMO_ORDER_NOS["delivered_card_used"] == ORDER
    bot = await telegram_bot()
    dm = Dialog(fake_api, ALICE, fake_api.private_chat(ALICE))
    categories = await dm.say("/complain", "问题类型")
    ask_order = await dm.press(categories, "flow:cat:card_invalid", "订单号")
    # The answered step is edited in place: the keyboard gives way to the choice.
    [edit] = await fake_api.wait_for("editMessageText")
    assert edit.params["message_id"] == categories.result["message_id"]
    assert "reply_markup" not in edit.params and "✅" in edit.params["text"]
    assert await fake_api.wait_for("answerCallbackQuery")
    assert "reply_parameters" not in ask_order.params  # no quoting in a private chat
    found = await dm.say(f"订单号 {ORDER}", "已查到你的订单")
    assert "Steam" in found.params["text"]
    await dm.expect("什么时候")
    await dm.say("刚才", "屏幕上提示")
    await dm.say("提示:卡密已被使用", "截图")
    summary = await dm.send("时间线", photo=PHOTO)
    created = await dm.press(summary, "flow:confirm", "已提交工单")
    assert "T-" in created.params["text"]
    [ticket] = await open_tickets(bot.app, ALICE["id"])
    assert ticket.order_no == ORDER and ticket.category == "card_invalid"
    assert ticket.fields["screenshot"]["ref"] == "ph-large"


async def test_deep_link_from_the_group_opens_the_complaint_in_private(
    telegram_bot: StartBot, fake_api: FakeTelegramApi
) -> None:
    await telegram_bot()
    group = Dialog(fake_api, ALICE, GROUP)
    answer = await group.say("/complain", "私聊")
    [[button]] = answer.params["reply_markup"]["inline_keyboard"]
    assert button["url"] == f"https://t.me/{fake_api.bot_username}?start=complain"
    # The user taps the link: Telegram opens the private chat and sends "/start complain".
    dm = Dialog(fake_api, ALICE, fake_api.private_chat(ALICE))
    categories = await dm.say("/start complain", "问题类型")
    assert "flow:cat:card_invalid" in str(categories.params["reply_markup"])


async def test_restart_mid_flow_continues_at_the_same_step(
    telegram_bot: StartBot, fake_api: FakeTelegramApi
) -> None:
    first = await telegram_bot()
    dm = Dialog(fake_api, ALICE, fake_api.private_chat(ALICE))
    categories = await dm.say("/complain", "问题类型")
    await dm.press(categories, "flow:cat:card_invalid", "订单号")
    await dm.say(ORDER, "什么时候")
    await first.close()  # the process goes away: adapter stopped, database closed
    second = await telegram_bot()  # a new process on the same database
    await dm.say("刚才", "屏幕上提示")
    await dm.say("提示:卡密已被使用", "截图")
    summary = await dm.say("跳过", "时间线")
    await dm.press(summary, "flow:confirm", "已提交工单")
    [ticket] = await open_tickets(second.app, ALICE["id"])
    assert ticket.order_no == ORDER
