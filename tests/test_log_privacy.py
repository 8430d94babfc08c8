"""A full scenario at DEBUG level: the log output (through our formatters) holds no secret,
no full card key and no buyer's full phone number."""

from __future__ import annotations

import io
import logging

import pytest

from adapters.shop.demo_data import DEMO_CARD_KEYS, DEMO_ORDER_NOS
from bots.app import App
from core.logs import JsonFormatter, MaskingFormatter
from core.model import User
from tests.helpers import GROUP, RecordingChannel, event

PHONE = "13912345678"
SECRET_TOKEN = "7000001:AAH-super-secret-token"


@pytest.mark.parametrize("formatter", [MaskingFormatter("%(name)s %(message)s"), JsonFormatter()])
async def test_scenario_logs_hold_no_secrets(
    app: App, formatter: logging.Formatter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", SECRET_TOKEN)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        app.services.channels["telegram"] = RecordingChannel()
        key = DEMO_CARD_KEYS["used"]
        script = [
            "售后在哪",
            f"/card {key}",
            f"我的卡密 {key} 用不了,电话 {PHONE}",
            "/complain",
            "1",
            DEMO_ORDER_NOS["delivered_card_used"],
            "昨天下午3点",
            f"提示卡密 {key} 已被使用,回电 {PHONE}",
            "跳过",
            "确认",
            f"/verify {PHONE}",
        ]
        for text in script:
            await app.engine.handle(event(text))
        await app.engine.handle(event(f"谁要卡密 {key} 加我 {PHONE}", chat=GROUP))
        await app.outbox.run_once()

        # A handler failure logs a traceback: that must be masked too.
        async def broken(ctx: object) -> None:
            raise ValueError(f"bad key {key} for {PHONE}")

        app.engine.router.command("boom", broken)  # type: ignore[arg-type]
        await app.engine.handle(event("/boom", user=User(platform="telegram", id="9")))
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
    output = stream.getvalue()
    assert "bad key K3VD****9C for 139****5678" in output  # the traceback was logged, masked
    assert SECRET_TOKEN not in output
    assert key not in output and key.replace("-", "") not in output
    assert PHONE not in output
