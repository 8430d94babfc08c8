"""Composition root: config → database → services → engine → runtime."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url

from adapters.shop.factory import create_shop
from core.binding import load_binder
from core.clock import Clock, SystemClock
from core.config import Config
from core.engine import Engine
from core.logs import register_secret
from core.masking import use_card_key_detector
from core.outbox import OutboxWorker
from core.replies import ReplyWorker
from core.retention import prune
from core.runtime import Runtime
from core.services import Services
from core.setup import build_router
from core.shopcalls import CircuitBreaker, GuardedShop
from core.storage.database import Database
from core.texts import Texts

log = logging.getLogger(__name__)


@dataclass
class App:
    config: Config
    db: Database
    services: Services
    engine: Engine
    runtime: Runtime
    outbox: OutboxWorker
    replies: ReplyWorker

    async def close(self) -> None:
        await self.services.shop.close()
        await self.db.close()


# Environment-named settings that identify rather than authenticate.
_NOT_SECRET = frozenset({"app_id_env"})


def register_secrets(config: Config, environ: Mapping[str, str] | None = None) -> int:
    """Have the log formatters redact every secret the config names (``*_env`` keys of the
    channel and shop sections), enabled or not, as soon as the configuration is known.

    Returns how many values were set (short ones are skipped by the registry itself).
    """
    env = os.environ if environ is None else environ
    found = 0
    for section in (config.telegram, config.discord, config.feishu, config.shop):
        for name, value in section:
            if name in _NOT_SECRET or not name.endswith("_env") or not isinstance(value, str):
                continue
            secret = env.get(value, "").strip() if value else ""
            if secret:
                register_secret(secret)
                found += 1
    password = make_url(config.database.url).password  # a PostgreSQL URL may carry one
    if password:
        register_secret(str(password))
        found += 1
    return found


def sqlite_folder(config: Config) -> Path | None:
    """The folder of the bot's SQLite database file (None on PostgreSQL or in memory)."""
    url = make_url(config.database.url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).expanduser().parent
    return None


def demo_data_dir(config: Config) -> Path:
    """Where the demo shop keeps its SQLite file."""
    if config.shop.demo_data_dir:
        return Path(config.shop.demo_data_dir)
    return sqlite_folder(config) or Path("data")


async def build_app(config: Config, *, clock: Clock | None = None) -> App:
    """Open the database (migrating it to the latest schema) and assemble the engine."""
    register_secrets(config)
    db = Database(
        config.database.url,
        busy_timeout_ms=config.database.busy_timeout_ms,
        echo=config.database.echo,
    )
    try:
        await db.migrate()
    except BaseException:
        await db.close()
        raise
    clock = clock or SystemClock()
    try:
        backend = create_shop(config.shop, data_dir=demo_data_dir(config), clock=clock)
        # Every shop call: outside event transactions, limited, with a deadline and breaker.
        shop = GuardedShop(
            backend,
            max_concurrent=config.shop.max_concurrent_calls,
            deadline_seconds=config.shop.call_deadline_seconds,
            breaker=CircuitBreaker(
                failures=config.shop.breaker_failures,
                reset_seconds=config.shop.breaker_reset_seconds,
            ),
        )
        await shop.open()
    except BaseException:
        await db.close()
        raise
    services = Services(
        config=config,
        db=db,
        texts=Texts(config.conversation.default_locale),
        shop=shop,
        clock=clock,
        binder=await load_binder(db),
    )
    # Logs and stored texts mask the shop's own key formats from now on.
    use_card_key_detector(services.card_keys)
    await prune(db, config.retention, services.clock.now())  # and hourly (bots/background)
    engine = Engine(services, build_router())
    return App(
        config=config,
        db=db,
        services=services,
        engine=engine,
        runtime=Runtime(engine),
        outbox=OutboxWorker(db, shop, clock, metrics=services.metrics),
        replies=ReplyWorker(db, services.channels, clock),
    )
