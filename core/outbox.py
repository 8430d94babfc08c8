"""Transactional outbox: pushes to the shop are saved with the ticket change that caused
them and delivered afterwards by :class:`OutboxWorker`, retried until the shop accepts.

Delivery claims an item with a short lease in its own small transaction, calls the shop
outside any transaction (so a slow shop never holds a database lock), then records the
outcome. A process that dies mid-call leaves the lease to expire and the item is retried;
the idempotency key makes the shop accept it once, so nothing is lost and nothing doubles.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.metrics import Metrics
from core.shop import ShopError, ShopPort, ShopRejected, TicketPush
from core.storage.database import Database
from core.storage.event_transaction import EventTransaction
from core.storage.repository import insert_or_ignore_statement
from core.storage.tables import OutboxRow, TicketRow

log = logging.getLogger(__name__)

KIND_TICKET_PUSH = "ticket_push"
LEASE = timedelta(seconds=60)
MAX_BACKOFF = timedelta(minutes=10)


def ticket_payload(ticket: TicketRow, *, event: str, now: datetime) -> dict[str, Any]:
    return {
        "ticket_no": ticket.ticket_no,
        "event": event,
        "status": ticket.status,
        "category": ticket.category,
        "complexity": ticket.complexity,
        "user": ticket.user_key,
        "summary": ticket.summary,
        "fields": ticket.fields,
        "order_no": ticket.order_no,
        "occurred_at": now.isoformat(),
    }


async def enqueue(
    target: AsyncSession | EventTransaction,
    *,
    kind: str,
    key: str,
    payload: dict[str, Any],
    now: datetime,
) -> None:
    """Queue work in the caller's transaction; a repeated key is ignored (no duplicates)."""
    values = {
        "kind": kind,
        "idempotency_key": key,
        "payload": payload,
        "created_at": now,
        "next_attempt_at": now,
        "attempts": 0,
        "sent_at": None,
        "last_error": "",
    }
    if isinstance(target, EventTransaction):  # an inbound event's transaction
        await target.run(insert_or_ignore_statement(target.connection, OutboxRow), values)
    else:
        await target.execute(insert_or_ignore_statement(target, OutboxRow), values)


async def enqueue_ticket_push(
    target: AsyncSession | EventTransaction,
    ticket: TicketRow,
    *,
    event: str,
    now: datetime,
    seq: str = "",
) -> None:
    key = f"{ticket.ticket_no}:{event}{':' + seq if seq else ''}"
    payload = ticket_payload(ticket, event=event, now=now)
    await enqueue(target, kind=KIND_TICKET_PUSH, key=key, payload=payload, now=now)


def backoff(attempts: int) -> timedelta:
    """How long to wait before the next attempt (shop pushes and saved replies alike)."""
    return min(MAX_BACKOFF, timedelta(seconds=5 * 2 ** max(0, attempts - 1)))


def _push_from(payload: dict[str, Any]) -> TicketPush:
    occurred = payload.get("occurred_at")
    return TicketPush(
        ticket_no=payload["ticket_no"],
        event=payload["event"],
        status=payload["status"],
        category=payload["category"],
        complexity=payload["complexity"],
        user=payload["user"],
        summary=payload["summary"],
        fields=payload.get("fields") or {},
        order_no=payload.get("order_no", ""),
        occurred_at=datetime.fromisoformat(occurred) if occurred else None,
    )


class OutboxWorker:
    def __init__(
        self,
        db: Database,
        shop: ShopPort,
        clock: Clock,
        *,
        batch: int = 20,
        metrics: Metrics | None = None,
    ) -> None:
        self.db = db
        self.shop = shop
        self.clock = clock
        self.batch = batch
        self.metrics = metrics

    async def pending(self) -> int:
        """Items not yet delivered (the outbox depth)."""
        async with self.db.transaction() as session:
            query = select(OutboxRow.id).where(
                OutboxRow.sent_at.is_(None), OutboxRow.failed_at.is_(None)
            )
            return len((await session.execute(query)).all())

    async def _claim(self) -> list[OutboxRow]:
        now = self.clock.now()
        claimed: list[OutboxRow] = []
        async with self.db.transaction() as session:
            query = (
                select(OutboxRow)
                .where(
                    OutboxRow.sent_at.is_(None),
                    OutboxRow.failed_at.is_(None),
                    OutboxRow.next_attempt_at <= now,
                )
                .order_by(OutboxRow.id)
                .limit(self.batch)
                .with_for_update(skip_locked=True)
            )
            for row in (await session.execute(query)).scalars():
                row.attempts += 1
                row.next_attempt_at = now + LEASE  # the lease: others leave it alone meanwhile
                claimed.append(row)
        return claimed

    async def run_once(self) -> int:
        """Deliver what is due now; returns how many items the shop accepted."""
        delivered = 0
        for item in await self._claim():
            try:
                reference = await self._deliver(item)
            except ShopRejected as exc:
                self._count_error()
                await self._finish(item, failed=str(exc))
                log.error(
                    "outbox item %s rejected by the shop, giving up: %s", item.idempotency_key, exc
                )
            except ShopError as exc:
                self._count_error()
                await self._reschedule(item, str(exc))
                log.warning(
                    "outbox item %s not delivered (attempt %d): %s",
                    item.idempotency_key,
                    item.attempts,
                    exc,
                )
            except Exception as exc:  # a bug must not stop the other items
                await self._reschedule(item, f"{type(exc).__name__}: {exc}")
                log.exception("outbox item %s failed unexpectedly", item.idempotency_key)
            else:
                await self._finish(item, reference=reference)
                delivered += 1
        return delivered

    def _count_error(self) -> None:
        if self.metrics is not None:
            self.metrics.shop_errors.labels(operation="push_ticket").inc()

    async def _deliver(self, item: OutboxRow) -> str:
        if item.kind != KIND_TICKET_PUSH:
            raise ShopRejected(f"unknown outbox kind {item.kind!r}")
        return await self.shop.push_ticket(
            _push_from(item.payload), idempotency_key=item.idempotency_key
        )

    async def _finish(self, item: OutboxRow, *, reference: str = "", failed: str = "") -> None:
        now = self.clock.now()
        async with self.db.transaction() as session:
            values: dict[str, Any] = {"last_error": failed[:500]}
            values["failed_at" if failed else "sent_at"] = now
            await session.execute(update(OutboxRow).where(OutboxRow.id == item.id).values(**values))
            ticket_no = item.payload.get("ticket_no", "")
            if reference and ticket_no:
                await session.execute(
                    update(TicketRow)
                    .where(TicketRow.ticket_no == ticket_no, TicketRow.shop_ref == "")
                    .values(shop_ref=reference[:64])
                )

    async def _reschedule(self, item: OutboxRow, error: str) -> None:
        retry_at = self.clock.now() + backoff(item.attempts)
        async with self.db.transaction() as session:
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.id == item.id)
                .values(next_attempt_at=retry_at, last_error=error[:500])
            )

    async def run_forever(self, stop: asyncio.Event, *, interval: float = 2.0) -> None:
        """Deliver until ``stop`` is set; errors are logged and the loop goes on."""
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:
                log.exception("outbox pass failed; retrying in %.0fs", interval)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)
