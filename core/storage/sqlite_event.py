"""One event's transaction on SQLite: the per-event statements run straight on ``sqlite3``.

Every event claims its id and loads (and usually saves) the user's conversation; many also
run a prebuilt handler statement or two (the FAQ log, the lookup limit, the "ticket awaits
your answer" check, the open-ticket count, a new ticket with its history and outbox rows).
Inside a busy Telegram bot these cost several times more through SQLAlchemy's asyncio layer
than in SQLite (bench/telegram_breakdown.py), so here they run on the driver connection,
compiled once (``sqlite_compiled``). SQLAlchemy joins the same
transaction only when a handler asks for the ORM session: the connection's transaction is
begun then (no statement is sent: SQLite is already inside ``BEGIN IMMEDIATE``), and the
event's commit or rollback then goes through SQLAlchemy so both sides agree it is over.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Executable, Insert
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from core.conversation import Conversation
from core.model import User
from core.storage import repository
from core.storage.event_transaction import EventTransaction
from core.storage.inline_sqlite import InlineConnection
from core.storage.sqlite_compiled import CompiledStatement


class SqliteStatements:
    """The engine's statements and handlers' prebuilt ones, compiled on first use."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.claim = CompiledStatement(
            repository.CLAIM_EVENT["sqlite"], dialect, ("platform", "event_id", "processed_at")
        )
        self.lock = CompiledStatement(repository.LOCK_CONVERSATION, dialect)
        self._compiled: dict[tuple[Any, ...], CompiledStatement] = {}

    def new_conversation(self, values: Mapping[str, Any]) -> CompiledStatement:
        return self.get(repository.NEW_CONVERSATION["sqlite"], values)

    def save(self, columns: frozenset[str]) -> CompiledStatement:
        # save_statement builds one UPDATE per column set, so `get` caches it by identity.
        return self.get(repository.save_statement(columns), {})

    def get(self, statement: Executable, params: Mapping[str, Any]) -> CompiledStatement:
        """``statement`` compiled for these parameter names (an INSERT's columns)."""
        key = (statement, *params)
        compiled = self._compiled.get(key)
        if compiled is None:
            columns = [*params] if isinstance(statement, Insert) else []
            compiled = self._compiled[key] = CompiledStatement(statement, self.dialect, columns)
        return compiled


class SqliteEventTransaction(EventTransaction):
    """Runs inside the caller's ``BEGIN IMMEDIATE`` (see `begin`), on the kept connection."""

    def __init__(
        self, connection: AsyncConnection, driver: InlineConnection, statements: SqliteStatements
    ) -> None:
        super().__init__(connection)
        self.driver = driver
        self.statements = statements

    async def begin(self) -> None:
        await self.driver.begin_immediate()

    async def commit(self) -> None:
        if self.connection.in_transaction():  # SQLAlchemy joined: let it commit
            await self.connection.commit()
        else:
            await self.driver.commit()

    async def rollback(self) -> None:
        if self.connection.in_transaction():
            await self.connection.rollback()
        else:
            await self.driver.rollback()

    async def claim_event(self, platform: str, event_id: str, now: datetime) -> bool:
        params = {"platform": platform, "event_id": event_id, "processed_at": now}
        return self.statements.claim.execute(self.driver.sqlite, params).rowcount == 1

    async def lock_conversation(self, user: User, now: datetime) -> tuple[Conversation, bool]:
        statements, sqlite = self.statements, self.driver.sqlite
        row = statements.lock.first(sqlite, {"user_key": user.key})
        if row is None:
            values = repository.new_conversation_values(user, now)
            if statements.new_conversation(values).execute(sqlite, values).rowcount == 1:
                return Conversation(values, now), True
            row = statements.lock.first(sqlite, {"user_key": user.key})  # created meanwhile
            if row is None:  # pragma: no cover - the INSERT only yields to an existing row
                raise RuntimeError(f"conversation {user.key} neither inserted nor found")
        return Conversation(dict(zip(statements.lock.keys, row, strict=True)), now), False

    async def save_conversation(self, conversation: Conversation) -> None:
        save = repository.save_parameters(conversation)
        if save is None:
            return
        columns, params = save
        if self.statements.save(columns).execute(self.driver.sqlite, params).rowcount != 1:
            raise repository.stale(conversation)
        conversation.saved(params["v_version"])

    @property
    def session(self) -> AsyncSession:
        sync_connection = self.connection.sync_connection
        assert sync_connection is not None
        if not sync_connection.in_transaction():
            # Begin SQLAlchemy's side (no statement: SQLite is already in the transaction),
            # so the session joins the event's transaction instead of starting its own.
            sync_connection.begin()
        return super().session

    async def scalar(self, statement: Executable, params: Mapping[str, Any]) -> Any:
        await self.flush()
        row = self.statements.get(statement, params).first(self.driver.sqlite, params)
        return None if row is None else row[0]

    async def run(self, statement: Executable, params: Mapping[str, Any]) -> int:
        await self.flush()
        return self.statements.get(statement, params).execute(self.driver.sqlite, params).rowcount

    async def insert(self, statement: Executable, params: Mapping[str, Any]) -> int:
        await self.flush()
        cursor = self.statements.get(statement, params).execute(self.driver.sqlite, params)
        if cursor.lastrowid is None:  # pragma: no cover - every table has an int id
            raise ValueError("the insert reported no row id")
        return cursor.lastrowid
