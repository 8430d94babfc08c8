"""The callback endpoint: challenge, signatures, tokens, de-duplication, fast answers."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from adapters.feishu.inbound import Callback
from core.model import Event
from core.storage.database import Database
from core.storage.tables import ProcessedEventRow
from tests.fakes.feishu_api import VERIFICATION_TOKEN
from tests.feishu.callbacks import bot_mention, message_event
from tests.feishu.conftest import ALICE, GROUP, Feishu


def challenge(token: str = VERIFICATION_TOKEN) -> dict[str, str]:
    return {"challenge": "ajls384kdjx98XX", "token": token, "type": "url_verification"}


async def test_url_verification_plain_and_encrypted(feishu: Feishu) -> None:
    plain = await feishu.post(challenge(), encrypted=False, signed=False)
    assert plain == (200, {"challenge": "ajls384kdjx98XX"})
    encrypted = await feishu.post(challenge(), encrypted=True, signed=False)
    assert encrypted == (200, {"challenge": "ajls384kdjx98XX"})
    signed = await feishu.post(challenge(), encrypted=True, signed=True)
    assert signed == (200, {"challenge": "ajls384kdjx98XX"})
    status, _ = await feishu.post(challenge("wrong-token"), encrypted=True, signed=False)
    assert status == 403
    assert feishu.api.calls == [c for c in feishu.api.calls if c.path.endswith("/bot/v3/info")]


async def test_bad_signature_is_rejected_and_nothing_is_processed(feishu: Feishu) -> None:
    event = message_event(ALICE, {"text": "/support"}, event_id="evt-bad-signature")
    status, _ = await feishu.post(event, signature="0" * 64)
    assert status == 401
    status, _ = await feishu.post(event, signed=False)  # unsigned events are refused too
    assert status == 401
    assert feishu.api.sends() == []
    async with feishu.app.db.transaction() as session:
        rows = (await session.execute(select(ProcessedEventRow))).scalars().all()
    assert rows == []
    # The genuine delivery of the same event is still handled: the forgery marked nothing.
    [reply] = await feishu.exchange(event)
    assert "官方" in reply.text


async def test_wrong_verification_token_is_rejected(feishu: Feishu) -> None:
    event = message_event(ALICE, {"text": "/support"})
    event["header"]["token"] = "someone-else"
    status, _ = await feishu.post(event)
    assert status == 403
    assert feishu.api.sends() == []


async def test_undecryptable_body_is_rejected(feishu: Feishu) -> None:
    # Signed, but not encrypted with our key: a misconfiguration, refused without handling.
    status, _ = await feishu.post({"encrypt": "bm90IGVuY3J5cHRlZA=="}, encrypted=False)
    assert status == 400
    status, _ = await feishu.post(
        {"encrypt": "bm90IGVuY3J5cHRlZA=="}, signed=False, encrypted=False
    )
    assert status == 401
    assert feishu.api.sends() == []


async def test_a_stale_or_future_signed_callback_is_refused(feishu: Feishu) -> None:
    """A genuine, correctly signed callback captured and replayed later (or stamped ahead)
    is refused with 401 and nothing is handled; the same event sent now is handled."""
    event = message_event(ALICE, {"text": "/support"}, event_id="evt-replayed")
    now = int(time.time())
    for stamp in (
        now - 301,  # just outside the default 5-minute window
        now - 6 * 3600,
        now - 3 * 365 * 86400,
        now + 301,  # far future
        0,
        "not-a-number",
        "nan",
        "1e400",
    ):
        status, answer = await feishu.post(event, timestamp=str(stamp))
        assert (status, answer) == (401, {"msg": "stale timestamp"}), stamp
    assert feishu.api.sends() == []
    async with feishu.app.db.transaction() as session:
        rows = (await session.execute(select(ProcessedEventRow))).scalars().all()
    assert rows == []
    # Within the window (a slow network, a slightly fast clock) it is fine.
    [reply] = await feishu.exchange(event)
    assert "官方" in reply.text
    status, _ = await feishu.post(
        message_event(ALICE, {"text": "/support"}), timestamp=str(now - 200)
    )
    assert status == 200


@pytest.mark.parametrize("feishu_settings", [{"max_clock_skew_seconds": 30}])
async def test_the_clock_skew_window_is_configurable(feishu: Feishu) -> None:
    now = int(time.time())
    status, _ = await feishu.post(
        message_event(ALICE, {"text": "/support"}), timestamp=str(now - 60)
    )
    assert status == 401  # fine with the default 300 s, too old with 30 s
    assert feishu.api.sends() == []
    [reply] = await feishu.exchange(message_event(ALICE, {"text": "/support"}))
    assert "官方" in reply.text


async def test_a_retried_event_is_handled_once(feishu: Feishu) -> None:
    event = message_event(ALICE, {"text": "/support"}, event_id="evt-dup-1")
    first = await feishu.exchange(event)
    again = await feishu.exchange(event)  # Feishu retries with a new signature and nonce
    assert len(first) == 1 and again == []
    async with feishu.app.db.transaction() as session:
        row = await session.get(ProcessedEventRow, ("feishu", "evt-dup-1"))
    assert row is not None  # the core de-duplicates by Feishu's event id across restarts


async def test_answers_once_the_event_is_recorded_and_sends_after(feishu: Feishu) -> None:
    started = time.monotonic()
    status, answer = await feishu.callbacks.post(
        message_event(
            ALICE,
            {"text": "@_user_1 售后在哪"},
            chat_id=GROUP,
            mentions=[bot_mention()],
            event_id="evt-rec-1",
        )
    )
    assert status == 200 and answer == {}
    assert time.monotonic() - started < 1.0
    async with feishu.app.db.transaction() as session:  # recorded before the 200
        assert await session.get(ProcessedEventRow, ("feishu", "evt-rec-1")) is not None
    await feishu.adapter.drain()
    assert feishu.api.sends()


async def test_one_failing_event_does_not_affect_others(feishu: Feishu) -> None:
    original = feishu.adapter.mapper.events
    calls = 0

    async def flaky(callback: Callback) -> list[Event]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("boom")
        return await original(callback)

    feishu.adapter.mapper.events = flaky  # type: ignore[method-assign]
    await asyncio.gather(
        feishu.callbacks.post(message_event(ALICE, {"text": "/support"})),
        feishu.callbacks.post(message_event(ALICE, {"text": "/help"})),
    )
    await feishu.adapter.drain()
    assert calls == 2 and len(feishu.api.sends()) == 1
    assert feishu.adapter.healthy()


async def test_an_event_the_database_cannot_record_is_not_acknowledged(
    feishu: Feishu, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: Feishu got its 200 at once, whatever became of the event. Now a database
    that cannot record it gets 503 (Feishu retries), and the retry is handled once."""
    original = Database.event

    @contextlib.asynccontextmanager
    async def refused(self: Database) -> AsyncIterator[Any]:
        raise OperationalError("connect", {}, ConnectionRefusedError("connection refused"))
        yield  # pragma: no cover

    monkeypatch.setattr(Database, "event", refused)
    event = message_event(ALICE, {"text": "/support"}, event_id="evt-down-1")
    status, _ = await feishu.callbacks.post(event)
    assert status == 503
    await feishu.adapter.drain()
    assert feishu.api.sends() == []
    monkeypatch.setattr(Database, "event", original)
    [reply] = await feishu.exchange(event)  # Feishu's retry
    assert "官方" in reply.text
    assert await feishu.exchange(event) == []  # and once only
