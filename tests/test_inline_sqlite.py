"""The inline SQLite driver: another process holding the write lock is waited for without
blocking the event loop, and a lock held past the busy timeout fails cleanly."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from core.storage.database import Database
from tests.conftest import AppFactory
from tests.helpers import event, texts


def _hold_write_lock(path: Path) -> sqlite3.Connection:
    """What another process writing to the same file looks like to us."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_event_waits_for_another_writer_while_the_loop_keeps_running(
    app_factory: AppFactory, db_url: str
) -> None:
    app = await app_factory()
    other = _hold_write_lock(Path(db_url.split("///", 1)[1]))
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    ticking = asyncio.create_task(ticker())
    asyncio.get_running_loop().call_later(0.3, other.rollback)
    try:
        reply = texts(await app.engine.handle(event("售后在哪")))
    finally:
        ticking.cancel()
        other.close()
    assert "400-800-1234" in reply, reply
    # ~60 ticks fit into the 0.3 s wait; a blocked loop would have run none of them.
    assert ticks >= 20
    assert app.services.metrics.handler_errors._value.get() == 0


async def test_lock_held_past_the_busy_timeout_raises_database_is_locked(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    db = Database(f"sqlite+aiosqlite:///{path}", busy_timeout_ms=200)
    try:
        async with db.transaction() as session:
            await session.execute(text("CREATE TABLE t (x INTEGER)"))
        other = _hold_write_lock(path)
        started = asyncio.get_running_loop().time()
        with pytest.raises(Exception, match="database is locked"):
            async with db.transaction() as session:
                await session.execute(text("INSERT INTO t VALUES (1)"))
        waited = asyncio.get_running_loop().time() - started
        other.close()
        assert 0.15 <= waited < 2.0
        async with db.transaction() as session:  # the lock is gone: writes work again
            await session.execute(text("INSERT INTO t VALUES (2)"))
            assert (await session.execute(text("SELECT count(*) FROM t"))).scalar_one() == 1
    finally:
        await db.close()
