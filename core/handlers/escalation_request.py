"""A user asks for a supervisor ("找主管", "一直没人回"): record the request on their open
ticket, where staff see it, and tell them where the ticket stands."""

from __future__ import annotations

from core.complaint.facts import local_time
from core.complaint.prompts import tz_of
from core.context import Context
from core.model import Button
from core.storage.tables import TicketEventRow
from core.tickets import service as tickets


async def request(ctx: Context) -> None:
    open_tickets = [
        t for t in await tickets.list_for_user(ctx.session, ctx.event.user.key)
        if t.status in {s.value for s in tickets.OPEN_STATUSES}
    ]  # fmt: skip
    if not open_tickets:
        button = Button(label=ctx.t("faq.complain"), payload="complain")
        ctx.reply(ctx.t("escalate.no_ticket"), ((button,),))
        return
    ticket = open_tickets[0]
    ctx.session.add(
        TicketEventRow(
            ticket_id=ticket.id,
            kind="escalation_requested",
            actor_key=ctx.event.user.key,
            detail={"message": ctx.event.text[:300]},
            created_at=ctx.now,
        )
    )
    overdue = ctx.now >= ticket.due_at
    key = "escalate.recorded_overdue" if overdue else "escalate.recorded"
    ctx.reply(ctx.t(key, ticket_no=ticket.ticket_no, due=local_time(ticket.due_at, tz_of(ctx))))
