"""``python -m bots run``: every enabled channel, the HTTP server and the background work,
until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import signal
from collections.abc import Callable

from adapters.base import ChannelAdapter
from bots.app import App, build_app
from bots.background import run_background
from bots.health import storage_dirs
from bots.server import BotServer
from core.config import Config, ConfigError
from core.runtime import Runtime

log = logging.getLogger(__name__)


# Adapters are imported only when enabled, so a deployment loads just the SDKs it uses.
_ADAPTER_MODULES = {
    "telegram": "adapters.telegram",
    "discord": "adapters.discord",
    "feishu": "adapters.feishu",
}


def _load_factory(platform: str) -> Callable[[Config, Runtime], ChannelAdapter]:
    try:
        module = importlib.import_module(_ADAPTER_MODULES[platform])
    except ModuleNotFoundError as exc:
        if exc.name != _ADAPTER_MODULES[platform]:
            raise
        raise ConfigError(
            f"Config key `{platform}.enabled` is true, but the {platform} adapter is not part of "
            f"this version yet. Fix: set {platform}.enabled = false."
        ) from None
    factory: Callable[[Config, Runtime], ChannelAdapter] = getattr(
        module, f"create_{platform}_adapter"
    )
    return factory


def create_adapters(app: App) -> list[ChannelAdapter]:
    """The adapters enabled in the config; their secrets are read (and checked) here."""
    config = app.config
    enabled = [name for name in _ADAPTER_MODULES if getattr(config, name).enabled]
    if not enabled:
        raise ConfigError(
            "No channel is enabled. Fix: set enabled = true in [telegram], [discord] or [feishu] "
            "(with its secrets in the environment), or try the console: python -m bots chat"
        )
    return [_load_factory(name)(config, app.runtime) for name in enabled]


async def run(config: Config, *, stop: asyncio.Event | None = None) -> int:
    app = await build_app(config)
    if not config.moderation.communities:
        log.warning(
            "moderation.communities is empty: no group admin is a moderator anywhere (only "
            "moderation.moderators); list your community groups to let their admins /flag"
        )
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not the main thread
            loop.add_signal_handler(sig, stop.set)
    adapters: list[ChannelAdapter] = []
    server: BotServer | None = None
    try:
        adapters = create_adapters(app)
        for adapter in adapters:
            app.services.channels[adapter.platform] = adapter
        server = BotServer(
            config.server.host,
            config.server.port,
            db=app.db,
            metrics=app.services.metrics,
            adapters=adapters,
            storage=storage_dirs(config),
            min_free_mb=config.server.healthz_min_free_mb,
        )
        await server.start()
        for adapter in adapters:
            await adapter.start()
            log.info("%s channel started", adapter.platform)
        background = asyncio.create_task(run_background(app, stop))
        await stop.wait()
        log.info("stopping")
        await background
    finally:
        for adapter in reversed(adapters):
            try:
                await adapter.stop()
            except Exception:
                log.exception("stopping the %s channel failed", adapter.platform)
        if server is not None:
            await server.stop()
        await app.close()
    return 0
