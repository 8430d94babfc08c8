"""Issue 22, finding 4 (part): working records are pruned on a schedule, and a user is
found by handle through an index instead of a scan of every conversation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select, text

from bots.app import App
from core.retention import prune
from core.storage.tables import FaqAnswerRow, LookupLogRow, ProcessedEventRow, ReplyOutboxRow
from tests.conftest import AppFactory


async def count(app: App, model: type[LookupLogRow] | type[FaqAnswerRow]) -> int:
    async with app.db.transaction() as session:
        return int((await session.execute(select(func.count(model.id)))).scalar_one())


async def test_old_working_records_go_and_recent_ones_stay(app_factory: AppFactory) -> None:
    app = await app_factory(retention={"lookup_log_days": 1, "faq_answers_days": 30})
    now = app.services.clock.now()
    async with app.db.transaction() as session:
        for days in (0, 2, 3):
            moment = now - timedelta(days=days)
            await session.execute(
                insert(LookupLogRow).values(user_key="telegram:1", kind="order", created_at=moment)
            )
        for days in (1, 31):
            await session.execute(
                insert(FaqAnswerRow).values(
                    user_key="telegram:1", intent="redeem", created_at=now - timedelta(days=days)
                )
            )
        for days in (1, 8):
            await session.execute(
                insert(ProcessedEventRow).values(
                    platform="telegram",
                    event_id=f"old{days}",
                    processed_at=now - timedelta(days=days),
                )
            )
        for days, sent in ((8, True), (8, False), (1, True)):
            await session.execute(
                insert(ReplyOutboxRow).values(
                    platform="telegram",
                    event_platform="telegram",
                    event_id=f"r{days}{sent}",
                    seq=0,
                    action={},
                    created_at=now - timedelta(days=days),
                    next_attempt_at=now,
                    sent_at=now - timedelta(days=days) if sent else None,
                )
            )
    removed = await prune(app.db, app.config.retention, now)
    # An old reply never sent stays: the sweeper still owes it to someone.
    assert removed == {"event_ids": 1, "lookup_log": 2, "faq_answers": 1, "replies": 1}
    assert await count(app, LookupLogRow) == 1 and await count(app, FaqAnswerRow) == 1


async def test_a_user_is_found_by_handle_through_an_index(app: App) -> None:
    if app.db.dialect != "sqlite":
        pytest.skip("the plan read here is SQLite's; PostgreSQL has the same index (0009)")
    async with app.db.transaction() as session:
        plan = (
            await session.execute(
                text(
                    "EXPLAIN QUERY PLAN SELECT * FROM conversations "
                    "WHERE platform = 'telegram' AND lower(username) = 'xiaoli_88' LIMIT 1"
                )
            )
        ).all()
    assert any("ix_conversations_platform_username" in str(row) for row in plan), plan
