"""Impostor guard and moderator commands on the wire: a join by an impostor-named member,
``/flag`` by a group admin (getChatMember) and by an ordinary member."""

from __future__ import annotations

from tests.fakes.telegram_api import FakeTelegramApi, tg_user
from tests.telegram.conftest import ADMIN, BOB, GROUP, Dialog, StartBot

IMPOSTOR = tg_user(666001, "星河卡盟官方客服", username="xinghe_support_vip")


async def test_impostor_join_is_warned_about_and_restricted_once(
    telegram_bot: StartBot, fake_api: FakeTelegramApi
) -> None:
    await telegram_bot(guard={"action": "restrict"})
    # Telegram reports the join twice: as a chat_member update and as a service message.
    fake_api.member_update(IMPOSTOR, GROUP, "left", "member")
    fake_api.inject({"message": fake_api.message(IMPOSTOR, GROUP, new_chat_members=[IMPOSTOR])})
    warning = await fake_api.wait_for_text(GROUP["id"], "不是星河卡盟的官方账号")
    assert "星河卡盟官方客服" in warning.params["text"]
    [restrict] = await fake_api.wait_for("restrictChatMember")
    assert restrict.params["chat_id"] == GROUP["id"]
    assert restrict.params["user_id"] == IMPOSTOR["id"]
    assert not any(restrict.params["permissions"].values())
    # Both updates are handled (the marker below comes after them), one warning only.
    await Dialog(fake_api, BOB, GROUP).say(f"/help@{fake_api.bot_username}", "")
    warnings = [t for t in fake_api.texts_to(GROUP["id"]) if "官方账号" in t and "不是" in t]
    assert len(warnings) == 1
    assert len(fake_api.calls_to("restrictChatMember")) == 1


async def test_flag_by_a_group_admin_is_recorded(
    telegram_bot: StartBot, fake_api: FakeTelegramApi
) -> None:
    await telegram_bot()
    fake_api.member_status[(GROUP["id"], ADMIN["id"])] = "administrator"
    scam = fake_api.send_text(IMPOSTOR, GROUP, "退款请私聊我")
    admin = Dialog(fake_api, ADMIN, GROUP)
    flagged = await admin.say("/flag 冒充客服骗卡密", "标记为冒充者", reply_to_message=scam)
    assert "星河卡盟官方客服" in flagged.params["text"]
    listed = await admin.say("/flags", "被标记的冒充账号")
    assert "冒充客服骗卡密" in listed.params["text"]
    checks = [c for c in fake_api.calls_to("getChatMember") if c.params["user_id"] == ADMIN["id"]]
    assert len(checks) == 1  # the second command used the cached answer


async def test_flag_by_a_member_is_politely_refused(
    telegram_bot: StartBot, fake_api: FakeTelegramApi
) -> None:
    await telegram_bot()
    fake_api.member_status[(GROUP["id"], ADMIN["id"])] = "creator"
    scam = fake_api.send_text(IMPOSTOR, GROUP, "退款请私聊我")
    await Dialog(fake_api, BOB, GROUP).say("/flag 骗子", "只有本群管理员", reply_to_message=scam)
    assert await Dialog(fake_api, ADMIN, GROUP).say("/flags", "目前没有被标记的账号")
    assert not fake_api.calls_to("restrictChatMember")
