"""One event's database work, as the engine and the handlers see it.

The engine claims the event, loads the user's conversation and saves it; handlers run
prebuilt Core statements (`scalar`, `insert`) or use an ORM `session` joined to the same
transaction. This class does it all through SQLAlchemy (PostgreSQL);
``sqlite_event.SqliteEventTransaction`` runs the per-event statements straight on SQLite.

Most events (group chatter, flow steps) need no ORM at all. Opening a session costs more
than the engine's statements, so it waits until a handler touches `session`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Executable
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from core.conversation import Conversation
from core.model import User
from core.storage import repository


class EventAborted(BaseException):
    """Raised through an event's transaction to stop it cleanly, not as a failure: it is
    rolled back and the connection stays in use (see ``core.shopcalls``). A BaseException,
    so no ``except Exception`` mistakes it for an error."""


class EventTransaction:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self._session: AsyncSession | None = None

    # The engine's statements.

    async def claim_event(self, platform: str, event_id: str, now: datetime) -> bool:
        """Record the event's id; False when it was handled before (a redelivery)."""
        return await repository.claim_event(self.connection, platform, event_id, now)

    async def lock_conversation(self, user: User, now: datetime) -> tuple[Conversation, bool]:
        """The user's conversation, locked for this transaction, and whether it is new."""
        return await repository.lock_conversation(self.connection, user, now)

    async def save_conversation(self, conversation: Conversation) -> None:
        """Write what changed in the conversation (nothing when nothing did)."""
        await repository.save_conversation(self.connection, conversation)

    # For handlers.

    @property
    def session(self) -> AsyncSession:
        """An ORM session joined to the event's transaction (its commit is the event's)."""
        if self._session is None:
            self._session = AsyncSession(bind=self.connection, expire_on_commit=False)
        return self._session

    async def scalar(self, statement: Executable, params: Mapping[str, Any]) -> Any:
        """The first value of the first row of a prebuilt Core SELECT, or None.

        For hot paths: a prebuilt Core statement costs a fraction of an ORM query. Pending
        ORM changes are flushed first, so the statement sees them."""
        await self.flush()
        return (await self.connection.execute(statement, params)).scalar()

    async def insert(self, statement: Executable, params: Mapping[str, Any]) -> int:
        """Run a prebuilt Core INSERT of one row; its integer primary key."""
        await self.flush()
        key = (await self.connection.execute(statement, params)).inserted_primary_key
        if key is None or key[0] is None:  # pragma: no cover - every table has an int id
            raise ValueError("the insert reported no primary key")
        return int(key[0])

    async def run(self, statement: Executable, params: Mapping[str, Any]) -> int:
        """Run a prebuilt Core INSERT/UPDATE/DELETE; the number of rows it changed."""
        await self.flush()
        result = await self.connection.execute(statement, params)
        return int(result.rowcount)

    async def flush(self) -> None:
        """Write what handlers added or changed through the session, if one was opened."""
        if self._session is not None:
            await self._session.flush()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
