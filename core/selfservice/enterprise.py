"""The enterprise route (企业批量采购): dedicated consultant for listed buyers and bulk orders."""

from __future__ import annotations

from core.context import Context
from core.model import NotifyStaff
from core.people import person


def is_enterprise_user(ctx: Context) -> bool:
    return ctx.event.user.key in ctx.services.config.enterprise.buyers


def enterprise_lines(ctx: Context) -> list[str]:
    """The consultant's contact, or the general channels when none is configured."""
    config = ctx.services.config.enterprise
    if config.contact:
        return [ctx.t("enterprise.contact", consultant=config.consultant, contact=config.contact)]
    return [ctx.t("enterprise.no_contact")]


def notify_consultant(ctx: Context, ticket_no: str, summary: str) -> None:
    """Enterprise tickets skip the queue: the consultant hears about them at once."""
    user = ctx.event.user
    for destination in ctx.services.config.enterprise.notify:
        ctx.actions.append(
            NotifyStaff(
                destination=destination,
                text=ctx.t(
                    "enterprise.staff_alert",
                    ticket_no=ticket_no,
                    user=person(
                        ctx.services.texts,
                        ctx.locale,
                        user.platform,
                        user.id,
                        user.display_name,
                        user.username,
                    ),
                    summary=summary,
                ),
                ticket_no=ticket_no,
            )
        )
