"""Glue between adapters and the engine: handle an event, deliver its actions.

Adapters call :meth:`Runtime.process` for every inbound event; actions are delivered
through each platform's single outbound seam (:meth:`ChannelPort.send`). A failing send is
logged and does not stop the other actions or the adapter. One user's events are handled
and answered in order: the per-user lock covers delivery too, so two quick messages never
get their answers swapped.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Sequence

from core.engine import Engine
from core.model import Action, Event

log = logging.getLogger(__name__)


class Runtime:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._user_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    def _lock_for(self, user_key: str) -> asyncio.Lock:
        lock = self._user_locks.get(user_key)
        if lock is None:
            lock = asyncio.Lock()
            self._user_locks[user_key] = lock
        return lock

    async def process(self, event: Event) -> list[Action]:
        async with self._lock_for(event.user.key):
            actions = await self.engine.handle(event)
            await self.deliver(actions)
        return actions

    async def deliver(self, actions: Sequence[Action]) -> None:
        for action in actions:
            channel = self.engine.services.channels.get(action.platform)
            if channel is None:
                log.error(
                    "no channel for platform %r; dropped %s", action.platform, type(action).__name__
                )
                continue
            try:
                await channel.send(action)
            except Exception:
                log.exception("sending %s on %s failed", type(action).__name__, action.platform)
