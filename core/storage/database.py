"""The async database: engine set-up per backend, sessions, and migrations on start.

SQLite (the embedded default) runs in WAL mode with a busy timeout, and every transaction
starts with ``BEGIN IMMEDIATE`` so that two writers queue on the lock instead of failing
with "database is locked" half-way through a read-then-write transaction. PostgreSQL uses
asyncpg with a small pool; several bot processes may share it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import event, make_url, text
from sqlalchemy.engine import URL, Connection
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import StaticPool

from core.storage.event_transaction import EventAborted, EventTransaction
from core.storage.inline_sqlite import InlineConnection, inline_connector
from core.storage.sqlite_event import SqliteEventTransaction, SqliteStatements
from core.storage.types import json_dumps, json_loads

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Arbitrary constant: the PostgreSQL advisory lock that serialises concurrent migrators.
_MIGRATION_LOCK_ID = 7_130_001


def _prepare_sqlite_path(url: URL) -> None:
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def create_engine_for(
    url_text: str, *, busy_timeout_ms: int = 5000, echo: bool = False
) -> AsyncEngine:
    url = make_url(url_text)
    kwargs: dict[str, Any] = {
        "echo": echo,
        "json_serializer": json_dumps,
        "json_deserializer": json_loads,
    }
    if url.get_backend_name() == "sqlite":
        _prepare_sqlite_path(url)
        # Statements run inline on the event loop (see inline_sqlite for why and how a
        # locked database is still waited for without blocking the loop).
        kwargs["async_creator"] = inline_connector(url, busy_timeout_ms=busy_timeout_ms)
        if (url.database or ":memory:") == ":memory:":
            kwargs["poolclass"] = StaticPool
        engine = create_async_engine(url, **kwargs)
        _install_sqlite_pragmas(engine)
        return engine
    kwargs.update(pool_size=10, max_overflow=10, pool_pre_ping=True)
    return create_async_engine(url, **kwargs)


def _install_sqlite_pragmas(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver connection is opened in autocommit mode (isolation_level=None), so
        # SQLAlchemy, not the driver, decides when transactions begin (see _on_begin).
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        driver_connection = conn.connection.driver_connection
        assert isinstance(driver_connection, InlineConnection)
        driver_connection.begin_immediate_later()


_IN_TRANSACTION: ContextVar[bool] = ContextVar("in_database_transaction", default=False)


@contextmanager
def _inside_transaction() -> Iterator[None]:
    token = _IN_TRANSACTION.set(True)
    try:
        yield
    finally:
        _IN_TRANSACTION.reset(token)


class KeptConnection:
    """One connection kept open between transactions that take turns on ``lock``.

    For SQLite, which has one writer at a time anyway: checking a connection out of the pool
    per transaction cost more than a bot event's statements, and closing one through
    SQLAlchemy's async context manager runs the close in a task of its own, yielding to the
    event loop (mid-event, while other events wait for the lock).
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.lock = asyncio.Lock()
        self._connection: AsyncConnection | None = None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        async with self.lock:
            conn = await self._open()
            try:
                async with conn.begin():
                    yield conn
            except BaseException:
                await self._discard(conn)
                raise

    @asynccontextmanager
    async def event(self, statements: SqliteStatements) -> AsyncIterator[SqliteEventTransaction]:
        """An event's transaction with its statements run on the driver (``sqlite_event``)."""
        async with self.lock:
            conn = await self._open()
            store = SqliteEventTransaction(conn, _inline_driver(conn), statements)
            try:
                await store.begin()
                yield store
                await store.commit()
            except EventAborted:
                try:
                    await store.rollback()  # a clean stop: the connection stays good
                except Exception:
                    await self._discard(conn)
                raise
            except BaseException:
                await self._discard(conn)
                raise

    async def _open(self) -> AsyncConnection:
        conn = self._connection
        if conn is None or conn.closed or conn.invalidated:
            conn = self._connection = await self.engine.connect()
        return conn

    async def _discard(self, conn: AsyncConnection) -> None:
        """After a failure: a failed COMMIT leaves SQLite inside the transaction (still
        holding the write lock) while SQLAlchemy considers it over, so the next transaction
        starts on a fresh connection; returning this one to the pool rolls it back."""
        self._connection = None
        await _close_quietly(conn)

    async def close(self) -> None:
        async with self.lock:
            if self._connection is not None:
                await self._connection.close()
                self._connection = None


def _inline_driver(conn: AsyncConnection) -> InlineConnection:
    sync_connection = conn.sync_connection
    driver = sync_connection.connection.driver_connection if sync_connection else None
    if not isinstance(driver, InlineConnection):  # pragma: no cover - set up in this module
        raise TypeError(f"expected the inline SQLite driver, got {type(driver).__name__}")
    return driver


async def _close_quietly(conn: AsyncConnection) -> None:
    try:
        await conn.close()
    except Exception:
        log.warning("could not close a failed database connection", exc_info=True)


class Database:
    """Owns the engine and the session factory; ``migrate()`` brings the schema to head."""

    def __init__(self, url: str, *, busy_timeout_ms: int = 5000, echo: bool = False) -> None:
        self.url = url
        self.engine = create_engine_for(url, busy_timeout_ms=busy_timeout_ms, echo=echo)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite: this process's writer, kept open; ORM transactions take turns with it.
        self._writer = KeptConnection(self.engine) if self.dialect == "sqlite" else None
        self._sqlite_statements = (
            SqliteStatements(self.engine.dialect) if self._writer is not None else None
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @staticmethod
    def holds_a_transaction() -> bool:
        """Whether the calling task is inside one of this module's transactions (an event's,
        `transaction` or `connection`): for checks that nothing slow, such as a shop call,
        runs inside one."""
        return _IN_TRANSACTION.get()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on error.

        On SQLite, transactions of this process take turns on an asyncio lock: SQLite allows
        one writer at a time anyway, and queueing here is far cheaper than SQLite's busy
        handler, which sleeps and polls (the busy timeout still covers other processes).
        """
        with _inside_transaction():
            if self._writer is None:
                async with self.sessionmaker() as session, session.begin():
                    yield session
                return
            async with self._writer.lock, self.sessionmaker() as session, session.begin():
                yield session

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        """A Core connection inside one transaction, with the same locking as `transaction`.

        For the engine's per-event statements, which skip the ORM (see `EventTransaction`
        for how handlers still get a session on it).
        """
        with _inside_transaction():
            if self._writer is None:
                async with self.engine.begin() as conn:
                    yield conn
                return
            async with self._writer.transaction() as conn:
                yield conn

    @asynccontextmanager
    async def event(self) -> AsyncIterator[EventTransaction]:
        """One inbound event's transaction (see `EventTransaction`), committed on success.

        On SQLite its statements run straight on the driver (``sqlite_event``), taking turns
        with the other transactions of this process like `transaction` does.
        """
        with _inside_transaction():
            if self._writer is None or self._sqlite_statements is None:
                async with self.engine.begin() as conn:
                    yield EventTransaction(conn)
                return
            async with self._writer.event(self._sqlite_statements) as store:
                yield store

    async def migrate(self) -> None:
        """Apply every pending Alembic migration (idempotent, safe with several processes)."""
        async with self.engine.connect() as conn:
            await conn.run_sync(self._upgrade)
            await conn.commit()

    def _upgrade(self, connection: Connection) -> None:
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID}
            )
        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:  # any driver error means "not healthy"
            log.warning("database ping failed", exc_info=True)
            return False
        return True

    async def close(self) -> None:
        if self._writer is not None:
            await self._writer.close()
        await self.engine.dispose()
