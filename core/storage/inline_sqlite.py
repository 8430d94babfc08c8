"""SQLite for SQLAlchemy's asyncio API, executed inline on the event loop thread.

SQLAlchemy's ``sqlite+aiosqlite`` dialect normally drives ``aiosqlite``, which runs every
call (cursor, execute, fetch, close, commit) on a worker thread and hands the result back
through the event loop: about 17 thread round trips per bot event, measured at ~70% of the
engine's time per event (``bench/``, profile in the README). SQLite itself answers these
statements in microseconds from its page cache, so this module gives the dialect an
object with aiosqlite's interface that runs them directly instead.

Every transaction is a write transaction (``BEGIN IMMEDIATE``, issued just before its
first statement), so two writers queue for the lock instead of failing half-way through
a read-then-write transaction. The one SQLite call that can wait long is acquiring that lock
while another *process* holds it. The C busy handler is switched off here and a locked
database is retried with ``asyncio.sleep`` until the configured busy timeout, so a busy
database never blocks the event loop. Within one process, transactions already queue on an
asyncio lock (see :class:`core.storage.database.Database`).
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy.engine import URL

T = TypeVar("T")

_FIRST_PAUSE_S = 0.001
_MAX_PAUSE_S = 0.05


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text


class _BusyWaiter:
    """Retries a call that found the database locked, sleeping without blocking the loop."""

    def __init__(self, busy_timeout_s: float) -> None:
        self.busy_timeout_s = busy_timeout_s

    async def run(self, call: Callable[..., T], *args: Any) -> T:
        deadline: float | None = None
        pause = _FIRST_PAUSE_S
        while True:
            try:
                return call(*args)
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise
                now = time.monotonic()
                deadline = deadline if deadline is not None else now + self.busy_timeout_s
                if now >= deadline:
                    raise
                await asyncio.sleep(min(pause, deadline - now))
                pause = min(pause * 2, _MAX_PAUSE_S)


class InlineCursor:
    """The parts of ``aiosqlite.Cursor`` SQLAlchemy's adapter uses."""

    def __init__(self, cursor: sqlite3.Cursor, owner: InlineConnection) -> None:
        self._cursor = cursor
        self._owner = owner
        self._waiter = owner.waiter

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._cursor.close()

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> InlineCursor:
        await self._owner.begin_if_pending()
        await self._waiter.run(self._cursor.execute, sql, () if parameters is None else parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> InlineCursor:
        await self._owner.begin_if_pending()
        await self._waiter.run(self._cursor.executemany, sql, list(parameters))
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


class InlineConnection:
    """The parts of ``aiosqlite.Connection`` SQLAlchemy's adapter uses, run inline."""

    def __init__(self, connection: sqlite3.Connection, busy_timeout_s: float) -> None:
        # ``_connection`` is the attribute SQLAlchemy's adapter checks before commit/rollback.
        self._connection: sqlite3.Connection | None = connection
        self.waiter = _BusyWaiter(busy_timeout_s)
        self._begin_pending = False

    def begin_immediate_later(self) -> None:
        """Open a write transaction (``BEGIN IMMEDIATE``) just before the next statement.

        Called from SQLAlchemy's synchronous "begin" event, where waiting for a busy
        database is not possible; a transaction that runs no statement takes no lock.
        """
        self._begin_pending = True

    async def begin_if_pending(self) -> None:
        if self._begin_pending:
            self._begin_pending = False
            await self.begin_immediate()

    async def begin_immediate(self) -> None:
        """Take the write lock now, unless already in a transaction (which SQLAlchemy then
        joins: see ``sqlite_event``)."""
        if not self._conn.in_transaction:
            await self.waiter.run(self._conn.execute, "BEGIN IMMEDIATE")

    @property
    def sqlite(self) -> sqlite3.Connection:
        """The ``sqlite3`` connection, for statements run without SQLAlchemy."""
        return self._conn

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._connection is None:
            raise ValueError("no active connection")
        return self._connection

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def cursor(self) -> InlineCursor:
        return InlineCursor(self._conn.cursor(), self)

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> InlineCursor:
        return await self.cursor().execute(sql, parameters)

    async def commit(self) -> None:
        self._begin_pending = False
        await self.waiter.run(self._conn.commit)

    async def rollback(self) -> None:
        self._begin_pending = False
        self._conn.rollback()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        """Forced close (SQLAlchemy's ``terminate``); nothing runs elsewhere to stop."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def inline_connector(url: URL, *, busy_timeout_ms: int) -> Callable[[], Any]:
    """An ``async_creator`` for ``create_async_engine`` opening ``url``'s SQLite file."""
    database = url.database or ":memory:"
    use_uri = database.startswith("file:") or str(url.query.get("uri", "")).lower() == "true"
    busy_timeout_s = busy_timeout_ms / 1000

    async def connect() -> InlineConnection:
        # timeout=0: the C busy handler would sleep on the loop thread; _BusyWaiter waits.
        connection = sqlite3.connect(
            database, timeout=0, isolation_level=None, uri=use_uri, check_same_thread=False
        )
        return InlineConnection(connection, busy_timeout_s)

    return connect
