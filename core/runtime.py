"""Glue between adapters and the engine: handle an event, deliver its actions.

Adapters call :meth:`Runtime.process` for every inbound event; actions are delivered
through each platform's single outbound seam (:meth:`ChannelPort.send`). A failing send is
logged and does not stop the other actions or the adapter.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from core.engine import Engine
from core.model import Action, Event

log = logging.getLogger(__name__)


class Runtime:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def process(self, event: Event) -> list[Action]:
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
