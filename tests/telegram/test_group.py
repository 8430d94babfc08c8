"""Group chats on the wire: commands addressed to this bot or another, deep links, escaping."""

from __future__ import annotations

from tests.fakes.telegram_api import FakeTelegramApi, tg_user
from tests.telegram.conftest import ALICE, BOB, GROUP, Dialog, StartBot


async def test_group_support_command_is_answered_with_a_deep_link(
    telegram_bot: StartBot, fake_api: FakeTelegramApi
) -> None:
    await telegram_bot()
    asked = fake_api.send_text(ALICE, GROUP, f"/support@{fake_api.bot_username}")
    call = await fake_api.wait_for_text(GROUP["id"], "在线客服")
    assert call.params["parse_mode"] == "HTML"
    assert call.params["reply_parameters"]["message_id"] == asked["message_id"]
    buttons = [b for row in call.params["reply_markup"]["inline_keyboard"] for b in row]
    links = [b["url"] for b in buttons if "url" in b]
    assert f"https://t.me/{fake_api.bot_username}?start=support" in links


async def test_commands_for_another_bot_are_ignored(
    telegram_bot: StartBot, fake_api: FakeTelegramApi
) -> None:
    await telegram_bot()
    fake_api.send_text(ALICE, GROUP, "/support@other_shop_bot")
    fake_api.send_text(ALICE, GROUP, "/complain@other_shop_bot 卡密用不了")
    fake_api.send_text(ALICE, GROUP, "/roll 2d6")  # another bot's command, unaddressed
    marker = fake_api.send_text(ALICE, GROUP, f"/help@{fake_api.bot_username}")
    await fake_api.wait_for("sendMessage")
    [answer] = fake_api.calls_to("sendMessage")
    assert answer.params["reply_parameters"]["message_id"] == marker["message_id"]


async def test_user_strings_are_html_escaped(
    telegram_bot: StartBot, fake_api: FakeTelegramApi
) -> None:
    await telegram_bot()
    sneaky = tg_user(666002, "星河卡盟官方客服<b>&", username="xh_kefu")
    fake_api.member_update(sneaky, GROUP, "left", "member")
    warning = await fake_api.wait_for_text(GROUP["id"], "官方账号")
    text = warning.params["text"]
    assert warning.params["parse_mode"] == "HTML"
    assert "星河卡盟官方客服&lt;b&gt;&amp;" in text
    assert "<b>" not in text and "<" not in text.replace("&lt;", "")


async def test_a_card_key_posted_in_the_group_is_deleted(
    telegram_bot: StartBot, fake_api: FakeTelegramApi
) -> None:
    await telegram_bot()
    posted = fake_api.send_text(BOB, GROUP, "我的卡密 XH7K-9P2M-4Q8R-1T6W 用不了")
    [delete] = await fake_api.wait_for("deleteMessage")
    assert delete.params == {"chat_id": GROUP["id"], "message_id": posted["message_id"]}
    notice = await fake_api.wait_for_text(GROUP["id"], "私聊")
    assert "XH7K-9P2M-4Q8R-1T6W" not in notice.params["text"]


async def test_mentioning_the_bot_in_a_group_is_addressed_to_it(
    telegram_bot: StartBot, fake_api: FakeTelegramApi
) -> None:
    await telegram_bot()
    await Dialog(fake_api, BOB, GROUP).say(f"@{fake_api.bot_username} 售后在哪", "在线客服")


async def test_replies_in_a_forum_topic_stay_in_the_topic(
    telegram_bot: StartBot, fake_api: FakeTelegramApi
) -> None:
    await telegram_bot()
    forum = {**GROUP, "is_forum": True}
    topic_start = fake_api.message(
        ALICE, forum, forum_topic_created={"name": "售后", "icon_color": 7322096}
    )
    fake_api.send_text(
        BOB,
        forum,
        "/support",
        message_thread_id=topic_start["message_id"],
        is_topic_message=True,
        reply_to_message=topic_start,
    )
    answer = await fake_api.wait_for_text(GROUP["id"], "在线客服")
    assert answer.params["message_thread_id"] == topic_start["message_id"]
