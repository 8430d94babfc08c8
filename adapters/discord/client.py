"""The discord.py client: proxy endpoints, intents, sharding and the gateway event hooks.

``discord.api_base`` and ``discord.gateway_url`` redirect REST and the gateway by setting
``discord.http.Route.BASE`` and ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY``. Those
are **class attributes, so the setting is process-global**: every discord.py client in the
process (there is one per bot process) uses them. An empty setting restores Discord's own
endpoints. Interaction callbacks and follow-ups go through the same ``Route`` class, so the
REST base covers them too; after READY the gateway resumes at the ``resume_gateway_url``
Discord (or the proxy) hands out.

Intents: guilds, guild and DM messages always; the privileged members intent (joins and
renames for the impostor guard) and message-content intent only when the application is
allowed them (its flags, read at login). Rate limits (429) are waited out by discord.py's
own HTTP client; nothing here retries on top of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from core.config import DiscordConfig

_DISCORD_API = Route.BASE
_DISCORD_GATEWAY = DiscordWebSocket.DEFAULT_GATEWAY

# A text-only bot: discord.py's warnings about missing voice libraries are noise.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False

# How long discord.py waits for the GUILD_CREATE stream after READY (its default).
GUILD_READY_TIMEOUT = 2.0


def apply_endpoints(config: DiscordConfig) -> None:
    """Point discord.py at the configured REST base and gateway (process-global)."""
    Route.BASE = config.api_base.rstrip("/") if config.api_base else _DISCORD_API
    DiscordWebSocket.DEFAULT_GATEWAY = (
        yarl.URL(config.gateway_url) if config.gateway_url else _DISCORD_GATEWAY
    )


def build_intents(*, members: bool, message_content: bool) -> discord.Intents:
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.members = members
    intents.message_content = message_content
    return intents


def granted_intents(flags: discord.ApplicationFlags) -> tuple[bool, bool]:
    """(members, message content): what the application may ask for, from its flags."""
    members = flags.gateway_guild_members or flags.gateway_guild_members_limited
    content = flags.gateway_message_content or flags.gateway_message_content_limited
    return bool(members), bool(content)


class GatewayListener(Protocol):
    """What the client hands gateway events to (the adapter's inbound side)."""

    async def on_message(self, message: discord.Message) -> None: ...

    async def on_member_join(self, member: discord.Member) -> None: ...

    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None: ...

    async def on_user_update(self, before: discord.User, after: discord.User) -> None: ...


class BotClient(discord.Client):
    """A ``discord.Client`` that forwards events to a listener and owns the command tree."""

    def __init__(
        self,
        listener: GatewayListener,
        *,
        intents: discord.Intents,
        dynamic_items: Sequence[type[discord.ui.DynamicItem[Any]]] = (),
        shard_count: int | None = None,
        guild_ready_timeout: float = GUILD_READY_TIMEOUT,
    ) -> None:
        super().__init__(
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=guild_ready_timeout,
            shard_count=shard_count,
        )
        self.listener = listener
        self.tree: app_commands.CommandTree[BotClient] = app_commands.CommandTree(self)
        self._dynamic_items = tuple(dynamic_items)

    async def setup_hook(self) -> None:
        # The persistent dispatcher: buttons are matched by custom_id, not by a stored view,
        # so clicks keep working across restarts and on messages of any age.
        self.add_dynamic_items(*self._dynamic_items)

    async def on_message(self, message: discord.Message) -> None:
        await self.listener.on_message(message)

    async def on_member_join(self, member: discord.Member) -> None:
        await self.listener.on_member_join(member)

    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        await self.listener.on_member_update(before, after)

    async def on_user_update(self, before: discord.User, after: discord.User) -> None:
        await self.listener.on_user_update(before, after)


class ShardedBotClient(BotClient, discord.AutoShardedClient):
    """The same client on several gateway shards (``discord.shards``)."""


def build_client(
    listener: GatewayListener,
    config: DiscordConfig,
    *,
    intents: discord.Intents,
    dynamic_items: Sequence[type[discord.ui.DynamicItem[Any]]],
    guild_ready_timeout: float = GUILD_READY_TIMEOUT,
) -> BotClient:
    if config.shards:
        return ShardedBotClient(
            listener,
            intents=intents,
            dynamic_items=dynamic_items,
            shard_count=config.shards,
            guild_ready_timeout=guild_ready_timeout,
        )
    return BotClient(
        listener,
        intents=intents,
        dynamic_items=dynamic_items,
        guild_ready_timeout=guild_ready_timeout,
    )
