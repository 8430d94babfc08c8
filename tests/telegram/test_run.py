"""``python -m bots run`` with Telegram enabled: the composition root builds the adapter from
config, serves /healthz, answers users, and stops cleanly."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest

from adapters.telegram import create_telegram_adapter
from bots.app import build_app
from bots.run import run
from bots.server import BotServer
from tests.conftest import make_config
from tests.fakes.telegram_api import FakeTelegramApi
from tests.telegram.conftest import ALICE, TOKEN, TOKEN_ENV, Dialog


async def test_bots_run_serves_telegram_until_stopped(
    tmp_path: Path, fake_api: FakeTelegramApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    config = make_config(
        f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        telegram={"enabled": True, "token_env": TOKEN_ENV, "base_url": fake_api.root_url},
        shop={"demo_data_dir": str(tmp_path)},
        server={"host": "127.0.0.1", "port": 0},
        staff={"chats": []},
    )
    stop = asyncio.Event()
    running = asyncio.create_task(run(config, stop=stop))
    try:
        await fake_api.wait_for("getUpdates")
        await Dialog(fake_api, ALICE, fake_api.private_chat(ALICE)).say("/support", "在线客服")
    finally:
        stop.set()
        assert await asyncio.wait_for(running, 10) == 0
    assert fake_api.calls[-1].method == "getUpdates"  # the final poll confirming the offset


async def test_healthz_reports_the_telegram_channel(
    tmp_path: Path, fake_api: FakeTelegramApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    config = make_config(
        f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        telegram={"enabled": True, "token_env": TOKEN_ENV, "base_url": fake_api.root_url},
        shop={"demo_data_dir": str(tmp_path)},
    )
    app = await build_app(config)
    adapter = create_telegram_adapter(config, app.runtime)
    server = BotServer("127.0.0.1", 0, db=app.db, metrics=app.services.metrics, adapters=[adapter])
    await server.start()

    async def healthz() -> tuple[int, object]:
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{server.port}/healthz") as response,
        ):
            return response.status, (await response.json())["channels"]

    try:
        assert await healthz() == (503, {"telegram": False})  # not started yet
        await adapter.start()
        assert await healthz() == (200, {"telegram": True})
        await adapter.stop()
        assert await healthz() == (503, {"telegram": False})
    finally:
        await adapter.stop()
        await server.stop()
        await app.close()
