"""``Outbound.post_message`` (sendMessage without parsing the answer) puts on the wire exactly
what PTB's own ``Bot.send_message`` does, so skipping the parse changes nothing Telegram sees."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters
from telegram.constants import ParseMode
from telegram.ext import ExtBot

from adapters.telegram.outbound import Outbound
from adapters.telegram.payloads import CallbackStore
from tests.fakes.telegram_api import FakeTelegramApi
from tests.telegram.conftest import TOKEN


async def test_post_message_sends_what_send_message_sends(fake_api: FakeTelegramApi) -> None:
    bot = ExtBot(TOKEN, base_url=f"{fake_api.root_url}/bot")
    await bot.initialize()
    try:
        params = {
            "chat_id": 555001,
            "text": "<b>官方售后</b> &amp; 说明",
            "parse_mode": ParseMode.HTML,
            "reply_markup": InlineKeyboardMarkup(
                [[InlineKeyboardButton("确认", callback_data="c:1")]]
            ),
            "message_thread_id": None,
            "reply_parameters": ReplyParameters(message_id=7, allow_sending_without_reply=True),
            "link_preview_options": LinkPreviewOptions(is_disabled=True),
        }
        await bot.send_message(**params)  # type: ignore[arg-type]
        await Outbound(bot, CallbackStore()).post_message(**params)
    finally:
        await bot.shutdown()
    by_ptb, by_us = fake_api.calls_to("sendMessage")
    assert by_us.params == by_ptb.params
    assert "message_thread_id" not in by_us.params  # None is left out, as PTB does
    assert by_us.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "确认", "callback_data": "c:1"}]]
    }
