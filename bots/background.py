"""Background work every running bot does: deliver the outbox, close idle flows."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bots.app import App
from core.sweeper import close_idle_flows

log = logging.getLogger(__name__)


async def sweep_forever(app: App, stop: asyncio.Event, *, interval: float = 30.0) -> None:
    while not stop.is_set():
        try:
            await app.runtime.deliver(await close_idle_flows(app.services))
        except Exception:
            log.exception("closing idle flows failed; retrying in %.0fs", interval)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)


async def run_background(app: App, stop: asyncio.Event) -> None:
    """Runs until ``stop`` is set; each loop logs its own errors and keeps going."""
    await asyncio.gather(app.outbox.run_forever(stop), sweep_forever(app, stop))
