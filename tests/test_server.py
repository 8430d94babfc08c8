"""The bot's HTTP server: /healthz (database, channels, disk) and /metrics (Prometheus)."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bots.app import App
from bots.health import StorageDir, storage_dirs
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
                assert body == {
                    "status": "ok",
                    "database": True,
                    "channels": {"telegram": True},
                    "storage": True,
                    "reasons": [],
                }
            channel.up = False
            async with http.get(f"{base}/healthz") as response:
                assert response.status == 503
                body = await response.json()
                assert body["status"] == "degraded"
                assert body["reasons"] == ["telegram: not connected"]
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


async def _healthz(server: BotServer) -> tuple[int, dict[str, Any]]:
    await server.start()
    try:
        url = f"http://127.0.0.1:{server.port}/healthz"
        async with aiohttp.ClientSession() as http, http.get(url) as response:
            return response.status, await response.json()
    finally:
        await server.stop()


def _probes_left(folder: Path) -> list[Path]:
    return list(folder.glob(".healthz-probe-*"))


def _server(app: App, storage: list[StorageDir], min_free_mb: float) -> BotServer:
    return BotServer(
        "127.0.0.1",
        0,
        db=app.db,
        metrics=app.services.metrics,
        adapters=[FlakyChannel()],
        storage=storage,
        min_free_mb=min_free_mb,
    )


async def test_healthz_checks_the_disk_of_the_database_and_the_demo_shop(
    app: App, tmp_path: Path
) -> None:
    dirs = storage_dirs(app.config)
    assert {d.path for d in dirs} == {tmp_path}  # the database and the demo shop live there
    status, body = await _healthz(_server(app, dirs, 50))
    assert status == 200 and body["storage"] is True
    assert not _probes_left(tmp_path)  # the probe cleans up after itself
    # A threshold above the real free space: the disk is "full" for the bot.
    status, body = await _healthz(_server(app, dirs, 10**12))
    assert status == 503
    assert body["status"] == "degraded" and body["storage"] is False
    assert body["database"] is True  # SELECT 1 still answers: that is why this check exists
    [reason] = body["reasons"]
    assert "MB free in" in reason and "server.healthz_min_free_mb = 1e+12" in reason
    assert reason.startswith(dirs[0].label)


async def test_healthz_reports_a_folder_that_refuses_writes(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "not-a-folder"  # a file where a folder should be: writes fail
    not_a_folder.write_text("x")
    status, body = await _healthz(_server(app, [StorageDir("database", not_a_folder)], 0))
    assert status == 503
    assert body["reasons"] == [f"database: cannot write in {not_a_folder}: Not a directory"]

    # Space reported free, yet the file system refuses the data (quota, reserved blocks).
    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    status, body = await _healthz(_server(app, [StorageDir("demo shop", tmp_path)], 0))
    assert status == 503
    assert body["reasons"] == [f"demo shop: cannot write in {tmp_path}: No space left on device"]
    assert not _probes_left(tmp_path)
