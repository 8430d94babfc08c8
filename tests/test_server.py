"""The bot's HTTP server: /healthz (database and channels) and /metrics (Prometheus)."""

from __future__ import annotations

import aiohttp

from bots.app import App
from bots.server import BotServer
from tests.helpers import RecordingChannel, event


class FlakyChannel(RecordingChannel):
    def __init__(self) -> None:
        super().__init__()
        self.up = True

    def add_routes(self, app: object) -> None:
        return None

    def healthy(self) -> bool:
        return self.up

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


async def test_healthz_and_metrics(app: App) -> None:
    channel = FlakyChannel()
    server = BotServer("127.0.0.1", 0, db=app.db, metrics=app.services.metrics, adapters=[channel])
    await server.start()
    try:
        for text in (
            "售后在哪",
            "卡密怎么兑换",
            "/complain",
            "1",
            "DD2026112000002",
            "刚才",
            "卡密已被使用",
            "跳过",
            "确认",
        ):
            await app.engine.handle(event(text))
        await app.engine.handle(event("售后在哪", event_id="dup"))
        await app.engine.handle(event("售后在哪", event_id="dup"))
        base = f"http://127.0.0.1:{server.port}"
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/healthz") as response:
                assert response.status == 200
                body = await response.json()
                assert body == {"status": "ok", "database": True, "channels": {"telegram": True}}
            channel.up = False
            async with http.get(f"{base}/healthz") as response:
                assert response.status == 503 and (await response.json())["status"] == "degraded"
            async with http.get(f"{base}/metrics") as response:
                assert response.status == 200
                assert response.headers["Content-Type"].startswith("text/plain")
                metrics = await response.text()
    finally:
        await server.stop()
    assert 'kameng_events_total{kind="message",platform="telegram"}' in metrics
    assert 'kameng_duplicate_events_total{platform="telegram"} 1.0' in metrics
    assert 'kameng_faq_answers_total{intent="card_usage"} 1.0' in metrics
    assert 'kameng_tickets{status="open"} 1.0' in metrics
    assert "kameng_outbox_depth 1.0" in metrics
