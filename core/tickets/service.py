"""Creating and reading tickets. Every change is recorded in ``ticket_events`` and, where
the shop has a ticket API, queued in the outbox in the same transaction."""

from __future__ import annotations

import enum
import unicodedata
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core import outbox
from core.business_time import add_business_hours
from core.config import SlaConfig
from core.model import User
from core.storage.event_transaction import EventTransaction
from core.storage.tables import TicketEventRow, TicketRow, table_of

NUMBER_PREFIX = "T-"
NUMBER_OFFSET = 240000  # T-240001 is the first ticket: short, human-friendly, never reused


class TicketStatus(enum.StrEnum):
    OPEN = "open"
    WAITING_STAFF = "waiting_staff"
    WAITING_USER = "waiting_user"
    RESOLVED = "resolved"
    CLOSED = "closed"


OPEN_STATUSES = (TicketStatus.OPEN, TicketStatus.WAITING_STAFF, TicketStatus.WAITING_USER)
# The stored status values of a ticket that is done (rated, never relayed to again).
CLOSED_STATUSES = (TicketStatus.RESOLVED.value, TicketStatus.CLOSED.value)


class Complexity(enum.StrEnum):
    SIMPLE = "simple"  # first response due within sla.simple_first_response_hours
    COMPLEX = "complex"  # a plan due within sla.complex_plan_hours


@dataclass(frozen=True)
class NewTicket:
    user: User
    category: str
    complexity: Complexity
    summary: str
    order_no: str = ""
    enterprise: bool = False
    fields: Mapping[str, Any] = field(default_factory=dict)
    transcript: Sequence[Mapping[str, str]] = ()


def due_time(complexity: Complexity, created_at: datetime, sla: SlaConfig, tz: str) -> datetime:
    hours = (
        sla.simple_first_response_hours
        if complexity is Complexity.SIMPLE
        else sla.complex_plan_hours
    )
    return add_business_hours(created_at, hours, sla, tz)


def ticket_number(ticket_id: int) -> str:
    return f"{NUMBER_PREFIX}{NUMBER_OFFSET + ticket_id}"


def normalise_number(text: str) -> str:
    """ "t240001", "T-240001", "240001" → "T-240001"."""
    # Decimal digits of any script count by their value ("T-２４０００１"); "²" or "①" never
    # reach a lookup as such.
    folded = unicodedata.normalize("NFKC", text)
    digits = "".join(str(unicodedata.decimal(ch)) for ch in folded if ch.isdecimal())
    return f"{NUMBER_PREFIX}{digits}" if digits else ""


# Built once: a ticket is created in the event that confirms it (see EventTransaction).
_TICKETS = table_of(TicketRow)
_INSERT_TICKET = insert(_TICKETS)
_NUMBER_TICKET = (
    update(_TICKETS)
    .where(_TICKETS.c.id == bindparam("w_id"))
    .values(ticket_no=bindparam("v_ticket_no"))
)
_INSERT_TICKET_EVENT = insert(table_of(TicketEventRow))


async def create_ticket(
    store: EventTransaction, new: NewTicket, *, now: datetime, sla: SlaConfig, tz: str
) -> TicketRow:
    """Insert the ticket, its "created" event and the push to the shop, in the event's
    transaction. Returns the ticket as a detached row (for reading: replies, staff card)."""
    values: dict[str, Any] = {
        "ticket_no": f"~{uuid.uuid4().hex[:24]}",  # replaced by the number once the id exists
        "user_key": new.user.key,
        "platform": new.user.platform,
        # A name people read; never the platform:id key (screens add the handle themselves).
        "user_name": (new.user.display_name or new.user.username)[:256],
        "category": new.category,
        "complexity": new.complexity.value,
        "status": TicketStatus.OPEN.value,
        "order_no": new.order_no,
        "enterprise": new.enterprise,
        "summary": new.summary[:2000],
        "fields": dict(new.fields),
        "transcript": [dict(entry) for entry in new.transcript],
        "created_at": now,
        "updated_at": now,
        "due_at": due_time(new.complexity, now, sla, tz),
        "first_response_at": None,
        "closed_at": None,
        "escalation_level": 0,
        "assignee_key": "",
        "shop_ref": "",
    }
    ticket_id = await store.insert(_INSERT_TICKET, values)
    values["ticket_no"] = ticket_number(ticket_id)
    await store.run(_NUMBER_TICKET, {"w_id": ticket_id, "v_ticket_no": values["ticket_no"]})
    row = TicketRow(id=ticket_id, **values)
    event = {
        "ticket_id": ticket_id,
        "kind": "created",
        "actor_key": new.user.key,
        "detail": {"status": row.status, "due_at": row.due_at.isoformat()},
        "created_at": now,
    }
    await store.insert(_INSERT_TICKET_EVENT, event)
    await outbox.enqueue_ticket_push(store, row, event="created", now=now)
    return row


# Asked before every new ticket and at every complaint start: built once (see
# EventTransaction.scalar).
# (OR of equalities rather than IN: an IN list is expanded per execution, see sqlite_compiled.)
_COUNT_OPEN = select(func.count()).where(
    TicketRow.user_key == bindparam("user_key"),
    or_(*(TicketRow.status == status.value for status in OPEN_STATUSES)),
)


async def count_open(store: EventTransaction, user_key: str) -> int:
    """How many of the user's tickets are not closed yet (the per-user limit counts them)."""
    return int(await store.scalar(_COUNT_OPEN, {"user_key": user_key}))


async def list_for_user(
    session: AsyncSession, user_key: str, *, limit: int = 10
) -> list[TicketRow]:
    query = (
        select(TicketRow)
        .where(TicketRow.user_key == user_key)
        .order_by(TicketRow.id.desc())
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def latest_open(session: AsyncSession, user_key: str) -> TicketRow | None:
    """The user's most recent ticket that is still open, if any."""
    query = (
        select(TicketRow)
        .where(
            TicketRow.user_key == user_key, TicketRow.status.in_([s.value for s in OPEN_STATUSES])
        )
        .order_by(TicketRow.id.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def find_open_by_question(
    session: AsyncSession, user_key: str, source: str, question_key: str
) -> TicketRow | None:
    """The user's open ticket from ``source`` that holds the same question, if any.

    A user has few open tickets (``tickets.max_open_per_user``), so they are compared here
    rather than by a JSON query that each database spells differently.
    """
    query = (
        select(TicketRow)
        .where(
            TicketRow.user_key == user_key, TicketRow.status.in_([s.value for s in OPEN_STATUSES])
        )
        .order_by(TicketRow.id.desc())
    )
    for ticket in (await session.execute(query)).scalars():
        fields = ticket.fields or {}
        if fields.get("source") == source and fields.get("question_key") == question_key:
            return ticket
    return None


async def get_by_number(session: AsyncSession, ticket_no: str) -> TicketRow | None:
    query = select(TicketRow).where(TicketRow.ticket_no == ticket_no)
    return (await session.execute(query)).scalar_one_or_none()


async def history(session: AsyncSession, ticket_id: int) -> list[TicketEventRow]:
    query = (
        select(TicketEventRow)
        .where(TicketEventRow.ticket_id == ticket_id)
        .order_by(TicketEventRow.id)
    )
    return list((await session.execute(query)).scalars())


async def record_change(
    session: AsyncSession,
    ticket: TicketRow,
    *,
    kind: str,
    actor_key: str,
    now: datetime,
    status: TicketStatus | None = None,
    **detail: Any,
) -> TicketEventRow:
    """Apply a status change (if any), append it to the history and queue the shop update."""
    if status is not None:
        detail.setdefault("from", ticket.status)
        detail["to"] = status.value
        ticket.status = status.value
    ticket.updated_at = now
    event = TicketEventRow(
        ticket_id=ticket.id, kind=kind, actor_key=actor_key, detail=detail, created_at=now
    )
    session.add(event)
    await session.flush()
    await outbox.enqueue_ticket_push(session, ticket, event="updated", now=now, seq=str(event.id))
    return event


def append_transcript(ticket: TicketRow, who: str, text: str) -> None:
    """Add a message to the ticket's transcript (a new list: JSON columns track identity)."""
    from core.masking import mask_sensitive

    ticket.transcript = [
        *(ticket.transcript or []),
        {"from": who, "text": mask_sensitive(text)[:1000]},
    ]
