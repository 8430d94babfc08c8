"""Limits and failures on the wire: a 429 is waited out, a dropped connection is retried,
polling recovers from network errors (and says so), one failing update does not affect the
next, a user who never started the bot is logged clearly, and the token never reaches a log."""

from __future__ import annotations

import base64
import logging
import time

import pytest

from core.model import Chat, DeleteMessage, Event, NotifyStaff, RestrictUser, SendPrivate, User
from tests.fakes.telegram_api import FakeTelegramApi
from tests.telegram.conftest import ALICE, BOB, GROUP, TOKEN, Dialog, StartBot

# PTB 22 warns inside RetryAfter.__init__ about a future type of its own attribute.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def test_a_429_is_waited_out_and_the_reply_still_delivered(
    telegram_bot: StartBot, fake_api: FakeTelegramApi
) -> None:
    await telegram_bot()
    fake_api.fail_next("sendMessage", retry_after=1)
    began = time.monotonic()
    await Dialog(fake_api, ALICE, fake_api.private_chat(ALICE)).say("/support", "在线客服")
    assert time.monotonic() - began >= 1.0
    attempts = [c for c in fake_api.calls if c.method == "sendMessage"]
    assert [c.error for c in attempts] == [429, 0]
    assert attempts[0].params["text"] == attempts[1].params["text"]


async def test_a_dropped_connection_on_send_is_retried(
    telegram_bot: StartBot, fake_api: FakeTelegramApi, caplog: pytest.LogCaptureFixture
) -> None:
    await telegram_bot()
    fake_api.drop_next("sendMessage")
    await Dialog(fake_api, ALICE, fake_api.private_chat(ALICE)).say("/support", "在线客服")
    attempts = [c for c in fake_api.calls if c.method == "sendMessage"]
    assert [c.error for c in attempts] == [-1, 0]
    assert "Telegram sendMessage failed" in caplog.text


async def test_polling_survives_network_errors_and_logs_recovery(
    telegram_bot: StartBot, fake_api: FakeTelegramApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    bot = await telegram_bot()
    dm = Dialog(fake_api, ALICE, fake_api.private_chat(ALICE))
    fake_api.drop_next("getUpdates")  # the poll after the one in flight
    await dm.say("/support", "在线客服")
    await dm.say("/ticket", "")  # delivered through the poll after the failed one
    assert "Telegram polling error, retrying" in caplog.text
    assert "Telegram polling recovered after 1 failed attempt(s)" in caplog.text
    assert bot.adapter.healthy()
    assert any(c.error == -1 for c in fake_api.calls if c.method == "getUpdates")


async def test_one_failing_update_does_not_affect_the_next(
    telegram_bot: StartBot,
    fake_api: FakeTelegramApi,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bot = await telegram_bot()
    process = bot.app.runtime.process

    async def sometimes_broken(event: Event) -> object:
        if event.text == "/boom":
            raise RuntimeError("engine exploded")
        return await process(event)

    monkeypatch.setattr(bot.app.runtime, "process", sometimes_broken)
    dm = Dialog(fake_api, ALICE, fake_api.private_chat(ALICE))
    boom = fake_api.inject({"message": fake_api.message(ALICE, dm.chat, "/boom")})
    fake_api.fail_next("sendMessage", status=400, retry_after=None)  # a refused reply
    fake_api.send_text(ALICE, dm.chat, "/support")  # its answer is refused: logged, that is all
    await dm.say("/support", "在线客服")
    assert f"Telegram update {boom} failed" in caplog.text
    assert "sending Reply on telegram failed" in caplog.text
    assert bot.adapter.healthy()


async def test_private_message_to_a_user_who_never_started_the_bot_is_logged(
    telegram_bot: StartBot, fake_api: FakeTelegramApi, caplog: pytest.LogCaptureFixture
) -> None:
    await telegram_bot()
    fake_api.not_started.add(BOB["id"])
    await Dialog(fake_api, BOB, GROUP).say("/order DD2026112000002", "私聊")
    refused = await fake_api.wait_for_error("sendMessage", 403)
    assert refused.params["chat_id"] == BOB["id"]
    await Dialog(fake_api, BOB, GROUP).say(f"/help@{fake_api.bot_username}", "")
    assert "must open the bot and press Start" in caplog.text


async def test_the_token_never_appears_in_logs(
    telegram_bot: StartBot, fake_api: FakeTelegramApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bot = await telegram_bot()
    fake_api.drop_next("getUpdates")
    dm = Dialog(fake_api, ALICE, fake_api.private_chat(ALICE))
    await dm.say("/support", "在线客服")
    await dm.say("/help", "")
    try:
        raise RuntimeError(f"GET {fake_api.root_url}/bot{TOKEN}/getMe failed")
    except RuntimeError:
        logging.getLogger("core.runtime").exception("sending failed (%s)", TOKEN)
    await bot.close()
    assert "<telegram-token>" in caplog.text  # PTB's DEBUG line with the API URL, redacted
    assert TOKEN not in caplog.text
    assert TOKEN.split(":")[1] not in caplog.text


async def test_moderation_actions_through_the_seam(
    telegram_bot: StartBot, fake_api: FakeTelegramApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    bot = await telegram_bot()
    group = Chat(platform="telegram", id=str(GROUP["id"]), is_private=False)
    suspect = User(platform="telegram", id="666003", display_name="客服小美")
    await bot.adapter.send(DeleteMessage(chat=group, message_id="987654"))  # already gone
    assert "was already gone" in caplog.text
    await bot.adapter.send(RestrictUser(chat=group, user=suspect, reason="冒充", remove=True))
    [ban] = fake_api.calls_to("banChatMember")
    assert ban.params == {"chat_id": GROUP["id"], "user_id": 666003}
    as_group = User(platform="telegram", id=str(GROUP["id"]), display_name="群")
    await bot.adapter.send(SendPrivate(user=as_group, text="never into the group"))
    assert fake_api.texts_to(GROUP["id"]) == []
    await bot.adapter.send(NotifyStaff(destination=f"telegram:{GROUP['id']}", text="工单 <T-1>"))
    assert fake_api.texts_to(GROUP["id"]) == ["工单 &lt;T-1&gt;"]


@pytest.mark.parametrize(
    "payload",
    [
        "b64_测试",  # finding 10: not base64 at all (ValueError escaped the decoder)
        "测试",
        "%%",
        "b64_%%",
        "b64_",
        "b64_" + "A" * 3,  # base64 with a bad length
        "b64_" + base64.urlsafe_b64encode(bytes(range(256))[:48]).decode().rstrip("="),
        "b64_" + base64.urlsafe_b64encode(b"\x00\x01/start\x7f").decode().rstrip("="),
        "b64_" + base64.urlsafe_b64encode("flow:cat:x\u202e".encode()).decode(),
        "x" * 4000,
        "{name}{brand}%s%(x)s",
        "🙂\u200b\u0000",
    ],
)
async def test_start_with_a_garbage_payload_answers_the_welcome(
    telegram_bot: StartBot, fake_api: FakeTelegramApi, payload: str
) -> None:
    """``/start <anything>`` in private is a normal start: the welcome, never an apology."""
    await telegram_bot()
    dm = Dialog(fake_api, ALICE, fake_api.private_chat(ALICE))
    await dm.say(f"/start {payload}", "售后助手")
    await dm.expect("在线客服")
    texts = fake_api.texts_to(fake_api.private_chat(ALICE)["id"])
    assert not any("出错" in text or "抱歉" in text for text in texts), texts
