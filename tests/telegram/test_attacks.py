"""Issue 20 on the Telegram wire, played as the attacker: a stranger's group admin, a forged
order button, and a flagged impostor who keeps posting (the real PTB against the fake API)."""

from __future__ import annotations

from sqlalchemy import func, select

from adapters.shop.demo_data import DEMO_ORDER_NOS
from core.storage.tables import FlaggedAccountRow, ReissueRequestRow
from tests.fakes.telegram_api import FakeTelegramApi, group_chat, tg_user
from tests.telegram.conftest import ADMIN, BOB, GROUP, Dialog, RunningBot, StartBot

IMPOSTOR = tg_user(666002, "小李", username="xiaoli_88")
EVE = tg_user(666003, "Eve", username="eve_owner")
STRANGERS = group_chat(-1009999999999, "路人自建群")


async def count(bot: RunningBot, model: type[FlaggedAccountRow] | type[ReissueRequestRow]) -> int:
    async with bot.app.db.transaction() as session:
        column = next(iter(model.__table__.primary_key.columns))
        return int((await session.execute(select(func.count(column)))).scalar_one())


async def test_a_strangers_group_admin_cannot_flag(
    telegram_bot: StartBot, fake_api: FakeTelegramApi
) -> None:
    bot = await telegram_bot()
    fake_api.member_status[(STRANGERS["id"], EVE["id"])] = "creator"
    victim = fake_api.send_text(BOB, STRANGERS, "大家好")
    await Dialog(fake_api, EVE, STRANGERS).say(
        "/flag 骗子", "没有把本群列为它服务的社区", reply_to_message=victim
    )
    assert await count(bot, FlaggedAccountRow) == 0


async def test_a_forged_reissue_button_is_refused(
    telegram_bot: StartBot, fake_api: FakeTelegramApi
) -> None:
    bot = await telegram_bot()
    dm = fake_api.private_chat(BOB)
    dialog = Dialog(fake_api, BOB, dm)
    answer = await dialog.say("/help", "")
    dialog.mark = len(fake_api.calls)
    fake_api.press(BOB, answer.result, f"reissue:{DEMO_ORDER_NOS['failed_topup_eligible']}")
    await dialog.expect("不是发给你的")
    assert await count(bot, ReissueRequestRow) == 0


async def test_a_flagged_impostor_loses_every_message(
    telegram_bot: StartBot, fake_api: FakeTelegramApi
) -> None:
    await telegram_bot()
    fake_api.member_status[(GROUP["id"], ADMIN["id"])] = "administrator"
    first = fake_api.send_text(IMPOSTOR, GROUP, "退款请私聊我")
    await Dialog(fake_api, ADMIN, GROUP).say(
        "/flag 冒充客服", "标记为冒充者", reply_to_message=first
    )
    posts = [fake_api.send_text(IMPOSTOR, GROUP, "需要退款的私聊我") for _ in range(2)]
    wanted = {p["message_id"] for p in posts}
    deleted = await fake_api.wait_for(
        "deleteMessage", lambda c: c.params["message_id"] in wanted, count=2
    )
    assert {c.params["message_id"] for c in deleted} == wanted
    warnings = [t for t in fake_api.texts_to(GROUP["id"]) if "不是星河卡盟的官方账号" in t]
    assert len(warnings) >= 2  # the group is warned at each message
