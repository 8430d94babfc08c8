"""Lifecycle: RESUME after op 7, missing privileged intents, sharding, bad tokens, and the
deferral that keeps a slow answer from failing the interaction."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import discord
import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord import create_discord_adapter
from adapters.discord.inbound import COMMANDS
from bots.app import build_app
from bots.run import run
from core.config import ConfigError
from core.model import Event
from core.replies import Pending
from tests.conftest import make_config
from tests.discord.conftest import TOKEN_ENV, BotFactory, assert_no_tasks_left
from tests.fakes.discord_api import (
    FLAG_CONTENT_LIMITED,
    FLAG_MEMBERS_LIMITED,
    INTENT_MEMBERS,
    INTENT_MESSAGE_CONTENT,
    FakeDiscord,
)


async def test_resume_after_op_7_reconnect(discord_bot: BotFactory) -> None:
    async with discord_bot() as bot:
        fake = bot.fake
        await fake.reconnect()
        await fake.wait_until(lambda: len(fake.resumes) == 1)
        path, resume = fake.resumes[0]
        assert path == "/resume-gateway"  # READY's resume_gateway_url, not the first URL
        assert resume["session_id"] == "session-1"
        assert resume["seq"] >= 2  # READY and GUILD_CREATE were seen
        assert len(fake.identify_payloads) == 1  # resumed, not re-identified
        alice = fake.add_member("alice", "Alice")
        iid = await fake.slash("help", alice, channel_id=fake.general_id)
        assert "/support" in (await fake.callback(iid)).body["data"]["content"]
        assert bot.adapter.healthy()


async def test_without_privileged_intents_the_bot_works_and_warns_once(
    discord_bot: BotFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="adapters.discord")
    async with discord_bot(fake={"members_intent": False, "content_intent": False}) as bot:
        fake = bot.fake
        intents = fake.identify_payloads[-1]["intents"]
        assert not intents & INTENT_MEMBERS
        assert not intents & INTENT_MESSAGE_CONTENT
        alice = fake.add_member("alice", "Alice")
        iid = await fake.slash("support", alice, channel_id=fake.general_id)
        assert "在线客服" in (await fake.callback(iid)).body["data"]["content"]
    warnings = [r for r in caplog.records if "privileged intent" in r.getMessage()]
    assert len(warnings) == 1
    assert "Server Members" in warnings[0].getMessage()
    assert "Message Content" in warnings[0].getMessage()


async def test_gateway_refusing_privileged_intents_falls_back_without_them(
    discord_bot: BotFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="adapters.discord")
    claimed = FLAG_MEMBERS_LIMITED | FLAG_CONTENT_LIMITED  # the flags say yes, IDENTIFY says 4014
    options = {"members_intent": False, "content_intent": False, "claimed_flags": claimed}
    async with discord_bot(fake=options) as bot:
        first, last = bot.fake.identify_payloads[0], bot.fake.identify_payloads[-1]
        assert first["intents"] & INTENT_MEMBERS
        assert not last["intents"] & (INTENT_MEMBERS | INTENT_MESSAGE_CONTENT)
        assert bot.adapter.healthy()
    assert len([r for r in caplog.records if "privileged intent" in r.getMessage()]) == 1


async def test_sharded_client_when_discord_shards_is_set(discord_bot: BotFactory) -> None:
    async with discord_bot(discord={"shards": 1}) as bot:
        assert isinstance(bot.adapter.client, discord.AutoShardedClient)
        assert bot.fake.identify_payloads[0]["shard"] == [0, 1]
        alice = bot.fake.add_member("alice", "Alice")
        iid = await bot.fake.slash("support", alice, channel_id=bot.fake.general_id)
        assert "在线客服" in (await bot.fake.callback(iid)).body["data"]["content"]


async def test_rejected_token_is_a_config_error(discord_bot: BotFactory) -> None:
    with pytest.raises(ConfigError, match=TOKEN_ENV):
        async with discord_bot(token="not-the-token"):
            pass


async def test_missing_token_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISCORD_BOT_TOKEN", raising=False)
    config = make_config(
        f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        shop={"demo_data_dir": str(tmp_path)},
        discord={"enabled": True},
    )
    app = await build_app(config)
    try:
        with pytest.raises(ConfigError, match=r"discord\.token_env"):
            create_discord_adapter(config, app.runtime)
    finally:
        await app.close()


async def test_a_slow_answer_is_deferred_then_sent_as_a_follow_up(
    discord_bot: BotFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with discord_bot() as bot:
        engine = bot.app.engine
        record = engine.record  # what the runtime calls (handle, saving the replies)

        async def slow(event: Event) -> list[Pending]:
            await asyncio.sleep(0.2)
            return await record(event)

        monkeypatch.setattr(engine, "record", slow)
        bot.adapter.defer_after = 0.02
        fake = bot.fake
        alice = fake.add_member("alice", "Alice")
        iid = await fake.slash("help", alice, channel_id=fake.general_id)
        deferred = (await fake.callback(iid)).body
        assert deferred["type"] == 5  # DEFERRED_CHANNEL_MESSAGE ("thinking…")
        assert deferred["data"]["flags"] & 64
        followup = (await fake.followup(iid)).body
        assert "/support" in followup["content"]


async def test_python_m_bots_run_serves_discord_until_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Route, "BASE", Route.BASE)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", DiscordWebSocket.DEFAULT_GATEWAY)
    async with FakeDiscord() as fake:
        monkeypatch.setenv(TOKEN_ENV, fake.token)
        config = make_config(
            f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            shop={"demo_data_dir": str(tmp_path)},
            server={"port": 0},
            discord={
                "enabled": True,
                "token_env": TOKEN_ENV,
                "api_base": fake.api_base,
                "gateway_url": fake.gateway_url,
            },
        )
        stop = asyncio.Event()
        running = asyncio.create_task(run(config, stop=stop))
        await fake.wait_until(lambda: bool(fake.identify_payloads), within=10)
        alice = fake.add_member("alice", "Alice")
        iid = await fake.slash("support", alice, channel_id=fake.general_id)
        assert "在线客服" in (await fake.callback(iid)).body["data"]["content"]
        stop.set()
        assert await asyncio.wait_for(running, timeout=10) == 0
    await assert_no_tasks_left()


async def test_every_command_is_synced_with_chinese_localizations(
    discord_bot: BotFactory,
) -> None:
    async with discord_bot() as bot:
        (sync,) = bot.fake.find("PUT", f"/applications/{bot.fake.application_id}/commands")
        slash = {c["name"]: c for c in sync.body if c["type"] == 1}
        assert sorted(slash) == sorted(COMMANDS)
        assert slash["support"]["description_localizations"]["zh-CN"] == "官方售后入口与防骗提醒"
        order_no = slash["order"]["options"][0]
        assert order_no["name_localizations"] == {"zh-CN": "订单号", "zh-TW": "訂單號"}
        menus = {c["name"]: c for c in sync.body if c["type"] == 2}
        assert menus["Flag as impostor"]["name_localizations"]["zh-CN"] == "标记为冒充者"
        assert menus["Verify account"]["name_localizations"]["zh-CN"] == "核实账号"
        # Enforced in code, not hidden by default permissions: configured moderators need it.
        assert slash["flag"]["default_member_permissions"] is None
