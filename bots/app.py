"""Composition root: config → database → services → engine → runtime."""

from __future__ import annotations

from dataclasses import dataclass

from core.clock import Clock, SystemClock
from core.config import Config
from core.engine import Engine
from core.runtime import Runtime
from core.services import Services
from core.setup import build_router
from core.storage.database import Database
from core.texts import Texts


@dataclass
class App:
    config: Config
    db: Database
    services: Services
    engine: Engine
    runtime: Runtime

    async def close(self) -> None:
        await self.db.close()


async def build_app(config: Config, *, clock: Clock | None = None) -> App:
    """Open the database (migrating it to the latest schema) and assemble the engine."""
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
    services = Services(
        config=config,
        db=db,
        texts=Texts(config.conversation.default_locale),
        clock=clock or SystemClock(),
    )
    engine = Engine(services, build_router())
    return App(config=config, db=db, services=services, engine=engine, runtime=Runtime(engine))
