"""Express reissue (极速补发): one button, executed exactly once per order.

The first request for an order is stored (``reissue_requests``) with the shop's answer, and
the shop gets an idempotency key derived from the order number: pressing the button twice,
on two devices or after a restart, never reissues twice. Not eligible: straight into the
complaint flow with the order already filled in.
"""

from __future__ import annotations

import logging

from core.context import Context
from core.selfservice.ratelimit import allow_lookup
from core.shop import OrderStatus, RechargeStatus, ShopError
from core.storage.tables import ReissueRequestRow

log = logging.getLogger(__name__)


def idempotency_key(order_no: str) -> str:
    return f"reissue:{order_no}"


class NotTheBuyer(Exception):
    """The shop says the order belongs to other accounts than the presser."""


async def _eligible(ctx: Context, order_no: str) -> tuple[bool, str]:
    """(eligible, complaint category) from what the shop says now."""
    shop = ctx.services.shop
    order = await shop.get_order(order_no)
    if order is None:
        return False, "not_delivered"
    if order.buyers and ctx.event.user.key not in order.buyers:
        raise NotTheBuyer(order_no)
    if order.delivery_type == "manual_topup":
        recharge = await shop.get_recharge(order_no)
        ok = (
            recharge is not None
            and recharge.status is RechargeStatus.FAILED
            and recharge.reissue_eligible
        )
        return ok, "recharge_failed"
    return order.status is OrderStatus.FAILED and order.reissue_eligible, "not_delivered"


async def on_reissue_button(ctx: Context) -> None:
    """The reissue button of an order lookup. Only the user it was offered to may press it
    (a forged or forwarded payload is refused), and the shop's answer counts against the
    user's lookup limit like any other question about an order."""
    payload = ctx.bound_payload()
    if payload is None:
        ctx.send_private(ctx.t("button.not_yours"))
        return
    order_no = payload.partition(":")[2][:64]
    if not order_no:
        return
    previous = await ctx.session.get(ReissueRequestRow, order_no)
    if previous is not None:
        key = "reissue.already_accepted" if previous.accepted else "reissue.already_declined"
        ctx.send_private(ctx.t(key, order_no=order_no, reference=previous.reference or "—"))
        return
    if not await allow_lookup(ctx, "reissue"):
        return
    try:
        eligible, category = await _eligible(ctx, order_no)
        if not eligible:
            ctx.send_private(ctx.t("reissue.not_eligible", order_no=order_no))
            await _start_complaint(ctx, category, order_no)
            return
        result = await ctx.services.shop.request_reissue(
            order_no, idempotency_key=idempotency_key(order_no)
        )
    except NotTheBuyer:
        log.info("reissue of an order refused: %s is not its buyer", ctx.event.user.key)
        ctx.send_private(ctx.t("reissue.not_the_buyer", order_no=order_no))
        return
    except ShopError as exc:
        log.warning("reissue of an order failed: %s", exc)
        ctx.services.metrics.shop_errors.labels(operation="reissue").inc()
        ctx.send_private(ctx.t("reissue.shop_down"))
        return
    ctx.session.add(
        ReissueRequestRow(
            order_no=order_no,
            user_key=ctx.event.user.key,
            idempotency_key=idempotency_key(order_no),
            accepted=result.accepted,
            reference=result.reference[:64],
            message=result.message[:500],
            created_at=ctx.now,
        )
    )
    log.info(
        "express reissue of %s: accepted=%s ref=%s", order_no, result.accepted, result.reference
    )
    if result.accepted:
        ctx.send_private(
            ctx.t("reissue.accepted", order_no=order_no, reference=result.reference or "—")
        )
    else:
        ctx.send_private(
            ctx.t("reissue.declined", order_no=order_no, message=result.message or "—")
        )
        await _start_complaint(ctx, category, order_no)


async def _start_complaint(ctx: Context, category: str, order_no: str) -> None:
    if not ctx.in_private:
        return
    from core.complaint.flow import ComplaintFlow

    await ComplaintFlow().start_prefilled(ctx, category, order_no)
