"""The SLA clock and the escalation chain (客服主管 → 技术团队 → 运营总监 by default).

A ticket waiting for staff (``open`` or ``waiting_staff``) past its due time moves to the next
level of ``[[escalation.levels]]``: that level's chats or people are notified, the user is
told, the ticket gets a new due time (``after_hours`` of that level), and the history records
who was notified when. The level is raised with a compare-and-set update (``WHERE
escalation_level = <old>``), so with several bot processes on one database each breach
escalates exactly once, whichever process sees it first.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.business_time import add_business_hours
from core.config import Config
from core.metrics import Metrics
from core.model import Action, NotifyStaff, SendPrivate, User
from core.services import Services
from core.storage.tables import ConversationRow, TicketRow
from core.texts import Texts
from core.tickets import service as tickets

log = logging.getLogger(__name__)

WAITING_FOR_STAFF = (tickets.TicketStatus.OPEN.value, tickets.TicketStatus.WAITING_STAFF.value)
BOT = "bot"


async def escalate(
    session: AsyncSession,
    ticket: TicketRow,
    *,
    config: Config,
    texts: Texts,
    now: datetime,
    actor_key: str = BOT,
    reason: str = "sla",
    metrics: Metrics | None = None,
) -> list[Action]:
    """Raise ``ticket`` one level; [] when it is at the top or another process got there first."""
    levels = config.escalation.levels
    current = ticket.escalation_level
    if current >= len(levels):
        return []
    level = levels[current]
    new_due = add_business_hours(now, level.after_hours, config.sla, config.conversation.timezone)
    result = await session.execute(
        update(TicketRow)
        .where(TicketRow.id == ticket.id, TicketRow.escalation_level == current)
        .values(escalation_level=current + 1, due_at=new_due, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return []
    await session.refresh(ticket)
    if metrics is not None:
        metrics.escalations.labels(reason=reason).inc()
    destinations = level.notify or config.staff.destinations(config)
    await tickets.record_change(
        session,
        ticket,
        kind="escalated",
        actor_key=actor_key,
        now=now,
        level=current + 1,
        level_name=level.name,
        notified=destinations,
        reason=reason,
    )
    log.info(
        "ticket %s escalated to level %d (%s) by %s; notified %s",
        ticket.ticket_no, current + 1, level.name, actor_key, destinations,
    )  # fmt: skip
    staff = config.conversation.default_locale  # staff read the shop's language
    staff_text = texts.get(
        "sla.staff_alert",
        staff,
        ticket_no=ticket.ticket_no,
        level=level.name,
        reason=texts.get(f"sla.reason_{reason}", staff),
        summary=ticket.summary,
    )
    actions: list[Action] = [
        NotifyStaff(destination=d, text=staff_text, ticket_no=ticket.ticket_no)
        for d in destinations
    ]
    user = User.from_key(ticket.user_key, ticket.user_name)
    conversation = await session.get(ConversationRow, ticket.user_key)
    locale = texts.locale_for(conversation.locale if conversation is not None else "")
    actions.append(
        SendPrivate(
            user=user,
            text=texts.get("sla.user_notice", locale, ticket_no=ticket.ticket_no, level=level.name),
        )
    )
    return actions


async def escalate_breached(services: Services, *, limit: int = 100) -> list[Action]:
    """One pass of the SLA clock: escalate every breached ticket by one level."""
    now = services.clock.now()
    levels = len(services.config.escalation.levels)
    async with services.db.transaction() as session:
        query = (
            select(TicketRow.id)
            .where(
                TicketRow.status.in_(WAITING_FOR_STAFF),
                TicketRow.due_at <= now,
                TicketRow.escalation_level < levels,
            )
            .order_by(TicketRow.due_at)
            .limit(limit)
        )
        due_ids = list((await session.execute(query)).scalars())
    actions: list[Action] = []
    for ticket_id in due_ids:
        async with services.db.transaction() as session:
            ticket = await session.get(TicketRow, ticket_id)
            if ticket is None or ticket.status not in WAITING_FOR_STAFF or ticket.due_at > now:
                continue
            actions += await escalate(
                session,
                ticket,
                config=services.config,
                texts=services.texts,
                now=now,
                metrics=services.metrics,
            )
    return actions
