"""One event's database work: a Core connection in a transaction, plus an ORM session on
that same connection that is opened only when a handler asks for one.

Most events (group chatter, flow steps) need no ORM at all: the engine claims the event and
loads and saves the conversation with Core statements. Opening a session costs more than
those statements, so it waits until a handler touches `session`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import CursorResult, Executable
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession


class EventTransaction:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        """An ORM session joined to the event's transaction (its commit is the event's)."""
        if self._session is None:
            self._session = AsyncSession(bind=self.connection, expire_on_commit=False)
        return self._session

    async def execute(
        self, statement: Executable, params: Mapping[str, Any] | None = None
    ) -> CursorResult[Any]:
        """Run a Core statement in the event's transaction, after flushing the session (so
        it sees what handlers changed through the ORM). For hot paths: a prebuilt Core
        statement costs a fraction of an ORM query."""
        await self.flush()
        return await self.connection.execute(statement, params)

    async def flush(self) -> None:
        """Write what handlers added or changed through the session, if one was opened."""
        if self._session is not None:
            await self._session.flush()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
