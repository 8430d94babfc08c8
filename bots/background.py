"""Background work every running bot does: deliver the outbox, send saved replies left
unsent (a crash between an event's commit and its sends), close idle flows, run the
SLA clock, and delete working records past their retention (hourly). Each loop logs its own
errors and keeps going."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence

from bots.app import App
from core.model import Action
from core.retention import prune
from core.staff.sla import escalate_breached
from core.sweeper import close_idle_flows

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[Sequence[Action]]]


async def every(name: str, job: Job, app: App, stop: asyncio.Event, *, interval: float) -> None:
    """Run ``job`` every ``interval`` seconds until ``stop``; deliver what it returns."""
    while not stop.is_set():
        try:
            await app.runtime.deliver(await job())
        except Exception:
            log.exception("%s failed; retrying in %.0fs", name, interval)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)


async def run_background(app: App, stop: asyncio.Event, *, interval: float = 30.0) -> None:
    """Runs until ``stop`` is set."""
    await asyncio.gather(
        app.outbox.run_forever(stop),
        app.replies.run_forever(stop),
        every(
            "closing idle flows",
            lambda: close_idle_flows(app.services),
            app,
            stop,
            interval=interval,
        ),
        every("SLA clock", lambda: escalate_breached(app.services), app, stop, interval=interval),
        every("retention", lambda: _retention(app), app, stop, interval=RETENTION_INTERVAL),
    )


RETENTION_INTERVAL = 3600.0


async def _retention(app: App) -> Sequence[Action]:
    await prune(app.db, app.config.retention, app.services.clock.now())
    return ()
