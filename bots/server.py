"""The bot's own aiohttp server: webhooks (Telegram, Feishu), /healthz and /metrics.

``/healthz`` is 200 ``{"status": "ok", …}`` when the database answers, every channel is
connected and the folders the bot writes to have space and accept a write
(:mod:`bots.health`); otherwise 503 ``"degraded"`` with readable ``reasons``.

``handler_cancellation=True`` so a stopped server does not wait on long-running requests.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from adapters.base import ChannelAdapter
from bots.health import StorageDir, storage_problems
from core.metrics import Metrics
from core.storage.database import Database

log = logging.getLogger(__name__)


class BotServer:
    def __init__(
        self,
        host: str,
        port: int,
        *,
        db: Database,
        metrics: Metrics,
        adapters: Sequence[ChannelAdapter],
        storage: Sequence[StorageDir] = (),
        min_free_mb: float = 50,
    ) -> None:
        self.metrics = metrics
        self.storage = storage
        self.min_free_mb = min_free_mb
        self.host = host
        self.port = port
        self.db = db
        self.adapters = adapters
        self.app = web.Application()
        self.app.router.add_get("/healthz", self._healthz)
        self.app.router.add_get("/metrics", self._metrics)
        for adapter in adapters:
            adapter.add_routes(self.app)
        self._runner: web.AppRunner | None = None

    async def _healthz(self, request: web.Request) -> web.Response:
        database = await self.db.ping()
        channels = {a.platform: a.healthy() for a in self.adapters}
        reasons = [] if database else ["database: does not answer"]
        reasons += [f"{name}: not connected" for name, up in channels.items() if not up]
        storage = await storage_problems(self.storage, self.min_free_mb)
        reasons += storage
        ok = not reasons
        body = {
            "status": "ok" if ok else "degraded",
            "database": database,
            "channels": channels,
            "storage": not storage,
            "reasons": reasons,
        }
        if storage:
            log.warning("healthz: %s", "; ".join(storage))
        return web.json_response(body, status=200 if ok else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        body = await self.metrics.render(self.db)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        if self.port == 0:  # an ephemeral port (tests): remember which one
            self.port = self._runner.addresses[0][1]
        log.info("HTTP server listening on %s:%d", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
