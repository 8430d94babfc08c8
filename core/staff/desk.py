"""Where staff see tickets: the ticket card posted to every staff chat, and who counts as staff."""

from __future__ import annotations

from datetime import datetime

from core.complaint.categories import label
from core.complaint.facts import describe_order, local_time
from core.complaint.prompts import tz_of
from core.context import Context
from core.model import Attachment, Button, ButtonRows, NotifyStaff
from core.storage.tables import TicketRow

TRANSCRIPT_LINES = 8


def destinations(ctx: Context) -> list[str]:
    config = ctx.services.config
    return config.staff.destinations(config)


def in_staff_chat(ctx: Context) -> bool:
    return ctx.event.chat.key in destinations(ctx)


def staff_buttons(ctx: Context, ticket_no: str) -> ButtonRows:
    return (
        (
            Button(label=ctx.t("staff.btn_claim"), payload=f"staff:claim:{ticket_no}"),
            Button(label=ctx.t("staff.btn_reply"), payload=f"staff:reply:{ticket_no}"),
        ),
        (
            Button(label=ctx.t("staff.btn_escalate"), payload=f"staff:escalate:{ticket_no}"),
            Button(label=ctx.t("staff.btn_close"), payload=f"staff:close:{ticket_no}"),
        ),
    )


def ticket_card(ctx: Context, ticket: TicketRow) -> str:
    """Everything staff need, so nobody has to ask the user again."""
    tz = tz_of(ctx)
    fields = ticket.fields or {}
    promise = "simple" if ticket.complexity == "simple" else "complex"
    lines = [
        ctx.t(
            "staff.card_title",
            ticket_no=ticket.ticket_no,
            enterprise="🏢 " if ticket.enterprise else "",
        ),
        ctx.t(f"staff.card_{promise}", due=local_time(ticket.due_at, tz)),
        ctx.t("staff.card_user", user=ticket.user_name, key=ticket.user_key),
        ctx.t("staff.card_category", category=label(ticket.category, "zh")),
    ]
    if fields.get("order"):
        lines.append(ctx.t("staff.card_order", order=describe_order(fields["order"], tz, "zh")))
    elif ticket.order_no:
        unverified = ctx.t("staff.card_unverified") if fields.get("order_unverified") else ""
        lines.append(ctx.t("staff.card_order", order=ticket.order_no + unverified))
    if fields.get("when"):
        lines.append(
            ctx.t("staff.card_when", when=local_time(datetime.fromisoformat(fields["when"]), tz))
        )
    if fields.get("error"):
        lines.append(ctx.t("staff.card_error", error=fields["error"]))
    if fields.get("question"):
        lines.append(ctx.t("staff.card_question", question=fields["question"]))
    if fields.get("screenshot"):
        lines.append(ctx.t("staff.card_screenshot", ref=fields["screenshot"].get("ref", "")))
    lines.append(ctx.t("staff.card_summary", summary=ticket.summary))
    transcript = (ticket.transcript or [])[-TRANSCRIPT_LINES:]
    if transcript:
        lines.append(ctx.t("staff.card_transcript"))
        who = {"user": "用户", "bot": "机器人", "staff": "客服"}
        lines += [
            f"  {who.get(entry.get('from', ''), '?')}:{entry.get('text', '')[:120]}"
            for entry in transcript
        ]
    return "\n".join(lines)


def announce_new_ticket(ctx: Context, ticket: TicketRow) -> None:
    """Post the ticket card to every staff chat (staff on any platform can take it)."""
    text = ticket_card(ctx, ticket)
    for destination in destinations(ctx):
        ctx.actions.append(
            NotifyStaff(
                destination=destination,
                text=text,
                buttons=staff_buttons(ctx, ticket.ticket_no),
                ticket_no=ticket.ticket_no,
            )
        )


def tell_staff(
    ctx: Context, ticket_no: str, text: str, attachments: tuple[Attachment, ...] = ()
) -> None:
    """Post to every staff chat; files go along to chats on the platform they came from."""
    source = ctx.event.platform
    for destination in destinations(ctx):
        same_platform = destination.partition(":")[0] == source
        ctx.actions.append(
            NotifyStaff(
                destination=destination,
                text=text,
                ticket_no=ticket_no,
                attachments=attachments if same_platform else (),
            )
        )
