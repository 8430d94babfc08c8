"""Glue between adapters and the engine: handle an event, deliver its actions.

Adapters call :meth:`Runtime.process` for every inbound event. The engine commits the event
with its actions saved in the reply outbox (``core.replies``); only then, outside any
transaction, are they sent through each platform's single outbound seam
(:meth:`ChannelPort.send`) and marked sent. A failing send is logged and does not stop the
other actions or the adapter; the reply stays unsent and the sweeper retries it. One user's
events are handled and answered in order: the per-user lock covers delivery too, so two
quick messages never get their answers swapped.

:class:`core.engine.EventNotRecorded` (the database could not take the event) goes up to the
adapter, which leaves the event to the platform's redelivery.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable, Sequence

from core.engine import Engine
from core.faults import kill_point
from core.model import Action, Event
from core.replies import Pending, mark_sent

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

    async def process(
        self, event: Event, *, recorded: Callable[[], None] | None = None
    ) -> list[Action]:
        """Handle ``event`` and send its actions; ``recorded`` is called once the event is
        committed (before sending), for adapters that acknowledge the platform then."""
        async with self._lock_for(event.user.key):
            pending = await self.engine.record(event)
            if recorded is not None:
                recorded()
            actions = [item.action for item in pending]
            kill_point("after_commit", actions)
            await self.deliver_saved(pending)
        return actions

    async def deliver_saved(self, pending: Sequence[Pending]) -> None:
        """Send saved replies, then mark the ones that went out (never inside a transaction)."""
        sent = [item.id for item in pending if await self._send(item.action)]
        kill_point("after_send", [item.action for item in pending])
        if not sent:
            return
        try:
            await mark_sent(self.engine.services.db, sent, self.engine.services.clock.now())
        except Exception:  # the sweeper will send them again: at least once, not lost
            log.exception("could not mark %d sent replies; they may be sent again", len(sent))

    async def deliver(self, actions: Sequence[Action]) -> None:
        """Send actions that were not saved (background jobs' notices)."""
        for action in actions:
            await self._send(action)

    async def _send(self, action: Action) -> bool:
        channel = self.engine.services.channels.get(action.platform)
        if channel is None:
            log.error(
                "no channel for platform %r; not sent: %s", action.platform, type(action).__name__
            )
            return False
        try:
            await channel.send(action)
        except Exception:
            log.exception("sending %s on %s failed", type(action).__name__, action.platform)
            return False
        return True
