"""Replies are saved with their event and sent at least once (issue 22, finding 2), on
SQLite and PostgreSQL: the reply outbox, the sweeper, redeliveries, and a database outage.

The real-process kill -9 tests are in ``tests/test_kill_between_commit_and_send.py``.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from bots.app import App
from core.action_codec import decode_action, encode_action
from core.clock import FakeClock
from core.context import Context
from core.engine import EventNotRecorded
from core.model import (
    Action,
    Attachment,
    Button,
    ButtonStyle,
    Chat,
    DeleteMessage,
    NotifyStaff,
    Reply,
    RestrictUser,
    SendPrivate,
    User,
)
from core.replies import GRACE, MAX_ATTEMPTS
from core.storage.database import Database
from core.storage.tables import ProcessedEventRow, ReplyOutboxRow
from tests.helpers import DM, GROUP, RecordingChannel, event, texts


async def _rows(app: App) -> list[ReplyOutboxRow]:
    async with app.db.transaction() as session:
        query = select(ReplyOutboxRow).order_by(ReplyOutboxRow.id)
        return list((await session.execute(query)).scalars())


def _with_channel(app: App) -> RecordingChannel:
    channel = RecordingChannel("telegram")
    app.services.channels["telegram"] = channel
    return channel


def test_every_action_survives_the_codec() -> None:
    bob = User(platform="telegram", id="7", display_name="鲍勃", username="bob", locale="en")
    thread = Chat(platform="discord", id="c1", is_private=False, title="t", thread_id="th",
                  community_id="g1")  # fmt: skip
    buttons = (
        (Button("确认", "flow:ok"), Button("官网", url="https://x.example", style=ButtonStyle.URL)),
        (Button("私聊", "start", style=ButtonStyle.PRIVATE),),
    )
    shot = (Attachment(kind="image", ref="file-1", name="a.png"),)
    actions: list[Action] = [
        Reply(chat=DM, text="你好"),
        Reply(
            chat=thread,
            text="x",
            buttons=buttons,
            attachments=shot,
            reply_to_message_id="9",
            edit_message_id="10",
            ephemeral=True,
            recipient=bob,
        ),
        SendPrivate(user=bob, text="私信", buttons=buttons, attachments=shot),
        NotifyStaff(
            destination="telegram:-100",
            text="卡片",
            buttons=buttons,
            ticket_no="T-1",
            attachments=shot,
        ),
        DeleteMessage(chat=GROUP, message_id="42"),
        RestrictUser(chat=GROUP, user=bob, reason="冒充", remove=True),
    ]
    for action in actions:
        assert decode_action(encode_action(action)) == action
    with pytest.raises(ValueError, match="unknown"):
        decode_action({"type": "teleport"})
    with pytest.raises(ValueError, match="malformed"):
        decode_action({"type": "reply"})


async def test_replies_are_saved_with_the_event_and_marked_sent_after_delivery(app: App) -> None:
    channel = _with_channel(app)
    actions = await app.runtime.process(event("/support", event_id="s-1"))
    assert actions and channel.sent == actions
    rows = await _rows(app)
    assert [decode_action(r.action) for r in rows] == actions
    assert {(r.event_platform, r.event_id) for r in rows} == {("telegram", "s-1")}
    assert all(r.sent_at is not None for r in rows)
    assert await app.replies.run_once() == 0  # nothing left for the sweeper


async def test_replies_left_unsent_by_a_crash_are_sent_once_after_the_grace(
    app_factory: Any, clock: FakeClock
) -> None:
    """The process died after the commit, before sending: a restarted one sends them."""
    first: App = await app_factory()
    decided = await first.engine.handle(event("/support", event_id="s-2"))  # committed only
    assert decided
    second: App = await app_factory()  # the restart
    channel = _with_channel(second)
    assert await second.replies.run_once() == 0  # the live delivery's grace is not over
    clock.advance(GRACE + timedelta(seconds=1))
    assert await second.replies.run_once() == len(decided)
    assert channel.sent == decided
    assert await second.replies.run_once() == 0  # exactly once
    assert channel.sent == decided
    # A redelivery of the event is a duplicate: not handled again, nothing sent again.
    assert await second.runtime.process(event("/support", event_id="s-2")) == []
    assert channel.sent == decided


async def test_a_failed_send_is_retried_then_given_up(app: App, clock: FakeClock) -> None:
    class Down(RecordingChannel):
        fail = True

        async def send(self, action: Action) -> None:
            if self.fail:
                raise ConnectionError("platform down")
            await super().send(action)

    channel = Down("telegram")
    app.services.channels["telegram"] = channel
    await app.runtime.process(event("/support", event_id="s-3"))
    assert channel.sent == [] and all(r.sent_at is None for r in await _rows(app))
    clock.advance(GRACE + timedelta(seconds=1))
    assert await app.replies.run_once() == 0  # still down: rescheduled with back-off
    [row] = [r for r in await _rows(app)][:1]
    assert row.attempts == 1 and "platform down" in row.last_error
    channel.fail = False
    clock.advance(timedelta(minutes=1))
    assert await app.replies.run_once() >= 1
    assert all(r.sent_at is not None for r in await _rows(app))
    # A reply that never goes through is given up after MAX_ATTEMPTS.
    channel.fail = True
    await app.runtime.process(event("/support", event_id="s-4"))
    for _ in range(MAX_ATTEMPTS):
        clock.advance(timedelta(minutes=11))
        await app.replies.run_once()
    failed = [r for r in await _rows(app) if r.event_id == "s-4"]
    assert failed and all(r.failed_at is not None and r.sent_at is None for r in failed)


async def test_the_sweeper_leaves_other_platforms_replies_alone(app: App, clock: FakeClock) -> None:
    await app.engine.handle(event("/support", event_id="s-5"))  # a Telegram user's reply
    app.services.channels["discord"] = RecordingChannel("discord")
    clock.advance(GRACE + timedelta(seconds=1))
    assert await app.replies.run_once() == 0
    assert all(r.attempts == 0 for r in await _rows(app))


async def test_a_handler_bugs_apology_is_saved_with_the_claim(app: App) -> None:
    async def broken(ctx: Context) -> None:
        raise KeyError("internals")

    app.engine.router.command("boom", broken)
    channel = _with_channel(app)
    await app.runtime.process(event("/boom", event_id="bug-9"))
    assert "出了点问题" in texts(channel.sent)
    [row] = await _rows(app)
    assert row.event_id == "bug-9" and row.sent_at is not None


@contextlib.asynccontextmanager
async def _database_down(app: App, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    """Every event transaction fails as when the server is down or refuses connections."""
    original = Database.event

    @contextlib.asynccontextmanager
    async def refused(self: Database) -> AsyncIterator[Any]:
        raise OperationalError("connect", {}, ConnectionRefusedError("connection refused"))
        yield  # pragma: no cover

    monkeypatch.setattr(Database, "event", refused)
    try:
        yield
    finally:
        monkeypatch.setattr(Database, "event", original)


async def test_a_database_outage_leaves_the_event_to_be_redelivered(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: the event was marked handled (or not, silently) and answered with an apology,
    and the platform was told all was well. Now nothing is claimed, nothing is sent, and
    the adapter sees the failure; the redelivery after the outage is handled normally."""
    channel = _with_channel(app)
    async with _database_down(app, monkeypatch):
        with pytest.raises(EventNotRecorded):
            await app.runtime.process(event("/support", event_id="down-1"))
    assert channel.sent == []
    async with app.db.transaction() as session:
        assert (await session.execute(select(ProcessedEventRow))).first() is None
    await app.runtime.process(event("/support", event_id="down-1"))  # the platform's retry
    assert "出了点问题" not in texts(channel.sent) and channel.sent
    assert all(r.sent_at is not None for r in await _rows(app))


async def test_a_database_busy_past_the_retries_is_not_marked_handled(app: App) -> None:
    calls = 0

    async def locked(ctx: Context) -> None:
        nonlocal calls
        calls += 1
        raise OperationalError("UPDATE x", {}, Exception("database is locked"))

    app.engine.router.command("locked", locked)
    channel = _with_channel(app)
    with pytest.raises(EventNotRecorded):
        await app.runtime.process(event("/locked", event_id="busy-1"))
    assert calls == 5 and channel.sent == []
    async with app.db.transaction() as session:
        assert (await session.execute(select(ProcessedEventRow))).first() is None
    assert await _rows(app) == []
