"""The staff desk in a Telegram staff group: the ticket card with its buttons, a claim by
button, a ``/reply`` that reaches the user in private, and the user's screenshot passed
back to the staff chat by file id."""

from __future__ import annotations

import re

from tests.fakes.telegram_api import FakeTelegramApi, group_chat
from tests.telegram.conftest import ADMIN, ALICE, Dialog, StartBot

STAFF_CHAT = group_chat(-1009999000, "星河客服组")
PHOTO = [{"file_id": "ph-answer", "file_unique_id": "u3", "width": 800, "height": 600}]


async def test_ticket_card_claim_reply_and_screenshot_round_trip(
    telegram_bot: StartBot, fake_api: FakeTelegramApi
) -> None:
    await telegram_bot(
        telegram={"staff_chat_id": str(STAFF_CHAT["id"])},
        staff={"members": [f"telegram:{ADMIN['id']}"], "chats": []},
    )
    scopes = [c.params.get("scope", {}).get("type") for c in fake_api.calls_to("setMyCommands")]
    assert "chat" in scopes  # the staff chat lists the staff commands
    dm = Dialog(fake_api, ALICE, fake_api.private_chat(ALICE))
    categories = await dm.say("/complain", "问题类型")
    await dm.press(categories, "flow:cat:account", "订单号")
    await dm.say("跳过", "什么时候")
    await dm.say("半小时前", "屏幕上提示")
    await dm.say("登录提示账号已冻结", "截图")
    summary = await dm.say("跳过", "时间线")
    created = await dm.press(summary, "flow:confirm", "已提交工单")
    [ticket_no] = re.findall(r"T-\d+", created.params["text"])[:1]

    card = await fake_api.wait_for_text(STAFF_CHAT["id"], ticket_no)
    desk = Dialog(fake_api, ADMIN, STAFF_CHAT)
    await desk.press(card, f"staff:claim:{ticket_no}", "已由")
    await desk.say(f"/reply {ticket_no} 请发一张报错截图", "已发送给")
    to_user = await fake_api.wait_for_text(ALICE["id"], "请发一张报错截图")
    assert ticket_no in to_user.params["text"]

    await dm.send("已转给", photo=PHOTO)
    [photo] = await fake_api.wait_for(
        "sendPhoto", lambda c: c.params["chat_id"] == STAFF_CHAT["id"]
    )
    assert photo.params["photo"] == "ph-answer"
