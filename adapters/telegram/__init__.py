"""Telegram channel (python-telegram-bot 22): long polling or webhook, inline keyboards,
deep links from groups to the private chat, moderation through the Bot API.

``create_telegram_adapter`` reads the secrets named in ``[telegram]`` from the environment
and checks the settings, raising :class:`core.config.ConfigError` with the key and the fix.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from adapters.telegram.adapter import ALLOWED_UPDATES, TelegramAdapter, TelegramSettings
from core.config import Config, ConfigError, secret
from core.runtime import Runtime

__all__ = ["ALLOWED_UPDATES", "TelegramAdapter", "TelegramSettings", "create_telegram_adapter"]

# What Telegram accepts as a webhook secret token.
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def settings_from_config(config: Config) -> TelegramSettings:
    section = config.telegram
    token = secret(section.token_env, key="telegram.token_env")
    base_url = section.base_url.strip()
    if base_url and urlsplit(base_url).scheme not in ("http", "https"):
        raise ConfigError(
            f"Config key `telegram.base_url` is {base_url!r}, which is not an http(s) URL. "
            "Fix: set it to your Bot API server or proxy root, e.g. "
            '"http://127.0.0.1:8081", or leave it empty for api.telegram.org.'
        )
    webhook_secret = ""
    if section.mode == "webhook":
        url = section.webhook_url.strip()
        if not url or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise ConfigError(
                "Config key `telegram.webhook_url` must be the public https URL Telegram posts "
                f'to when telegram.mode = "webhook" (it is {url!r}). Fix: set it, e.g. '
                '"https://bot.example.com/telegram/webhook", or use mode = "polling".'
            )
        webhook_secret = secret(section.webhook_secret_env, key="telegram.webhook_secret_env")
        if not _SECRET_TOKEN.match(webhook_secret):
            raise ConfigError(
                f"Config key `telegram.webhook_secret_env`: the value of "
                f"${section.webhook_secret_env} must be 1-256 characters of A-Z, a-z, 0-9, _ "
                "and - (Telegram's rule for secret tokens). Fix: e.g. export "
                f"{section.webhook_secret_env}=$(openssl rand -hex 32)."
            )
    return TelegramSettings(
        token=token,
        token_env=section.token_env,
        base_url=base_url,
        mode=section.mode,
        webhook_url=section.webhook_url.strip(),
        webhook_secret=webhook_secret,
        staff_chat_id=section.staff_chat_id.strip(),
    )


def create_telegram_adapter(config: Config, runtime: Runtime) -> TelegramAdapter:
    """The Telegram adapter for ``config``; secrets come from the environment."""
    return TelegramAdapter(settings_from_config(config), runtime)
