"""Issue 22, finding 4: nothing a user does costs more as the data grows.

Every statement SQLite runs while buyers, staff and moderators do their everyday things is
recorded (the connection's trace callback sees the engine's inline statements too) and its
query plan checked: a statement on one of the growing tables must find its rows through an
index (``SEARCH``), never read the whole table (``SCAN``). A plan is what makes the cost
flat at 1k or 100k stored rows, and unlike a stopwatch it cannot flake.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import pytest
from sqlalchemy import event as sa_event

from adapters.shop.demo_data import DEMO_CARD_KEYS, DEMO_ORDER_NOS
from bots.app import App
from core.model import Chat, Event, EventKind, User
from tests.conftest import AppFactory
from tests.helpers import GROUP, RecordingChannel, event

GROWING = {
    "conversations",
    "processed_events",
    "faq_answers",
    "lookup_log",
    "tickets",
    "ticket_events",
    "moderation_cases",
    "case_notes",
    "flagged_accounts",
    "outbox",
    "reissue_requests",
    "ticket_ratings",
    "ticket_threads",
    "reply_outbox",
}
MOD = User(platform="telegram", id="900", display_name="群主", username="qunzhu")


def buyer(n: int) -> tuple[User, Chat]:
    user = User(platform="telegram", id=str(8800 + n), display_name=f"买家{n}", username=f"b{n}")
    return user, Chat(platform="telegram", id=user.id, is_private=True)


def press(user: User, chat: Chat, payload: str, n: int) -> Event:
    return Event(
        kind=EventKind.BUTTON, event_id=f"p{user.id}-{n}", user=user, chat=chat, payload=payload
    )


async def _traced(app: App) -> list[str]:
    statements: list[str] = []

    def on_connect(_dbapi: Any, record: Any) -> None:
        driver = record.driver_connection
        raw: sqlite3.Connection = driver.sqlite
        raw.set_trace_callback(statements.append)

    sa_event.listen(app.db.engine.sync_engine, "connect", on_connect)
    await app.db.close()  # the kept writer reconnects, traced
    await app.db.engine.dispose()
    return statements


async def _everyday(app: App) -> None:
    app.services.channels["telegram"] = RecordingChannel(admins=frozenset({MOD.id}))
    for n in range(3):
        user, dm = buyer(n)
        say = [
            "售后在哪",
            f"/order {DEMO_ORDER_NOS['delivered_card']}",
            f"/card {DEMO_CARD_KEYS['used']}",
            "/verify @xinghe_support",
            "/verify @b1",
            "卡密怎么兑换",
            "/ticket",
            "/complain",
            "1",
            DEMO_ORDER_NOS["delivered_card_used"],
            "刚才",
            "卡密已被使用",
            "跳过",
        ]
        for text in say:
            await app.engine.handle(event(text, user=user, chat=dm))
        await app.engine.handle(press(user, dm, "flow:confirm", n))
        await app.engine.handle(event("大家好", user=user, chat=GROUP))
    await app.engine.handle(event("/flag @b2 冒充客服", user=MOD, chat=GROUP))
    await app.engine.handle(event("/flags", user=MOD, chat=GROUP))


def _scans(connection: sqlite3.Connection, statement: str) -> list[str]:
    if not re.match(r"\s*(SELECT|UPDATE|DELETE)\b", statement, re.I):
        return []
    plan = connection.execute(f"EXPLAIN QUERY PLAN {statement}").fetchall()
    found = []
    for row in plan:
        detail = str(row[-1])
        match = re.match(r"SCAN (\w+)", detail)
        if match and match.group(1) in GROWING:
            found.append(detail)
    return found


async def test_everyday_statements_find_rows_through_indexes(app_factory: AppFactory) -> None:
    app: App = await app_factory()
    if app.db.dialect != "sqlite":
        pytest.skip("the plans read here are SQLite's (PostgreSQL has the same indexes)")
    statements = await _traced(app)
    await _everyday(app)
    assert len(statements) > 100, "the trace saw the event statements"
    url = app.db.engine.url.database
    assert url is not None
    with sqlite3.connect(url) as connection:
        problems = {
            statement: scans
            for statement in dict.fromkeys(statements)
            if (scans := _scans(connection, statement))
        }
    assert not problems, "\n\n".join(f"{s}\n  -> {p}" for s, p in problems.items())
