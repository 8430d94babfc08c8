"""``/ticket`` lists the user's tickets; ``/ticket <no>`` shows one to its owner or staff."""

from __future__ import annotations

from core.complaint.categories import label
from core.complaint.facts import local_time
from core.complaint.prompts import tz_of
from core.context import Context
from core.storage.tables import TicketRow
from core.tickets import service as tickets


def _status(ctx: Context, ticket: TicketRow) -> str:
    return ctx.t(f"ticket.status.{ticket.status}")


async def on_ticket(ctx: Context) -> None:
    arg = ctx.event.args.strip()
    tz = tz_of(ctx)
    if not arg:
        rows = await tickets.list_for_user(ctx.session, ctx.event.user.key)
        if not rows:
            ctx.send_private(ctx.t("ticket.none"))
            return
        lines = [ctx.t("ticket.list_title")]
        for row in rows:
            lines.append(
                f"{row.ticket_no} · {label(row.category, ctx.locale)} · {_status(ctx, row)} · "
                f"{local_time(row.created_at, tz, locale=ctx.locale)}"
            )
        ctx.send_private("\n".join(lines))
        return
    number = tickets.normalise_number(arg)
    found = await tickets.get_by_number(ctx.session, number) if number else None
    if found is None or not (found.user_key == ctx.event.user.key or ctx.is_staff()):
        ctx.send_private(ctx.t("ticket.not_found", ticket_no=(number or arg)[:20]))
        return
    row = found
    ctx.send_private(
        ctx.t(
            "ticket.detail",
            ticket_no=row.ticket_no,
            status=_status(ctx, row),
            category=label(row.category, ctx.locale),
            created=local_time(row.created_at, tz, locale=ctx.locale),
            due=local_time(row.due_at, tz, locale=ctx.locale),
            summary=row.summary,
        )
    )
