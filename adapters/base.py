"""What every platform adapter offers the composition root (``python -m bots run``).

An adapter is a :class:`core.ports.ChannelPort` (``send`` is its single outbound seam,
``is_chat_admin`` the moderator check) that can also start and stop, say whether it is
connected, and add routes to the bot's shared aiohttp server (webhooks).
"""

from __future__ import annotations

from typing import Protocol

from aiohttp import web

from core.model import Action, Chat, User


class ChannelAdapter(Protocol):
    platform: str

    def add_routes(self, app: web.Application) -> None:
        """Register webhook routes on the shared server (called before it starts)."""
        ...

    async def start(self) -> None:
        """Connect and begin delivering events to the runtime; returns once running."""
        ...

    async def stop(self) -> None: ...

    def healthy(self) -> bool:
        """Connected to the platform right now (for /healthz)."""
        ...

    async def send(self, action: Action) -> None: ...

    async def is_chat_admin(self, chat: Chat, user: User) -> bool: ...
