"""The official entry points: /start, /help, /support and everyday "where is support" words."""

from __future__ import annotations

import pytest

from bots.app import App
from core.handlers.support_rule import asks_for_support
from core.model import ButtonStyle, Reply
from tests.helpers import DM, GROUP, event, texts

CHANNELS = [
    "在线客服：https://www.xinghe-kameng.example/support",
    "工单中心：https://www.xinghe-kameng.example/tickets",
    "客服电话：400-800-1234",
    "客服邮箱：support@xinghe-kameng.example",
]


@pytest.mark.parametrize(
    "text", ["/support", "/start", "售后在哪", "怎么联系客服", "人工客服", "售後在哪裡"]
)
async def test_private_answer_lists_every_channel_in_order_with_warning(
    app: App, text: str
) -> None:
    reply = texts(await app.engine.handle(event(text, chat=DM)))
    positions = [reply.index(line) for line in CHANNELS]
    assert positions == sorted(positions)
    assert "不会主动私聊" in reply and "卡密" in reply and "转账" in reply


async def test_private_answer_shows_the_official_accounts_of_the_users_platform(app: App) -> None:
    reply = texts(await app.engine.handle(event("/support")))
    assert "@xinghe_support（ID 100001）" in reply
    assert "@xinghe_aftersales" in reply
    # A display name can be copied: it is never shown as an official account's credential.
    assert "星河卡盟官方客服" not in reply and "星河售后-小雅" not in reply
    assert "XingHe Support" not in reply  # the Discord account is not shown to a Telegram user


async def test_private_answer_has_link_buttons_for_web_channels(app: App) -> None:
    [action] = await app.engine.handle(event("/support"))
    assert isinstance(action, Reply)
    urls = [b.url for row in action.buttons for b in row if b.style is ButtonStyle.URL]
    assert urls == [
        "https://www.xinghe-kameng.example/support",
        "https://www.xinghe-kameng.example/tickets",
    ]


async def test_group_answer_is_short_and_points_to_private_chat(app: App) -> None:
    [action] = await app.engine.handle(event("/support@kameng_bot", chat=GROUP, message_id="77"))
    assert isinstance(action, Reply) and action.chat == GROUP
    assert action.reply_to_message_id == "77"
    assert all(line.split("：", 1)[1] in action.text for line in CHANNELS)
    assert len(action.text.splitlines()) <= 3
    [[button]] = action.buttons
    assert button.style is ButtonStyle.PRIVATE and button.payload == "support"


async def test_group_chatter_gets_no_reply(app: App) -> None:
    assert await app.engine.handle(event("今晚谁一起开黑", chat=GROUP)) == []


async def test_unknown_private_text_gets_help_not_silence(app: App) -> None:
    assert "/help" in texts(await app.engine.handle(event("今天天气不错")))


async def test_deep_link_from_group_opens_full_answer_in_private(app: App) -> None:
    reply = texts(await app.engine.handle(event("/start support")))
    assert "售后助手" in reply and CHANNELS[0] in reply


async def test_english_users_get_english(app: App) -> None:
    from core.model import User

    bob = User(platform="telegram", id="9", display_name="Bob", locale="en-US")
    reply = texts(await app.engine.handle(event("/support", user=bob)))
    assert "Stay safe" in reply and CHANNELS[2].replace("：", ": ") in reply


async def test_help_unknown_and_staff_only_commands(app: App) -> None:
    assert "/support" in texts(await app.engine.handle(event("/help")))
    assert "没有“/frobnicate”" in texts(await app.engine.handle(event("/frobnicate")))
    refused = texts(await app.engine.handle(event("/claim T-240001")))
    assert "仅限客服人员在客服群中使用" in refused


@pytest.mark.parametrize(
    "text",
    [
        "售后在哪",
        "请问客服怎么联系",
        "有没有人工客服",
        "客服电话多少",
        "转人工",
        "售後怎麼聯繫",
        "where is support?",
        "how to contact customer service",
        "官方售后入口在哪",
    ],
)
def test_support_rule_recognises_everyday_wordings(text: str) -> None:
    assert asks_for_support(text)


@pytest.mark.parametrize("text", ["你好", "今天天气不错", "这个游戏好玩吗", "卡密怎么兑换"])
def test_support_rule_ignores_other_talk(text: str) -> None:
    assert not asks_for_support(text)
