"""An event's transaction: the engine's statements and handlers' prebuilt ones, and the ORM
session joined to it. On SQLite the statements run straight on the driver (``sqlite_event``);
these tests hold that path to what SQLAlchemy itself writes, reads and rolls back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import bindparam, func, insert, select, text

from bots.app import App
from core.model import User
from core.storage.sqlite_compiled import CompiledStatement
from core.storage.sqlite_event import SqliteEventTransaction
from core.storage.tables import ConversationRow, LookupLogRow, ModerationCaseRow, table_of

NOW = datetime(2026, 11, 24, 8, 30, 0, tzinfo=UTC)
ON_THE_SECOND = datetime(2026, 11, 24, 9, 0, 0, tzinfo=UTC)
PRECISE = datetime(2026, 11, 24, 9, 0, 0, 120_034, tzinfo=UTC)
ALICE = User(platform="telegram", id="41", display_name="Alice", username="alice", locale="zh")
BOB = User(platform="telegram", id="42", display_name="Bob", username="bob", locale="en")

_LOOKUPS = table_of(LookupLogRow)
_COUNT = select(func.count()).where(
    _LOOKUPS.c.user_key == bindparam("user_key"), _LOOKUPS.c.created_at >= bindparam("since")
)
_RECORD = insert(_LOOKUPS)
_CONVERSATIONS = table_of(ConversationRow)
# A literal in the WHERE clause and a LIMIT: values the statement carries itself.
_IN_COMPLAINT = (
    select(_CONVERSATIONS.c.user_key)
    .where(_CONVERSATIONS.c.flow == "complaint", _CONVERSATIONS.c.platform == bindparam("p"))
    .order_by(_CONVERSATIONS.c.user_key)
    .limit(1)
)


async def test_conversations_round_trip_as_sqlalchemy_reads_them(app: App) -> None:
    async with app.db.event() as store:
        conversation, created = await store.lock_conversation(ALICE, NOW)
        assert created
        conversation.start("complaint", "order")
        conversation.update(order_no="DD2026112000002", note="卡密 已使用 ✓")
        await store.save_conversation(conversation)
    async with app.db.transaction() as session:
        row = await session.get(ConversationRow, ALICE.key)
    assert row is not None
    assert (row.flow, row.step, row.display_name, row.version) == ("complaint", "order", "Alice", 2)
    assert row.data == {"order_no": "DD2026112000002", "note": "卡密 已使用 ✓"}
    assert row.updated_at == NOW and row.flow_started_at == NOW
    async with app.db.event() as store:
        again, created = await store.lock_conversation(ALICE, NOW + timedelta(minutes=1))
    assert not created
    assert (again.flow, again.step, dict(again.data)) == ("complaint", "order", row.data)
    assert again.updated_at == NOW and again.updated_at.tzinfo is not None


@pytest.mark.parametrize("moment", [ON_THE_SECOND, PRECISE], ids=["whole-second", "microseconds"])
async def test_the_driver_path_stores_values_as_sqlalchemy_does(app: App, moment: datetime) -> None:
    """Byte for byte: a row written through the ORM and one written by the event path."""
    if app.db.dialect != "sqlite":
        pytest.skip("the driver path is SQLite's")
    async with app.db.transaction() as session:
        session.add(
            ConversationRow(
                user_key=BOB.key, platform="telegram", display_name="Alice", username="alice",
                locale="zh", flow="complaint", step="order", data={"note": "卡密"},
                updated_at=moment, flow_started_at=moment,
            )
        )  # fmt: skip
    async with app.db.event() as store:
        conversation, _ = await store.lock_conversation(ALICE, moment)
        conversation.start("complaint", "order")
        conversation.update(note="卡密")
        await store.save_conversation(conversation)
    async with app.db.transaction() as session:
        rows = (await session.execute(text("SELECT * FROM conversations ORDER BY user_key"))).all()
    alice, bob = (tuple(row)[1:-1] for row in rows)  # all but the key and the version
    assert alice == bob


async def test_prebuilt_statements_read_and_write_like_sqlalchemy(app: App) -> None:
    async with app.db.event() as store:
        for minutes in (0, 10, 30):
            at = NOW + timedelta(minutes=minutes)
            await store.insert(_RECORD, {"user_key": ALICE.key, "kind": "order", "created_at": at})
        since = NOW + timedelta(minutes=10)  # datetimes compare as SQLAlchemy binds them
        assert await store.scalar(_COUNT, {"user_key": ALICE.key, "since": since}) == 2
        assert await store.scalar(_COUNT, {"user_key": BOB.key, "since": since}) == 0
        first = await store.insert(
            _RECORD, {"user_key": BOB.key, "kind": "card", "created_at": NOW}
        )
        second = await store.insert(
            _RECORD, {"user_key": BOB.key, "kind": "card", "created_at": NOW}
        )
        assert second == first + 1
        assert await store.scalar(_IN_COMPLAINT, {"p": "telegram"}) is None
        for user in (BOB, ALICE):
            conversation, _ = await store.lock_conversation(user, NOW)
            conversation.start("complaint", "order")
            await store.save_conversation(conversation)
        assert await store.scalar(_IN_COMPLAINT, {"p": "telegram"}) == ALICE.key
        assert await store.scalar(_IN_COMPLAINT, {"p": "discord"}) is None
    async with app.db.transaction() as session:
        count = await session.scalar(select(func.count()).select_from(LookupLogRow))
    assert count == 5


async def test_a_missing_parameter_is_an_error_not_a_null(app: App) -> None:
    if app.db.dialect != "sqlite":
        pytest.skip("the driver path is SQLite's")
    with pytest.raises(KeyError, match="since"):
        async with app.db.event() as store:
            await store.scalar(_COUNT, {"user_key": ALICE.key})


def _case(target: str) -> ModerationCaseRow:
    return ModerationCaseRow(
        action="flag", target_key=target, actor_key="bot", reason="test", created_at=NOW
    )


async def test_the_orm_session_joins_the_events_transaction(app: App) -> None:
    """Both halves commit together, and a failure rolls both back."""
    async with app.db.event() as store:
        assert await store.claim_event("telegram", "joined-1", NOW)
        store.session.add(_case("telegram:1"))
        # Prebuilt statements see what the session holds (it is flushed first).
        count_cases = select(func.count()).select_from(ModerationCaseRow)
        assert await store.scalar(count_cases, {}) == 1
        await store.close()
    with pytest.raises(RuntimeError, match="handler bug"):
        async with app.db.event() as store:
            assert await store.claim_event("telegram", "joined-2", NOW)
            store.session.add(_case("telegram:2"))
            await store.flush()
            await store.close()
            raise RuntimeError("handler bug")
    async with app.db.event() as store:  # the failure left nothing behind, not even a lock
        assert not await store.claim_event("telegram", "joined-1", NOW)
        assert await store.claim_event("telegram", "joined-2", NOW)
    async with app.db.transaction() as session:
        targets = (await session.scalars(select(ModerationCaseRow.target_key))).all()
    assert targets == ["telegram:1"]


async def test_a_failure_on_the_driver_path_alone_rolls_it_back(app: App) -> None:
    with pytest.raises(RuntimeError):
        async with app.db.event() as store:
            assert await store.claim_event("telegram", "lone-1", NOW)
            await store.lock_conversation(ALICE, NOW)
            raise RuntimeError("handler bug")
    async with app.db.event() as store:
        assert await store.claim_event("telegram", "lone-1", NOW)
        _conversation, created = await store.lock_conversation(ALICE, NOW)
        assert created


async def test_sqlite_events_run_on_the_driver(app: App) -> None:
    """Guards the point of ``sqlite_event``: SQLAlchemy's connection stays out of an event
    that needs no ORM (it would cost its execution layer on every event)."""
    if app.db.dialect != "sqlite":
        pytest.skip("the driver path is SQLite's")
    async with app.db.event() as store:
        assert isinstance(store, SqliteEventTransaction)
        await store.claim_event("telegram", "raw-1", NOW)
        await store.lock_conversation(ALICE, NOW)
        assert await store.scalar(_COUNT, {"user_key": ALICE.key, "since": NOW}) == 0
        assert store.driver.sqlite.in_transaction
        assert not store.connection.in_transaction()
        _ = store.session
        assert store.connection.in_transaction()  # joined, without a second BEGIN
        await store.close()


async def test_compiled_statements_carry_their_own_values(app: App) -> None:
    if app.db.dialect != "sqlite":
        pytest.skip("the driver path is SQLite's")
    compiled = CompiledStatement(_IN_COMPLAINT, app.db.engine.dialect)
    assert compiled.sql.count("?") == 4 and compiled.keys == ["user_key"]


async def test_an_in_list_is_refused_with_a_clear_error(app: App) -> None:
    """IN (:list) is expanded per execution, which the compiled-once path cannot do."""
    if app.db.dialect != "sqlite":
        pytest.skip("the driver path is SQLite's")
    statement = select(_CONVERSATIONS.c.user_key).where(
        _CONVERSATIONS.c.flow.in_(["complaint", "lookup"])
    )
    with pytest.raises(ValueError, match="expanding parameters"):
        CompiledStatement(statement, app.db.engine.dialect)


async def test_an_insert_leaving_out_a_python_side_default_is_refused(app: App) -> None:
    """SQLAlchemy applies ``default=`` values while executing; the driver path cannot, so it
    refuses the statement instead of writing NULL or failing on a NOT NULL column."""
    if app.db.dialect != "sqlite":
        pytest.skip("the driver path is SQLite's")
    statement = insert(table_of(ModerationCaseRow))
    with pytest.raises(ValueError, match="target_name"):
        async with app.db.event() as store:
            await store.insert(
                statement, {"action": "flag", "target_key": "telegram:1", "actor_key": "bot"}
            )
