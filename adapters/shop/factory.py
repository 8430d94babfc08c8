"""Builds the configured shop backend (``[shop] backend = "demo" | "http"``)."""

from __future__ import annotations

from pathlib import Path

from adapters.shop.demo import DemoShop
from adapters.shop.http import HttpShop
from core.clock import Clock
from core.config import ConfigError, ShopConfig, secret
from core.shop import ShopPort

DEMO_DB_NAME = "demo_shop.db"


def create_shop(config: ShopConfig, *, data_dir: Path, clock: Clock | None = None) -> ShopPort:
    """The shop backend named by ``config.backend``.

    ``demo``: the embedded demo shop in ``data_dir / "demo_shop.db"`` (created and seeded on
    first use). ``http``: the shop API at ``shop.base_url``, with the API key and HMAC secret
    read from the environment variables named by ``shop.api_key_env`` and
    ``shop.hmac_secret_env``. Raises :class:`ConfigError` when something is missing.
    """
    if config.backend == "demo":
        return DemoShop(Path(data_dir) / DEMO_DB_NAME, clock=clock)
    if config.backend == "http":
        if not config.base_url.strip():
            raise ConfigError(
                'Config key `shop.base_url` is empty but `shop.backend` is "http". Fix: set '
                'shop.base_url to the shop API root (e.g. "https://shop.example.com/api/v1"), '
                'or use backend = "demo".'
            )
        api_key = secret(config.api_key_env, key="shop.api_key_env")
        hmac_secret = secret(config.hmac_secret_env, key="shop.hmac_secret_env")
        try:
            return HttpShop(
                config.base_url,
                api_key=api_key,
                hmac_secret=hmac_secret,
                timeout_seconds=config.timeout_seconds,
            )
        except ValueError as exc:
            raise ConfigError(
                f"Config key `shop.base_url` is invalid: {exc}. Fix: write an http(s) URL "
                'such as "https://shop.example.com/api/v1".'
            ) from None
    raise ConfigError(  # pragma: no cover - the config schema allows only the two above
        f'Config key `shop.backend` is {config.backend!r}. Fix: use "demo" or "http".'
    )
