"""Queries used by the engine: event de-duplication and per-user conversation rows.

These run for every inbound event, so they are SQLAlchemy Core statements built once (with
bind parameters) and executed on the event's connection: the ORM's unit of work cost more
than the statements themselves (bench/, profiled).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql import Executable
from sqlalchemy.sql.dml import Insert

from core.conversation import Conversation
from core.model import User
from core.storage.tables import Base, ConversationRow, ProcessedEventRow, table_of

Executor = AsyncConnection | AsyncSession


def _dialect_of(executor: Executor) -> str:
    if isinstance(executor, AsyncConnection):
        return executor.dialect.name
    return executor.bind.dialect.name if executor.bind is not None else "sqlite"


_DIALECTS = ("postgresql", "sqlite")


def _insert_ignoring_conflicts(dialect: str, table: Table | type[Base]) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING in ``dialect`` (PostgreSQL, else SQLite)."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return insert(table).on_conflict_do_nothing()


def insert_or_ignore(session: Executor, table: type[Base], **values: Any) -> Executable:
    """INSERT … ON CONFLICT DO NOTHING in the session's dialect (SQLite or PostgreSQL)."""
    return _insert_ignoring_conflicts(_dialect_of(session), table).values(**values)


_PREBUILT_INSERT_OR_IGNORE: dict[tuple[str, str], Insert] = {}


def insert_or_ignore_statement(session: Executor, model: type[Base]) -> Insert:
    """`insert_or_ignore` built once per table and dialect, run with the row as parameters:
    for hot paths, where building and caching a statement per call costs more than running
    it (an insert on the Core table, not the ORM class: an ORM insert with parameters
    is a bulk insert)."""
    key = (_dialect_of(session), model.__tablename__)
    statement = _PREBUILT_INSERT_OR_IGNORE.get(key)
    if statement is None:
        statement = _PREBUILT_INSERT_OR_IGNORE[key] = _insert_ignoring_conflicts(
            key[0], table_of(model)
        )
    return statement


# Built once per dialect, on the tables, not the ORM classes: an ORM insert with parameters
# is a bulk insert, which reports no row count, and ORM execution is slower. On SQLite the
# engine runs the same statements straight on the driver (see ``sqlite_event``).
_EVENTS = table_of(ProcessedEventRow)
CLAIM_EVENT = {d: _insert_ignoring_conflicts(d, _EVENTS) for d in _DIALECTS}
_CONVERSATIONS = table_of(ConversationRow)
LOCK_CONVERSATION = (
    select(_CONVERSATIONS)
    .where(_CONVERSATIONS.c.user_key == bindparam("user_key"))
    .with_for_update()
)
NEW_CONVERSATION = {d: _insert_ignoring_conflicts(d, _CONVERSATIONS) for d in _DIALECTS}
# One UPDATE per set of changed columns, built on first use.
_SAVE_CONVERSATION: dict[frozenset[str], Executable] = {}


async def claim_event(session: Executor, platform: str, event_id: str, now: datetime) -> bool:
    """Record an inbound event; False when it was already processed (a duplicate)."""
    params = {"platform": platform, "event_id": event_id, "processed_at": now}
    result = await session.execute(CLAIM_EVENT[_dialect_of(session)], params)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def new_conversation_values(user: User, now: datetime) -> dict[str, Any]:
    """The row of a user the bot meets for the first time."""
    return {
        "user_key": user.key,
        "platform": user.platform,
        "display_name": user.display_name[:256],
        "username": user.username[:256],
        "locale": user.locale[:8],
        "flow": None,
        "step": None,
        "data": {},
        "private_chat_id": "",
        "flow_started_at": None,
        "updated_at": now,
        "version": 1,
    }


async def lock_conversation(
    connection: AsyncConnection, user: User, now: datetime
) -> tuple[Conversation, bool]:
    """The user's conversation, created if new, its row locked for this transaction.

    Returns the conversation and whether this call created it (the bot sees the user for the
    first time). PostgreSQL takes a row lock (SELECT … FOR UPDATE); SQLite transactions
    already hold the database write lock (BEGIN IMMEDIATE), so two processes never interleave
    a step.
    """
    params = {"user_key": user.key}
    row = (await connection.execute(LOCK_CONVERSATION, params)).first()
    if row is not None:
        return Conversation(row._mapping, now), False
    values = new_conversation_values(user, now)
    inserted = await connection.execute(NEW_CONVERSATION[connection.dialect.name], values)
    if inserted.rowcount == 1:
        return Conversation(values, now), True
    # Another process created it between our SELECT and INSERT: read (and lock) theirs.
    row = (await connection.execute(LOCK_CONVERSATION, params)).one()
    return Conversation(row._mapping, now), False


def save_statement(columns: frozenset[str]) -> Executable:
    statement = _SAVE_CONVERSATION.get(columns)
    if statement is None:
        table = _CONVERSATIONS
        statement = (
            update(table)
            .where(
                table.c.user_key == bindparam("w_user_key"),
                table.c.version == bindparam("w_version"),
            )
            .values({name: bindparam(f"v_{name}") for name in columns})
        )
        _SAVE_CONVERSATION[columns] = statement
    return statement


def save_parameters(conversation: Conversation) -> tuple[frozenset[str], dict[str, Any]] | None:
    """The changed columns and the parameters of their `save_statement`, the version bumped;
    None when nothing changed."""
    changes = conversation.changes
    if not changes:
        return None
    changes["version"] = conversation.version + 1
    params = {f"v_{name}": value for name, value in changes.items()}
    params["w_user_key"] = conversation.user_key
    params["w_version"] = conversation.version
    return frozenset(changes), params


def stale(conversation: Conversation) -> StaleDataError:
    return StaleDataError(
        f"conversation {conversation.user_key} changed under version {conversation.version}"
    )


async def save_conversation(connection: AsyncConnection, conversation: Conversation) -> None:
    """Write the columns a handler changed, bumping ``version`` (an optimistic check on top
    of the row lock: a lost update raises `StaleDataError` instead of overwriting)."""
    save = save_parameters(conversation)
    if save is None:
        return
    columns, params = save
    result = await connection.execute(save_statement(columns), params)
    if result.rowcount != 1:
        raise stale(conversation)
    conversation.saved(params["v_version"])


async def get_conversation(session: AsyncSession, user_key: str) -> ConversationRow | None:
    return await session.get(ConversationRow, user_key)
