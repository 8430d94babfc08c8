"""Webhook mode: served by the bot's own aiohttp server (``bots.server.BotServer``), the
secret token header checked, and each update answered only once it has been handled (a
crash in between makes Telegram send it again; the engine's claim drops a repeat)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from sqlalchemy.exc import OperationalError

from adapters.telegram import TelegramAdapter
from bots.app import App
from bots.server import BotServer
from core.storage.database import Database
from tests.fakes.telegram_api import FakeTelegramApi
from tests.telegram.conftest import ALICE, BOB, SECRET

HOOK_URL = "https://bot.example.com/hooks/telegram"


@pytest.fixture
async def webhook_bot(
    make_bot: Callable[..., Awaitable[tuple[App, TelegramAdapter]]],
) -> AsyncIterator[tuple[BotServer, TelegramAdapter]]:
    app, adapter = await make_bot(telegram={"mode": "webhook", "webhook_url": HOOK_URL})
    server = BotServer("127.0.0.1", 0, db=app.db, metrics=app.services.metrics, adapters=[adapter])
    await server.start()
    try:
        await adapter.start()
        yield server, adapter
    finally:
        await adapter.stop()
        await server.stop()
        await app.close()


async def post(server: BotServer, update: dict[str, Any], secret: str | None) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    url = f"http://127.0.0.1:{server.port}/hooks/telegram"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=update, headers=headers) as response,
    ):
        return response.status


def private_update(api: FakeTelegramApi, user: dict[str, Any], text: str) -> dict[str, Any]:
    """A private message from ``user``, as Telegram would post it to the webhook."""
    return api.next_update({"message": api.message(user, api.private_chat(user), text)})


async def test_webhook_is_registered_with_secret_and_update_types(
    webhook_bot: tuple[BotServer, TelegramAdapter], fake_api: FakeTelegramApi
) -> None:
    server, adapter = webhook_bot
    [call] = fake_api.calls_to("setWebhook")
    assert call.params["url"] == HOOK_URL and call.params["secret_token"] == SECRET
    assert {"chat_member", "callback_query", "message"} <= set(call.params["allowed_updates"])
    assert not fake_api.calls_to("getUpdates")
    assert adapter.healthy()
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{server.port}/healthz") as response,
    ):
        assert response.status == 200
        assert (await response.json())["channels"] == {"telegram": True}


async def test_right_secret_is_processed_wrong_or_missing_is_refused(
    webhook_bot: tuple[BotServer, TelegramAdapter], fake_api: FakeTelegramApi
) -> None:
    server, _ = webhook_bot
    forged = private_update(fake_api, BOB, "/support")
    assert await post(server, forged, "wrong-secret") == 403
    assert await post(server, forged, None) == 403
    genuine = private_update(fake_api, ALICE, "/support")
    assert await post(server, genuine, SECRET) == 200
    await fake_api.wait_for_text(ALICE["id"], "在线客服")
    assert fake_api.texts_to(BOB["id"]) == []  # the refused updates were never handled
    assert await post(server, {"not": "an update"}, SECRET) == 400


async def test_an_update_is_answered_after_it_was_handled_and_a_resend_is_dropped(
    webhook_bot: tuple[BotServer, TelegramAdapter], fake_api: FakeTelegramApi
) -> None:
    server, _ = webhook_bot
    update = private_update(fake_api, ALICE, "/support")
    assert await post(server, update, SECRET) == 200
    # No waiting: by the time Telegram got its 200 the reply had been sent.
    [reply] = fake_api.texts_to(ALICE["id"])
    assert "在线客服" in reply
    # Telegram sends it again (say our 200 was lost): acknowledged, not answered twice.
    assert await post(server, update, SECRET) == 200
    assert fake_api.texts_to(ALICE["id"]) == [reply]


async def test_an_update_the_database_cannot_record_gets_503_and_is_handled_on_retry(
    webhook_bot: tuple[BotServer, TelegramAdapter],
    fake_api: FakeTelegramApi,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Before: a database down for a while got the update marked handled (or not at all)
    and a 200, so Telegram never sent it again. Now: 503, nothing sent, and the retry after
    the outage is handled and answered once."""
    server, _ = webhook_bot
    original = Database.event

    @contextlib.asynccontextmanager
    async def refused(self: Database) -> AsyncIterator[Any]:
        raise OperationalError("connect", {}, ConnectionRefusedError("connection refused"))
        yield  # pragma: no cover

    monkeypatch.setattr(Database, "event", refused)
    update = private_update(fake_api, ALICE, "/support")
    assert await post(server, update, SECRET) == 503
    assert fake_api.texts_to(ALICE["id"]) == []
    monkeypatch.setattr(Database, "event", original)  # the database is back
    assert await post(server, update, SECRET) == 200  # Telegram's retry
    [reply] = fake_api.texts_to(ALICE["id"])
    assert "在线客服" in reply and "出了点问题" not in reply
