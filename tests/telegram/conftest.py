"""Fixtures for the Telegram tests: a fake Bot API and the real app + adapter pointed at it.

``telegram_bot(**overrides)`` builds the real app (SQLite in the test's folder, demo shop),
creates the adapter through ``create_telegram_adapter`` (token from the environment),
registers it as the engine's Telegram channel and starts it. Calling it again after
``bot.close()`` is a restart on the same database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from adapters.telegram import TelegramAdapter, create_telegram_adapter
from bots.app import App, build_app
from tests.conftest import make_config
from tests.fakes.telegram_api import ApiCall, FakeTelegramApi, group_chat, tg_user

TOKEN = "7000001:AAH-fake-token-for-tests_0123456789"
TOKEN_ENV = "KAMENG_TEST_TELEGRAM_TOKEN"
SECRET = "s3cret-webhook_token"
SECRET_ENV = "KAMENG_TEST_TELEGRAM_SECRET"

ALICE = tg_user(555001, "Alice", last_name="<b>&", username="alice_buyer")
BOB = tg_user(555002, "Bob", username="bob_player")
ADMIN = tg_user(555009, "群主", username="group_owner")
GROUP = group_chat()


@dataclass
class RunningBot:
    app: App
    adapter: TelegramAdapter
    closed: bool = False

    async def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            await self.adapter.stop()
        finally:
            await self.app.close()


StartBot = Callable[..., Awaitable[RunningBot]]


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeTelegramApi]:
    async with FakeTelegramApi(TOKEN) as api:
        yield api


@pytest.fixture
def make_bot(
    tmp_path: Path, fake_api: FakeTelegramApi, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Awaitable[tuple[App, TelegramAdapter]]]:
    """Builds (but does not start) the app and the adapter; overrides are config sections."""
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    monkeypatch.setenv(SECRET_ENV, SECRET)

    async def make(**overrides: Any) -> tuple[App, TelegramAdapter]:
        telegram = {
            "enabled": True,
            "token_env": TOKEN_ENV,
            "webhook_secret_env": SECRET_ENV,
            "base_url": fake_api.root_url,
            **overrides.pop("telegram", {}),
        }
        shop = {"demo_data_dir": str(tmp_path), **overrides.pop("shop", {})}
        config = make_config(
            f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", telegram=telegram, shop=shop, **overrides
        )
        app = await build_app(config)
        adapter = create_telegram_adapter(config, app.runtime)
        app.services.channels["telegram"] = adapter
        return app, adapter

    return make


@pytest.fixture
async def telegram_bot(
    make_bot: Callable[..., Awaitable[tuple[App, TelegramAdapter]]],
) -> AsyncIterator[StartBot]:
    running: list[RunningBot] = []

    async def start(**overrides: Any) -> RunningBot:
        app, adapter = await make_bot(**overrides)
        bot = RunningBot(app, adapter)
        running.append(bot)
        await adapter.start()
        return bot

    yield start
    for bot in reversed(running):
        await bot.close()


class Dialog:
    """One user talking to the bot in one chat, step by step, through the fake API."""

    def __init__(self, api: FakeTelegramApi, user: dict[str, Any], chat: dict[str, Any]) -> None:
        self.api = api
        self.user = user
        self.chat = chat
        self.mark = 0

    async def say(self, text: str, expect: str, **extra: Any) -> ApiCall:
        """Send ``text``; returns the bot's next message to this chat containing ``expect``."""
        self.mark = len(self.api.calls)
        self.api.send_text(self.user, self.chat, text, **extra)
        return await self.expect(expect)

    async def send(self, expect: str, **message: Any) -> ApiCall:
        """Send a message built from ``message`` fields (a photo, say)."""
        self.mark = len(self.api.calls)
        self.api.inject({"message": self.api.message(self.user, self.chat, **message)})
        return await self.expect(expect)

    async def press(self, on: ApiCall, data: str, expect: str) -> ApiCall:
        """Press the button with callback ``data`` on the bot message sent by ``on``."""
        assert data in callback_data(on), f"{data!r} not among {callback_data(on)}"
        self.mark = len(self.api.calls)
        self.api.press(self.user, on.result, data)
        return await self.expect(expect)

    async def expect(self, fragment: str) -> ApiCall:
        """A bot message to this chat, since the last thing the user did, with ``fragment``."""
        return await self.api.wait_for_text(self.chat["id"], fragment, after=self.mark)


def callback_data(call: ApiCall) -> list[str]:
    rows = call.params.get("reply_markup", {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]
