"""Engine guarantees, on SQLite and PostgreSQL: de-duplication, persistence across restarts,
one flow step at a time, idle expiry, transient-error retry, and no traceback to users."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy.exc import OperationalError

from adapters.shop.demo_data import DEMO_ORDER_NOS
from bots.app import App
from core.clock import FakeClock
from core.context import Context
from core.engine import EventNotRecorded
from core.model import Reply
from core.storage.event_transaction import EventTransaction
from core.storage.sqlite_event import SqliteEventTransaction
from tests.conftest import AppFactory
from tests.helpers import GROUP, event, texts


class EchoNameFlow:
    """A two-step test flow: asks a name, then a city, then echoes both."""

    name = "echo"

    async def start(self, ctx: Context) -> None:
        ctx.conversation.start("echo", "name")
        ctx.reply("name?")

    async def on_input(self, ctx: Context) -> None:
        convo = ctx.conversation
        if convo.step == "name":
            convo.advance("city", name=ctx.event.text)
            ctx.reply("city?")
        else:
            ctx.reply(f"{convo.data['name']} from {ctx.event.text}")
            convo.finish()


def _with_echo_flow(app: App) -> App:
    app.engine.router.flow(EchoNameFlow(), command="echo")
    return app


async def test_same_event_twice_is_handled_once(app: App) -> None:
    first = await app.engine.handle(event("/support", event_id="dup-1"))
    second = await app.engine.handle(event("/support", event_id="dup-1"))
    assert len(first) == 1 and second == []


async def test_deduplication_survives_a_restart(app_factory: AppFactory) -> None:
    app = await app_factory()
    assert await app.engine.handle(event("/help", event_id="tg-42"))
    await app.close()
    restarted = await app_factory()
    assert await restarted.engine.handle(event("/help", event_id="tg-42")) == []
    assert await restarted.engine.handle(event("/help", event_id="tg-43"))


async def test_flow_resumes_after_restart_at_the_same_step(app_factory: AppFactory) -> None:
    app = _with_echo_flow(await app_factory())
    assert texts(await app.engine.handle(event("/echo"))) == "name?"
    assert texts(await app.engine.handle(event("小明"))) == "city?"
    await app.close()  # the process goes away; only the database remains
    restarted = _with_echo_flow(await app_factory())
    assert texts(await restarted.engine.handle(event("杭州"))) == "小明 from 杭州"
    # The flow is finished: the next message is ordinary again.
    assert "city?" not in texts(await restarted.engine.handle(event("杭州")))


async def test_cancel_ends_the_flow(app: App) -> None:
    _with_echo_flow(app)
    await app.engine.handle(event("/echo"))
    assert "已取消" in texts(await app.engine.handle(event("/cancel")))
    assert "没有进行中" in texts(await app.engine.handle(event("/cancel")))


async def test_idle_flow_expires_with_a_message(app: App, clock: FakeClock) -> None:
    _with_echo_flow(app)
    await app.engine.handle(event("/echo"))
    clock.advance(timedelta(minutes=31))
    reply = texts(await app.engine.handle(event("小明")))
    assert "长时间未回复已关闭" in reply
    assert "city?" not in reply


async def test_events_of_one_user_are_serialised(app: App) -> None:
    _with_echo_flow(app)
    await app.engine.handle(event("/echo"))
    # Two answers arrive at once: each must see the state the other left.
    results = await asyncio.gather(
        app.engine.handle(event("小明")), app.engine.handle(event("杭州"))
    )
    assert sorted(texts(r) for r in results) == ["city?", "小明 from 杭州"]


async def test_handler_bug_gives_a_friendly_reply_and_is_not_redone(app: App) -> None:
    calls = 0

    async def broken(ctx: Context) -> None:
        nonlocal calls
        calls += 1
        raise KeyError("secret internals")

    app.engine.router.command("boom", broken)
    actions = await app.engine.handle(event("/boom", event_id="bug-1"))
    assert len(actions) == 1 and isinstance(actions[0], Reply)
    assert "出了点问题" in actions[0].text and "secret internals" not in actions[0].text
    # A redelivery of the same update does not run the failing handler again.
    assert await app.engine.handle(event("/boom", event_id="bug-1")) == []
    assert calls == 1


async def test_transient_database_lock_is_retried_not_dropped(app: App) -> None:
    calls = 0

    async def flaky(ctx: Context) -> None:
        nonlocal calls
        calls += 1
        if calls < 3:
            raise OperationalError("UPDATE x", {}, Exception("database is locked"))
        ctx.reply("done")

    app.engine.router.command("flaky", flaky)
    assert texts(await app.engine.handle(event("/flaky", event_id="lock-1"))) == "done"
    assert calls == 3


async def test_old_event_ids_are_forgotten_on_start(
    app_factory: AppFactory, clock: FakeClock
) -> None:
    app = await app_factory()
    await app.engine.handle(event("/help", event_id="old-1"))
    await app.close()
    clock.advance(timedelta(days=8))
    restarted = await app_factory()
    # Far outside any platform's redelivery window, the key was pruned on start.
    assert await restarted.engine.handle(event("/help", event_id="old-1"))


async def test_idle_flows_are_closed_proactively_with_a_message(app: App, clock: FakeClock) -> None:
    from core.model import SendPrivate
    from core.sweeper import close_idle_flows

    _with_echo_flow(app)
    await app.engine.handle(event("/echo"))
    assert await close_idle_flows(app.services) == []  # not idle yet
    clock.advance(timedelta(minutes=31))
    [message] = await close_idle_flows(app.services)
    assert isinstance(message, SendPrivate) and message.user.key == "telegram:555"
    assert "长时间未回复已关闭" in message.text
    assert await close_idle_flows(app.services) == []  # closed once
    assert "city?" not in texts(await app.engine.handle(event("小明")))


async def test_a_lost_conversation_update_is_detected_and_the_event_redone(app: App) -> None:
    """The conversation is saved with a version check: if its row changed under the event
    (another writer), the save fails and the whole event runs again on the fresh state."""
    from sqlalchemy import text as sql

    _with_echo_flow(app)
    await app.engine.handle(event("/echo"))
    runs = 0
    on_input = EchoNameFlow.on_input

    async def racing(self: EchoNameFlow, ctx: Context) -> None:
        nonlocal runs
        runs += 1
        if runs == 1:  # someone else writes the row while this step runs
            await ctx.session.execute(
                sql("UPDATE conversations SET version = version + 1 WHERE user_key = :k"),
                {"k": ctx.event.user.key},
            )
        await on_input(self, ctx)

    flow = app.engine.router.flows["echo"]
    flow.on_input = racing.__get__(flow)  # type: ignore[method-assign]
    assert texts(await app.engine.handle(event("小明"))) == "city?"
    assert runs == 2
    assert texts(await app.engine.handle(event("杭州"))) == "小明 from 杭州"


@contextlib.asynccontextmanager
async def recorded_statements(app: App) -> AsyncIterator[list[str]]:
    """The first word of every statement sent to the database meanwhile.

    On SQLite the engine's statements bypass SQLAlchemy, so SQLite's own trace hook on the
    kept connection records them; on PostgreSQL SQLAlchemy's cursor events do."""
    from sqlalchemy import event as sa_event

    statements: list[str] = []

    def keyword(sql: str) -> None:
        statements.append(sql.split()[0].upper())

    if app.db.dialect == "sqlite":
        async with app.db.event() as store:
            assert isinstance(store, SqliteEventTransaction)
            sqlite = store.driver.sqlite
        sqlite.set_trace_callback(keyword)
        try:
            yield statements
        finally:
            sqlite.set_trace_callback(None)
        return

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        keyword(statement)

    sa_event.listen(app.db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa_event.remove(app.db.engine.sync_engine, "before_cursor_execute", record)


async def test_an_event_that_changes_nothing_writes_no_conversation_row(app: App) -> None:
    """Group chatter the bot ignores costs the claim and two reads (the conversation, and
    whether any flag names the speaker): no UPDATE of the row."""
    await app.engine.handle(event("今晚谁一起开黑", chat=GROUP))  # first sight: creates the row
    async with recorded_statements(app) as statements:
        assert await app.engine.handle(event("哈哈哈", chat=GROUP)) == []
    # Claim the event id; read the conversation; the guard's flag check (SQLite also shows
    # its BEGIN and COMMIT).
    assert [s for s in statements if s not in ("BEGIN", "COMMIT")] == [
        "INSERT",
        "SELECT",
        "SELECT",
    ]


async def test_an_event_never_lets_the_loop_run_while_it_holds_the_sqlite_lock(app: App) -> None:
    """On SQLite every event of the process waits for the one holding the write lock, so the
    holder must not yield to the event loop (a yield lets unrelated work run on its time).
    Shop lookups are the risky part: closing a connection through SQLAlchemy's async
    context manager runs the close in a task of its own."""
    if app.db.dialect != "sqlite":
        pytest.skip("PostgreSQL events take no process-wide lock")
    number = next(iter(DEMO_ORDER_NOS.values()))
    await app.engine.handle(event(f"/order {number}"))  # the shop opens its file once
    held_open = app.db.event
    yielded: list[bool] = []

    @contextlib.asynccontextmanager
    async def watched() -> AsyncIterator[EventTransaction]:
        async with held_open() as store:
            ran = [False]
            asyncio.get_running_loop().call_soon(ran.__setitem__, 0, True)
            yield store
            yielded.append(ran[0])

    app.db.event = watched  # type: ignore[method-assign]
    for text in (f"/order {number}", f"/recharge {number}", "售后在哪", "/complain", "1", number):
        await app.engine.handle(event(text))
    assert yielded == [False] * 6


async def test_a_failed_commit_does_not_spoil_the_next_event(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If SQLite's COMMIT fails, the driver is still inside the transaction (and holds the
    write lock): the next event must start cleanly, not fail with "cannot start a transaction
    within a transaction". The failed event is not recorded (the platform sends it again,
    and then it is handled), never marked handled with an apology."""
    import sqlite3

    from core.storage.inline_sqlite import InlineConnection

    if app.db.dialect != "sqlite":
        pytest.skip("a SQLite driver fault")
    failures = [sqlite3.OperationalError("disk I/O error")]
    commit = InlineConnection.commit

    async def commit_failing_once(self: InlineConnection) -> None:
        if failures:
            raise failures.pop()
        await commit(self)

    monkeypatch.setattr(InlineConnection, "commit", commit_failing_once)
    with pytest.raises(EventNotRecorded):
        await app.engine.handle(event("/help", event_id="io-1"))
    assert failures == []
    # Nothing was recorded: the redelivery is handled.
    redelivered = texts(await app.engine.handle(event("/help", event_id="io-1")))
    assert redelivered and "出了点问题" not in redelivered
    reply = texts(await app.engine.handle(event("/support")))
    assert reply and "出了点问题" not in reply


async def test_handlers_see_the_senders_new_name_in_the_same_event(app: App) -> None:
    """A rename is written before the handlers run: a lookup by the new handle finds them."""
    from dataclasses import replace

    from core.moderation.cases import find_known_user
    from tests.helpers import ALICE

    async def whois(ctx: Context) -> None:
        found = await find_known_user(ctx.session, "telegram", ctx.event.args)
        ctx.reply(found.label if found else "unknown")

    app.engine.router.command("whois", whois)
    await app.engine.handle(event("/help"))  # Alice is known as @alice
    renamed = replace(ALICE, username="alice_2026")
    assert texts(await app.engine.handle(event("/whois alice_2026", user=renamed))) == (
        "Alice(@alice_2026)"
    )
