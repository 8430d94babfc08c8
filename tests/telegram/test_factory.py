"""Building the adapter from config: secrets from the environment, clear ConfigErrors, the
Bot API root for a self-hosted server or proxy, and a token Telegram rejects."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from adapters.telegram import TelegramAdapter, settings_from_config
from adapters.telegram.adapter import api_urls
from bots.app import App
from core.config import Config, ConfigError
from tests.conftest import make_config
from tests.telegram.conftest import SECRET, SECRET_ENV, TOKEN, TOKEN_ENV


def config(**telegram: Any) -> Config:
    section = {"enabled": True, "token_env": TOKEN_ENV, "webhook_secret_env": SECRET_ENV}
    return make_config("sqlite+aiosqlite:///unused.db", telegram={**section, **telegram})


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    monkeypatch.setenv(SECRET_ENV, SECRET)
    return monkeypatch


def test_polling_settings_come_from_config_and_environment(env: pytest.MonkeyPatch) -> None:
    settings = settings_from_config(config(base_url="http://127.0.0.1:8081/", staff_chat_id="-1"))
    assert settings.token == TOKEN and settings.mode == "polling" and settings.webhook_secret == ""
    assert api_urls(settings.base_url) == (
        "http://127.0.0.1:8081/bot",
        "http://127.0.0.1:8081/file/bot",
    )
    assert api_urls("") == ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot")
    assert api_urls("https://proxy.example/tg/bot")[0] == "https://proxy.example/tg/bot"


def test_webhook_settings(env: pytest.MonkeyPatch) -> None:
    settings = settings_from_config(config(mode="webhook", webhook_url="https://b.example/x/y"))
    assert settings.webhook_secret == SECRET and settings.webhook_path == "/x/y"
    bare = settings_from_config(config(mode="webhook", webhook_url="https://b.example"))
    assert bare.webhook_path == "/telegram/webhook"


@pytest.mark.parametrize(
    ("unset", "telegram", "key"),
    [
        (TOKEN_ENV, {}, "telegram.token_env"),
        (None, {"mode": "webhook"}, "telegram.webhook_url"),
        (None, {"mode": "webhook", "webhook_url": "bot.example.com/hook"}, "telegram.webhook_url"),
        (SECRET_ENV, {"mode": "webhook", "webhook_url": "https://b.example/h"}, "webhook_secret"),
        (None, {"base_url": "127.0.0.1:8081"}, "telegram.base_url"),
    ],
)
def test_config_errors_name_the_key(
    env: pytest.MonkeyPatch, unset: str | None, telegram: dict[str, str], key: str
) -> None:
    if unset:
        env.delenv(unset)
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")) as error:
        settings_from_config(config(**telegram))
    assert "Fix" in str(error.value) and TOKEN not in str(error.value)


def test_a_webhook_secret_telegram_would_refuse_is_a_config_error(
    env: pytest.MonkeyPatch,
) -> None:
    env.setenv(SECRET_ENV, "has spaces and ümlauts")
    with pytest.raises(ConfigError, match="1-256 characters"):
        settings_from_config(config(mode="webhook", webhook_url="https://b.example/h"))


async def test_a_rejected_token_stops_start_with_a_config_error(
    make_bot: Callable[..., Awaitable[tuple[App, TelegramAdapter]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(TOKEN_ENV, "7000001:not-the-right-token")
    app, adapter = await make_bot()
    try:
        with pytest.raises(ConfigError, match="rejected the bot token"):
            await adapter.start()
        assert not adapter.healthy()
    finally:
        await adapter.stop()
        await app.close()
