"""The Discord channel: lifecycle (login, intents, command sync, gateway), the outbound seam
and the moderator check.

``start()`` logs in (a rejected token is a :class:`~core.config.ConfigError`), picks the
intents the application may use (one warning when a privileged one is missing), syncs the
slash commands, connects the gateway in a background task and returns once READY.
``stop()`` lets in-flight events finish (briefly), then closes the client.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import discord
from aiohttp import web

from adapters.discord.client import (
    GUILD_READY_TIMEOUT,
    BotClient,
    apply_endpoints,
    build_client,
    build_intents,
    granted_intents,
)
from adapters.discord.commands import Localizations, register
from adapters.discord.handlers import Inbound
from adapters.discord.inbound import PLATFORM
from adapters.discord.interactions import DEFER_AFTER
from adapters.discord.outbound import Outbound
from adapters.discord.prompts import LOCALES, PromptCatalog
from adapters.discord.views import DYNAMIC_ITEMS
from core.config import Config, ConfigError
from core.model import Action, Chat, User
from core.runtime import Runtime
from core.texts import Texts

log = logging.getLogger(__name__)

ADMIN_TTL = 60.0  # seconds a moderator check is cached
_ADMIN_CACHE_MAX = 10_000


def private_notes(texts: Texts) -> list[str]:
    notes = []
    for locale in LOCALES:
        with contextlib.suppress(KeyError):
            notes.append(texts.get("lookup.answered_in_private", locale))
    return notes


class DiscordAdapter:
    platform = PLATFORM

    def __init__(self, config: Config, runtime: Runtime, token: str) -> None:
        self.config = config
        self.runtime = runtime
        self._token = token
        self.client: BotClient | None = None
        self.ready_timeout = 60.0
        self.guild_ready_timeout = GUILD_READY_TIMEOUT
        self.defer_after = DEFER_AFTER
        self.admin_ttl = ADMIN_TTL
        self.stopping = False
        self.intents: discord.Intents | None = None
        self._runner: asyncio.Task[None] | None = None
        self._inflight: set[asyncio.Task[Any]] = set()
        self._admin_cache: dict[tuple[str, str], tuple[bool, float]] = {}
        self._warned_intents = False
        services = runtime.engine.services
        texts = services.texts
        self.inbound = Inbound(self)
        self.outbound = Outbound(
            lambda: self.client, PromptCatalog(texts), private_notes(texts), services.threads
        )

    # -- ChannelAdapter ------------------------------------------------------------------------
    def add_routes(self, app: web.Application) -> None:
        """Nothing: Discord delivers over the gateway websocket, not webhooks."""

    async def start(self) -> None:
        apply_endpoints(self.config.discord)
        self.stopping = False
        client = await self._login(members=True, content=True)
        members, content = granted_intents(client.application_flags)
        if not (members and content):
            self._warn_intents(members=members, content=content)
            await client.close()
            client = await self._login(members=members, content=content)
        self.client = client
        await self._sync(client)
        try:
            await self._connect(client)
        except discord.PrivilegedIntentsRequired:
            # The flags said yes but the gateway said 4014: run without privileged intents.
            self._warn_intents(members=False, content=False)
            await client.close()
            client = await self._login(members=False, content=False)
            self.client = client
            await self._connect(client)
        log.info(
            "discord: connected as %s (%d servers, %s shard(s))",
            client.user,
            len(client.guilds),
            client.shard_count or 1,
        )

    async def stop(self) -> None:
        self.stopping = True
        pending = {task for task in self._inflight if not task.done()}
        if pending:
            _, late = await asyncio.wait(pending, timeout=5.0)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        client, runner = self.client, self._runner
        if client is not None and not client.is_closed():
            await client.close()
        if runner is not None:
            try:
                await asyncio.wait_for(runner, timeout=5.0)
            except (TimeoutError, asyncio.CancelledError):
                pass
            except Exception:
                log.exception("the Discord gateway task failed while stopping")
        self._runner = None

    def healthy(self) -> bool:
        client, runner = self.client, self._runner
        return (
            client is not None
            and client.is_ready()
            and not client.is_closed()
            and runner is not None
            and not runner.done()
        )

    async def send(self, action: Action) -> None:
        """The single outbound seam: every Discord call the bot makes starts here."""
        await self.outbound.send(action)

    async def is_chat_admin(self, chat: Chat, user: User) -> bool:
        """Manage Messages or Moderate Members in that channel's server (cached briefly)."""
        if chat.platform != PLATFORM or chat.is_private or user.platform != PLATFORM:
            return False
        key = (chat.thread_id or chat.id, user.id)
        now = time.monotonic()
        cached = self._admin_cache.get(key)
        if cached is not None and cached[1] > now:
            return cached[0]
        try:
            result = await self._may_moderate(chat, user)
        except discord.HTTPException as exc:
            log.warning("moderator check of %s in %s failed: %s", user.key, chat.key, exc)
            return False
        if len(self._admin_cache) >= _ADMIN_CACHE_MAX:
            self._admin_cache = {k: v for k, v in self._admin_cache.items() if v[1] > now}
        self._admin_cache[key] = (result, now + self.admin_ttl)
        return result

    # -- internals -----------------------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def tracked(self) -> AsyncIterator[None]:
        """Register the running task as in flight (``stop()`` waits for it)."""
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
        try:
            yield
        finally:
            if task is not None:
                self._inflight.discard(task)

    async def _may_moderate(self, chat: Chat, user: User) -> bool:
        client = self.client
        if client is None:
            return False
        channel_id = int(chat.thread_id or chat.id)
        channel = client.get_channel(channel_id) or await client.fetch_channel(channel_id)
        if not isinstance(channel, discord.abc.GuildChannel | discord.Thread):
            return False
        guild = channel.guild
        try:
            member = guild.get_member(int(user.id)) or await guild.fetch_member(int(user.id))
        except discord.NotFound:
            return False  # not (or no longer) a member
        permissions = channel.permissions_for(member)
        return permissions.manage_messages or permissions.moderate_members

    async def _login(self, *, members: bool, content: bool) -> BotClient:
        intents = build_intents(members=members, message_content=content)
        client = build_client(
            self.inbound,
            self.config.discord,
            intents=intents,
            dynamic_items=DYNAMIC_ITEMS,
            guild_ready_timeout=self.guild_ready_timeout,
        )
        register(client.tree, self.inbound)
        await client.tree.set_translator(Localizations())
        try:
            await client.login(self._token)
        except discord.LoginFailure as exc:
            await client.close()
            env = self.config.discord.token_env
            raise ConfigError(
                f"Discord rejected the bot token in the environment variable {env} (config key "
                "`discord.token_env`). Fix: copy the token again from the Discord Developer "
                "Portal (Bot → Reset Token) and export it before starting the bot."
            ) from exc
        except BaseException:
            await client.close()
            raise
        self.intents = intents
        return client

    def _warn_intents(self, *, members: bool, content: bool) -> None:
        if self._warned_intents:
            return
        self._warned_intents = True
        missing = []
        if not members:
            missing.append(
                "Server Members (joins and renames are not judged by the impostor guard; "
                "names are still judged when a member first speaks)"
            )
        if not content:
            missing.append(
                "Message Content (server messages are read only when they mention the bot; "
                "DMs and slash commands work)"
            )
        log.warning(
            "discord: the application is not allowed the privileged intent(s) %s. The bot "
            "runs without them. Fix: Discord Developer Portal → your application → Bot → "
            "Privileged Gateway Intents.",
            "; ".join(missing),
        )

    async def _sync(self, client: BotClient) -> None:
        try:
            synced = await client.tree.sync()
        except discord.HTTPException:
            log.exception("discord: registering the slash commands failed; the old ones stay")
            return
        log.info("discord: %d application commands registered", len(synced))

    async def _connect(self, client: BotClient) -> None:
        runner = asyncio.create_task(client.connect(reconnect=True), name="discord-gateway")
        ready = asyncio.create_task(client.wait_until_ready(), name="discord-ready")
        done, _ = await asyncio.wait(
            {runner, ready}, timeout=self.ready_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if ready in done and not runner.done():
            self._runner = runner
            runner.add_done_callback(self._gateway_ended)
            return
        ready.cancel()
        await asyncio.gather(ready, return_exceptions=True)
        if not runner.done():
            await client.close()
            runner.cancel()
            await asyncio.gather(runner, return_exceptions=True)
            raise TimeoutError(f"Discord gateway not ready within {self.ready_timeout:g}s")
        await client.close()
        error = runner.exception()
        if error is not None:
            raise error
        raise ConnectionError("the Discord gateway closed before READY")

    def _gateway_ended(self, task: asyncio.Task[None]) -> None:
        if task.cancelled() or self.stopping:
            return
        error = task.exception()
        if error is not None:
            log.error("discord: the gateway connection ended: %r", error)
        else:
            log.warning("discord: the gateway connection ended")
