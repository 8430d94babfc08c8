"""A full scenario at DEBUG level: the log output (through our formatters) holds no secret,
no full card key and no buyer's full phone number."""

from __future__ import annotations

import contextlib
import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import aiohttp
import pytest

from adapters.feishu import create_feishu_adapter
from adapters.shop.demo_data import DEMO_CARD_KEYS, DEMO_ORDER_NOS
from adapters.telegram import create_telegram_adapter
from bots.app import App, build_app
from bots.server import BotServer
from core.logs import JsonFormatter, MaskingFormatter, forget_secrets, redact, register_secret
from core.model import User
from tests.conftest import make_config
from tests.fakes.feishu_api import APP_ID as FEISHU_APP_ID
from tests.fakes.feishu_api import APP_SECRET as FEISHU_APP_SECRET
from tests.fakes.feishu_api import ENCRYPT_KEY, VERIFICATION_TOKEN, FakeFeishuApi
from tests.fakes.shop_server import FakeShopServer
from tests.fakes.telegram_api import FakeTelegramApi, tg_user
from tests.feishu.callbacks import FeishuCallbacks, message_event
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


# -- secrets on the wire -----------------------------------------------------------------------

TG_TOKEN = "7000002:AAF3kq9ZxLr8vTn2WcYh5uPd0sJmGbE4oQi"
# Letters and "_" (allowed by Telegram): the card-key mask does not touch it.
TG_SECRET = "kameng_Webhook_Secret_ForLogs_zXqWvT"
DISCORD_TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAw.GhIjKl.fake-discord-token_for-logs"
SHOP_KEY = "shop-api-key-for-logs-7f3e"
SHOP_HMAC = "shop-hmac-secret-for-logs-c41d"
LIBRARY_LOGGERS = ("httpx", "httpcore", "telegram", "telegram.ext", "aiohttp", "asyncio")


@contextlib.contextmanager
def capture_everything(formatter: logging.Formatter) -> Iterator[io.StringIO]:
    """Every record of every logger at DEBUG, through ``formatter``."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    saved = {name: logging.getLogger(name).level for name in LIBRARY_LOGGERS}
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in LIBRARY_LOGGERS:  # setup_logging quiets some of them; here all speak
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize("formatter", [MaskingFormatter("%(name)s %(message)s"), JsonFormatter()])
async def test_wire_scenario_at_debug_logs_no_configured_secret(
    formatter: logging.Formatter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Telegram in webhook mode (token and webhook secret), Feishu callbacks (app secret,
    encrypt key, verification token), the shop over HTTP (API key, HMAC secret) and a
    Discord token in the environment: every line at DEBUG, libraries included, is searched
    for each secret, raw, percent-encoded and JSON-escaped."""
    forget_secrets()
    secrets = {
        "KAMENG_LOG_TG_TOKEN": TG_TOKEN,
        "KAMENG_LOG_TG_SECRET": TG_SECRET,
        "KAMENG_LOG_DISCORD": DISCORD_TOKEN,
        "FEISHU_APP_ID": FEISHU_APP_ID,
        "FEISHU_APP_SECRET": FEISHU_APP_SECRET,
        "FEISHU_ENCRYPT_KEY": ENCRYPT_KEY,
        "FEISHU_VERIFICATION_TOKEN": VERIFICATION_TOKEN,
        "KAMENG_LOG_SHOP_KEY": SHOP_KEY,
        "KAMENG_LOG_SHOP_HMAC": SHOP_HMAC,
    }
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    with capture_everything(formatter) as stream:
        async with (
            FakeTelegramApi(TG_TOKEN) as telegram_api,
            FakeFeishuApi() as feishu_api,
            FakeShopServer(api_key=SHOP_KEY, hmac_secret=SHOP_HMAC) as shop,
        ):
            config = make_config(
                f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
                telegram={
                    "enabled": True,
                    "token_env": "KAMENG_LOG_TG_TOKEN",
                    "webhook_secret_env": "KAMENG_LOG_TG_SECRET",
                    "base_url": telegram_api.root_url,
                    "mode": "webhook",
                    "webhook_url": "https://bot.example.com/hooks/telegram",
                },
                discord={"token_env": "KAMENG_LOG_DISCORD"},
                feishu={"enabled": True, "api_base": feishu_api.base_url},
                shop={
                    "backend": "http",
                    "base_url": shop.base_url,
                    "api_key_env": "KAMENG_LOG_SHOP_KEY",
                    "hmac_secret_env": "KAMENG_LOG_SHOP_HMAC",
                },
                staff={"chats": []},
            )
            app = await build_app(config)
            telegram = create_telegram_adapter(config, app.runtime)
            feishu = create_feishu_adapter(config, app.runtime)
            app.services.channels.update(telegram=telegram, feishu=feishu)
            server = BotServer(
                "127.0.0.1", 0, db=app.db, metrics=app.services.metrics, adapters=[telegram, feishu]
            )
            await server.start()
            await telegram.start()
            await feishu.start()
            try:
                # Telegram: a forged and a genuine webhook call, an order looked up at the shop.
                hook = f"http://127.0.0.1:{server.port}/hooks/telegram"
                user = tg_user(777001, "Lin")
                chat = telegram_api.private_chat(user)
                async with aiohttp.ClientSession() as http:
                    for text, secret in (
                        ("/support", "forged"),
                        ("/order DD2026112000001", TG_SECRET),
                    ):
                        update = telegram_api.next_update(
                            {"message": telegram_api.message(user, chat, text)}
                        )
                        headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
                        async with http.post(hook, json=update, headers=headers):
                            pass
                await telegram_api.wait_for_text(user["id"], "DD2026112000001")
                # Feishu: a genuine callback, a forged one and a stale one.
                callbacks = FeishuCallbacks(f"http://127.0.0.1:{server.port}/feishu/events")
                try:
                    event = message_event("ou_log_user", {"text": "/support"})
                    assert (await callbacks.post(event))[0] == 200
                    await feishu.drain()
                    await callbacks.post(event, signature="0" * 64)
                    await callbacks.post(event, timestamp="1")
                finally:
                    await callbacks.close()
                # A failure whose text carries secrets (a library error quoting a URL).
                try:
                    raise RuntimeError(
                        f"GET https://api.telegram.org/bot{quote(TG_TOKEN, safe='')}/getMe "
                        f"failed; token={TG_TOKEN} secret={TG_SECRET} discord={DISCORD_TOKEN}"
                    )
                except RuntimeError:
                    logging.getLogger("tests.wire").exception("call failed with %s", SHOP_HMAC)
            finally:
                await feishu.stop()
                await telegram.stop()
                await server.stop()
                await app.close()
    output = stream.getvalue()
    forget_secrets()
    lines = output.splitlines()
    assert len(lines) > 50  # the libraries did log at DEBUG
    leaks = [
        (name, line)
        for line in lines
        for name, value in secrets.items()
        if name != "FEISHU_APP_ID"
        # Whole, in a URL, in JSON, or half-hidden by the card-key mask (its last 12 chars).
        for form in {value, quote(value, safe=""), json.dumps(value)[1:-1], value[-12:]}
        if form in line
    ]
    assert sorted({name for name, _ in leaks}) == [], leaks[:5]
    assert any("setWebhook" in line for line in lines)  # PTB logged the call with the secret
    assert any("bot[redacted]/" in line for line in lines)  # httpx logged a URL with the token


def test_redaction_leaves_short_values_and_other_text_alone() -> None:
    forget_secrets()
    try:
        register_secret("abc12")  # too short to redact safely
        register_secret("  s3cret-value_1  ")
        record = logging.LogRecord(
            "x", logging.INFO, __file__, 1, "abc12 s3cret-value_1 %s", ("s3cret-value_1",), None
        )
        text = MaskingFormatter("%(message)s").format(record)
        assert text == "abc12 [redacted] [redacted]"
        assert redact("url?t=s3cret-value_1&x=1") == "url?t=[redacted]&x=1"
    finally:
        forget_secrets()
