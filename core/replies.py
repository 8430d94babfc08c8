"""The reply outbox: every action an inbound event decides is sent at least once.

The engine writes the event's actions (:func:`record_replies`) in the event's own
transaction, next to its claim and its state change, so they commit or vanish together.
After the commit, :meth:`core.runtime.Runtime.process` sends them and marks them sent
(:func:`mark_sent`, one small UPDATE per event, after all its actions went out). A process
that dies between the commit and the mark leaves rows unsent; :class:`ReplyWorker` (in every
running bot, leased like ``core.outbox``, safe with several processes) sends what is still
unsent once the live delivery's grace period is over.

What this gives: a reply decided by a committed event reaches the platform at least once.
It can arrive twice only when a process dies after the platform took it and before the mark
was written (or when a live send outlasts the grace period); no platform lets the bot ask
"did this message arrive?", so that window stays. A redelivered event is dropped by its
claim as before: its replies were saved with the claim, so they are sent anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from core.action_codec import decode_action, encode_action
from core.clock import Clock
from core.model import Action, Event
from core.outbox import LEASE, backoff  # the shop outbox's lease and back-off, shared
from core.ports import ChannelPort
from core.storage.database import Database
from core.storage.event_transaction import EventTransaction
from core.storage.tables import ReplyOutboxRow, table_of

log = logging.getLogger(__name__)

# The live delivery's turn: the sweeper leaves a reply alone this long after its commit.
GRACE = timedelta(seconds=30)
MAX_ATTEMPTS = 6

_TABLE = table_of(ReplyOutboxRow)
INSERT_REPLY = insert(_TABLE)


@dataclass(frozen=True, slots=True)
class Pending:
    """A saved reply: its row id (to mark it sent) and the action."""

    id: int
    action: Action


async def record_replies(
    store: EventTransaction, event: Event, actions: Sequence[Action], now: datetime
) -> list[Pending]:
    """Save ``actions`` in the event's transaction (one prebuilt INSERT each)."""
    pending: list[Pending] = []
    due = now + GRACE
    for seq, action in enumerate(actions):
        values = {
            "platform": action.platform,
            "event_platform": event.platform,
            "event_id": event.event_id,
            "seq": seq,
            "action": encode_action(action),
            "created_at": now,
            "next_attempt_at": due,
            "attempts": 0,
            "sent_at": None,
            "failed_at": None,
            "last_error": "",
        }
        pending.append(Pending(await store.insert(INSERT_REPLY, values), action))
    return pending


# Run after every event that answered: built once, on a Core connection (no ORM session).
_MARK_SENT = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("reply_id"))
    .values(sent_at=bindparam("sent_at"))
)


async def mark_sent(db: Database, ids: Iterable[int], now: datetime) -> None:
    """Record that these replies reached their platform (one small transaction)."""
    params = [{"reply_id": reply_id, "sent_at": now} for reply_id in ids]
    if not params:
        return
    async with db.connection() as conn:
        await conn.execute(_MARK_SENT, params)


@dataclass(frozen=True, slots=True)
class _Claimed:
    id: int
    attempts: int
    action: dict[str, Any]


class ReplyWorker:
    """Sends saved replies that stayed unsent past the grace period (a crash, a failed send).

    Takes only rows of platforms this process has a channel for, under a lease, in the order
    they were saved; a send that fails is retried with back-off, at most ``MAX_ATTEMPTS``
    times (then the row is marked failed and logged)."""

    def __init__(
        self,
        db: Database,
        channels: Mapping[str, ChannelPort],
        clock: Clock,
        *,
        batch: int = 50,
    ) -> None:
        self.db = db
        self.channels = channels
        self.clock = clock
        self.batch = batch

    async def _claim(self) -> list[_Claimed]:
        platforms = sorted(self.channels)
        if not platforms:
            return []
        now = self.clock.now()
        claimed: list[_Claimed] = []
        async with self.db.transaction() as session:
            query = (
                select(ReplyOutboxRow)
                .where(
                    ReplyOutboxRow.sent_at.is_(None),
                    ReplyOutboxRow.failed_at.is_(None),
                    ReplyOutboxRow.next_attempt_at <= now,
                    ReplyOutboxRow.platform.in_(platforms),
                )
                .order_by(ReplyOutboxRow.id)
                .limit(self.batch)
                .with_for_update(skip_locked=True)
            )
            for row in (await session.execute(query)).scalars():
                row.attempts += 1
                row.next_attempt_at = now + LEASE
                claimed.append(_Claimed(row.id, row.attempts, row.action))
        return claimed

    async def run_once(self) -> int:
        """Send what is due; returns how many replies went out."""
        sent: list[int] = []
        for item in await self._claim():
            try:
                action = decode_action(item.action)
                channel = self.channels[action.platform]
                await channel.send(action)
            except Exception as exc:
                await self._failed(item, f"{type(exc).__name__}: {exc}")
            else:
                sent.append(item.id)
        await mark_sent(self.db, sent, self.clock.now())
        if sent:
            log.info("sent %d saved replies that had been left unsent", len(sent))
        return len(sent)

    async def _failed(self, item: _Claimed, error: str) -> None:
        now = self.clock.now()
        values: dict[str, Any] = {"last_error": error[:500]}
        if item.attempts >= MAX_ATTEMPTS:
            values["failed_at"] = now
            log.error("reply %d not sent after %d attempts, given up: %s", item.id,
                      item.attempts, error)  # fmt: skip
        else:
            values["next_attempt_at"] = now + backoff(item.attempts)
            log.warning("reply %d not sent (attempt %d): %s", item.id, item.attempts, error)
        async with self.db.transaction() as session:
            await session.execute(
                update(ReplyOutboxRow).where(ReplyOutboxRow.id == item.id).values(**values)
            )

    async def run_forever(self, stop: asyncio.Event, *, interval: float = 2.0) -> None:
        """Sweep until ``stop`` is set; errors are logged and the loop goes on."""
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:
                log.exception("reply sweep failed; retrying in %.0fs", interval)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)
