"""The interfaces the core needs from the outside world (implemented in ``adapters/``)."""

from __future__ import annotations

from typing import Protocol

from core.model import Action, Chat, User


class ChannelPort(Protocol):
    """One chat platform, as the core sees it.

    ``send`` is the adapter's single outbound seam: every call the bot makes to the
    platform passes through it, so tests can observe all of them.
    """

    platform: str

    async def send(self, action: Action) -> None: ...

    async def is_chat_admin(self, chat: Chat, user: User) -> bool:
        """Whether ``user`` administers the group ``chat`` (adapters cache this briefly)."""
        ...
