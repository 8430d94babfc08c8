"""Queries used by the engine: event de-duplication and per-user conversation rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from core.model import User
from core.storage.tables import Base, ConversationRow, ProcessedEventRow


def _dialect_of(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind is not None else "sqlite"


def insert_or_ignore(session: AsyncSession, table: type[Base], **values: Any) -> Executable:
    """INSERT … ON CONFLICT DO NOTHING in the session's dialect (SQLite or PostgreSQL)."""
    if _dialect_of(session) == "postgresql":
        return pg_insert(table).values(**values).on_conflict_do_nothing()
    return sqlite_insert(table).values(**values).on_conflict_do_nothing()


# Built once per dialect: the engine runs this for every event, and constructing the
# statement each time cost more than executing it (bench/, profiled).
# (On the table, not the ORM class: an ORM insert with parameters is a bulk insert, which
# reports no row count.)
_EVENTS_TABLE = cast(Table, ProcessedEventRow.__table__)
_CLAIM_EVENT: dict[str, Executable] = {
    "postgresql": pg_insert(_EVENTS_TABLE).on_conflict_do_nothing(),
    "sqlite": sqlite_insert(_EVENTS_TABLE).on_conflict_do_nothing(),
}


async def claim_event(session: AsyncSession, platform: str, event_id: str, now: datetime) -> bool:
    """Record an inbound event; False when it was already processed (a duplicate)."""
    params = {"platform": platform, "event_id": event_id, "processed_at": now}
    result = await session.execute(_CLAIM_EVENT[_dialect_of(session)], params)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def prune_processed_events(session: AsyncSession, older_than: datetime) -> int:
    """Forget de-duplication keys older than the platforms' redelivery windows."""
    result = await session.execute(
        delete(ProcessedEventRow).where(ProcessedEventRow.processed_at < older_than)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def lock_conversation(
    session: AsyncSession, user: User, now: datetime
) -> tuple[ConversationRow, bool]:
    """The user's conversation row, created if new, locked for this transaction.

    Returns the row and whether this call created it (the bot sees the user for the first time).

    PostgreSQL takes a row lock (SELECT … FOR UPDATE); SQLite transactions already hold
    the database write lock (BEGIN IMMEDIATE), so two processes never interleave a step.
    """
    query = select(ConversationRow).where(ConversationRow.user_key == user.key).with_for_update()
    row = (await session.execute(query)).scalar_one_or_none()
    if row is not None:
        return row, False
    inserted = await session.execute(
        insert_or_ignore(
            session,
            ConversationRow,
            user_key=user.key,
            platform=user.platform,
            display_name=user.display_name[:256],
            username=user.username[:256],
            locale=user.locale[:8],
            data={},
            updated_at=now,
            version=1,
        )
    )
    row = (await session.execute(query)).scalar_one()
    return row, bool(inserted.rowcount == 1)  # type: ignore[attr-defined]


async def get_conversation(session: AsyncSession, user_key: str) -> ConversationRow | None:
    return await session.get(ConversationRow, user_key)
