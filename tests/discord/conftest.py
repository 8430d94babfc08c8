"""Harness: the real adapter and engine against the fake Discord (tests/fakes/discord_api.py).

``discord_bot`` builds the app on a temporary SQLite database (demo shop in the test's
folder), points ``discord.api_base`` / ``discord.gateway_url`` at the fake, starts the
adapter, and on teardown stops everything and checks that no asyncio task is left behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord import DiscordAdapter, create_discord_adapter
from bots.app import App, build_app
from tests.conftest import TEST_COMMUNITIES, make_config
from tests.fakes.discord_api import FakeDiscord

TOKEN_ENV = "KAMENG_TEST_DISCORD_TOKEN"


@dataclass
class Harness:
    fake: FakeDiscord
    app: App
    adapter: DiscordAdapter


BotFactory = Callable[..., AbstractAsyncContextManager[Harness]]


@pytest.fixture
def discord_bot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BotFactory:
    """``async with discord_bot(**overrides) as bot`` (overrides: config sections, or
    ``fake={...}`` for :class:`FakeDiscord` options)."""
    # The endpoints are process-global class attributes: restore them after the test.
    monkeypatch.setattr(Route, "BASE", Route.BASE)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", DiscordWebSocket.DEFAULT_GATEWAY)

    @asynccontextmanager
    async def running(**overrides: Any) -> AsyncIterator[Harness]:
        fake_options = overrides.pop("fake", {})
        token = overrides.pop("token", None)
        discord_overrides = overrides.pop("discord", {})
        async with FakeDiscord(**fake_options) as fake:
            monkeypatch.setenv(TOKEN_ENV, token or fake.token)
            moderation = overrides.pop("moderation", {})
            communities = [*TEST_COMMUNITIES, f"discord:{fake.guild_id}"]
            config = make_config(
                f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
                shop={"demo_data_dir": str(tmp_path)},
                staff={"chats": []},
                discord={
                    "enabled": True,
                    "token_env": TOKEN_ENV,
                    "api_base": fake.api_base,
                    "gateway_url": fake.gateway_url,
                    "staff_channel_id": str(fake.staff_id),
                    **discord_overrides,
                },
                moderation={"communities": communities, **moderation},
                **overrides,
            )
            app = await build_app(config)
            adapter = create_discord_adapter(config, app.runtime)
            adapter.guild_ready_timeout = 0.05  # READY waits this long for GUILD_CREATEs
            app.services.channels["discord"] = adapter
            try:
                await adapter.start()
                yield Harness(fake, app, adapter)
            finally:
                await adapter.stop()
                await app.close()
        await assert_no_tasks_left()

    return running


async def assert_no_tasks_left() -> None:
    await asyncio.sleep(0)
    current = asyncio.current_task()
    left = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
    assert not left, f"tasks left running: {left}"
