"""Discord channel (discord.py 2): slash commands, buttons, modals, ephemeral replies, user
context menus and the impostor guard's member events, over the gateway.

``create_discord_adapter`` is what ``python -m bots run`` calls when ``discord.enabled`` is
true. Module map: ``client`` (endpoints, intents, sharding), ``inbound`` (Discord objects →
core events), ``handlers`` (gateway events and interactions → the runtime), ``outbound``
(core actions → Discord calls), ``interactions`` (answering an interaction), ``commands``
(slash commands, context menus, localizations), ``views`` (buttons and modals),
``prompts`` (which replies ask for free text), ``adapter`` (lifecycle and the seam).
"""

from __future__ import annotations

from adapters.discord.adapter import DiscordAdapter
from core.config import Config, secret
from core.runtime import Runtime

__all__ = ["DiscordAdapter", "create_discord_adapter"]


def create_discord_adapter(config: Config, runtime: Runtime) -> DiscordAdapter:
    """The adapter for ``config.discord``; the token is read (and checked) here.

    Raises :class:`core.config.ConfigError` when the token's environment variable is unset.
    """
    token = secret(config.discord.token_env, key="discord.token_env")
    return DiscordAdapter(config, runtime, token)
