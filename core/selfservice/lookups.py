"""``/order <no>``, ``/card <key>``, ``/recharge <no>``: the shop's answer in plain words and
what to do next. Answers are personal, so in a group they go to the private chat (the group
gets a short note) and a message that exposed a card key is deleted where the bot may.

An order number or card key pasted on its own in private is looked up the same way
(:func:`answer_pasted_identifier`). Every screen reads an order through the same facts
(:mod:`core.complaint.facts`): one purchase time, one way of writing times, and a top-up's
progress subject to its order's status."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

from core.cardkeys import fold
from core.complaint.facts import keys_in_bulk, local_time, recharge_overruled
from core.complaint.prompts import tz_of
from core.complaint.steps import extract_order_number, whole_order_number
from core.context import Context
from core.masking import mask_card_key
from core.model import Button, ButtonRows, DeleteMessage
from core.selfservice.enterprise import enterprise_lines, is_enterprise_user
from core.selfservice.ratelimit import allow_lookup
from core.shop import (
    CardStatus,
    DeliveryType,
    Order,
    OrderStatus,
    Recharge,
    RechargeStatus,
    ShopError,
)

log = logging.getLogger(__name__)

T = TypeVar("T")


def complain_button(ctx: Context, order_no: str = "", category: str = "") -> Button:
    """Start a complaint; pre-filled with the order, for this user only (``core.binding``)."""
    payload = ctx.bind(f"complain:{category}:{order_no}") if category else "complain"
    return Button(label=ctx.t("lookup.complain_button"), payload=payload)


def reissue_button(ctx: Context, order_no: str) -> Button:
    """Express reissue of an order this user looked up, for this user only."""
    return Button(label=ctx.t("lookup.reissue_button"), payload=ctx.bind(f"reissue:{order_no}"))


def _answer(ctx: Context, text: str, buttons: ButtonRows = ()) -> None:
    """Personal answers: in private; a group only hears that the answer went there."""
    ctx.send_private(text, buttons)
    if not ctx.in_private:
        ctx.reply(ctx.t("lookup.answered_in_private"))
        if ctx.event.message_id and _exposes_a_key(ctx):
            ctx.actions.append(DeleteMessage(chat=ctx.event.chat, message_id=ctx.event.message_id))


def _exposes_a_key(ctx: Context) -> bool:
    """A key of the shop's formats, or whatever the user gave ``/card`` (a key to them)."""
    event = ctx.event
    typed_card = event.command == "card" and event.text.startswith("/") and event.args.strip()
    return bool(typed_card) or ctx.services.card_keys.contains(event.text)


async def _ask_shop(ctx: Context, operation: str, call: Awaitable[T]) -> tuple[bool, T | None]:
    """(True, answer) — or (False, None) after telling the user the shop is unreachable."""
    try:
        return True, await call
    except ShopError as exc:
        log.warning("%s lookup failed: %s", operation, exc)
        ctx.services.metrics.shop_errors.labels(operation=operation).inc()
        _answer(ctx, ctx.t("lookup.shop_down"), ((complain_button(ctx),),))
        return False, None


def _when(ctx: Context, moment: datetime | None) -> str:
    return local_time(moment, tz_of(ctx), locale=ctx.locale) if moment else "—"


def _order_status_text(ctx: Context, order: Order) -> str:
    """The status line of an order, the same on every screen that shows it."""
    status = order.status
    key = f"lookup.order.{status.value}"
    if status is OrderStatus.DELIVERED and order.delivery_type is DeliveryType.MANUAL_TOPUP:
        key = "lookup.order.delivered_topup"
    elif status is OrderStatus.DELIVERED and keys_in_bulk(order):
        key = "lookup.order.delivered_bulk"  # no single key to show, and none to /card
    text = ctx.t(
        key,
        card=order.card_key_masked or "—",
        delivered=_when(ctx, order.delivered_at),
        quantity=order.quantity,
    )
    if status is OrderStatus.FAILED and order.reissue_eligible:
        text += "\n" + ctx.t("lookup.reissue_offer")
    return text


def _order_text(ctx: Context, order: Order) -> tuple[str, ButtonRows]:
    head = ctx.t(
        "lookup.order_head",
        order_no=order.order_no,
        product=order.product,
        amount=f"{order.amount}",
        created=_when(ctx, order.created_at),  # the purchase time (facts.bought_at)
    )
    body = _order_status_text(ctx, order)
    lines = [head, body]
    if order.bulk:
        lines += enterprise_lines(ctx)
    return "\n".join(lines), _order_buttons(ctx, order)


def _order_buttons(ctx: Context, order: Order) -> ButtonRows:
    """What a buyer can do next about an order."""
    status = order.status
    buttons: list[tuple[Button, ...]] = []
    if status is OrderStatus.FAILED:
        if order.reissue_eligible:
            buttons.append((reissue_button(ctx, order.order_no),))
        else:
            buttons.append((complain_button(ctx, order.order_no, "not_delivered"),))
    elif status is OrderStatus.DELIVERED:
        category = "recharge_failed" if order.delivery_type == "manual_topup" else "card_invalid"
        buttons.append((complain_button(ctx, order.order_no, category),))
    elif status in (OrderStatus.ABNORMAL, OrderStatus.PAID, OrderStatus.PROCESSING):
        buttons.append((complain_button(ctx, order.order_no, "not_delivered"),))
    return tuple(buttons)


async def _by_order_number(
    ctx: Context,
    kind: str,
    fetch: Callable[[str], Awaitable[T | None]],
    render: Callable[[Context, T], tuple[str, ButtonRows]],
) -> None:
    """/order and /recharge: usage hint, rate limit, the shop's answer, not-found, answer."""
    order_no = extract_order_number(ctx, ctx.event.args)
    if order_no is None:
        _answer(ctx, ctx.t(f"lookup.{kind}_usage"))
        return
    if not await allow_lookup(ctx, kind):
        return
    reached, found = await _ask_shop(ctx, kind, fetch(order_no))
    if not reached:
        return
    if found is None:
        _answer(ctx, ctx.t(f"lookup.{kind}_not_found", order_no=order_no))
        return
    text, buttons = render(ctx, found)
    _answer(ctx, text, buttons)


async def on_order(ctx: Context) -> None:
    await _by_order_number(ctx, "order", ctx.services.shop.get_order, _order_text)


def _card_key_of(ctx: Context, text: str) -> str:
    """The key to look up: a key of the shop's formats in its canonical form, else the text
    without spaces (a key in a format the config does not list still reaches the shop)."""
    found = ctx.services.card_keys.find(text)
    return found[0].key if found else "".join(fold(text).split())


async def on_card(ctx: Context) -> None:
    key = _card_key_of(ctx, ctx.event.args)
    if len(key.replace("-", "")) < 8:
        _answer(ctx, ctx.t("lookup.card_usage"))
        return
    if not await allow_lookup(ctx, "card"):
        return
    masked = mask_card_key(key)
    reached, card = await _ask_shop(ctx, "card", ctx.services.shop.get_card(key))
    if not reached:
        return
    if card is None:
        _answer(
            ctx, ctx.t("lookup.card_not_found", card=masked), ((complain_button(ctx, "", ""),),)
        )
        return
    text = ctx.t(
        f"lookup.card.{card.status.value}",
        card=card.masked_key,
        product=card.product,
        used=_when(ctx, card.used_at),
        expires=_when(ctx, card.expires_at),
    )
    buttons: ButtonRows = ()
    if card.status is not CardStatus.UNUSED:
        buttons = ((complain_button(ctx, card.order_no, "card_invalid"),),)
    _answer(ctx, text, buttons)


def _recharge_text(ctx: Context, found: tuple[Recharge, Order | None]) -> tuple[str, ButtonRows]:
    recharge, order = found
    if order is not None and recharge_overruled(order):
        # The order is held, unpaid, closed or refunded: say so, in the words of /order.
        text = ctx.t(
            "lookup.recharge.by_order",
            order_no=recharge.order_no,
            product=recharge.product,
            account=recharge.account_masked,
            order_status=_order_status_text(ctx, order),
        )
        if is_enterprise_user(ctx):
            text = "\n".join([text, *enterprise_lines(ctx)])
        return text, _order_buttons(ctx, order)
    status = recharge.status
    elapsed = int((ctx.now - recharge.submitted_at).total_seconds() // 60)
    text = ctx.t(
        f"lookup.recharge.{status.value}",
        order_no=recharge.order_no,
        product=recharge.product,
        account=recharge.account_masked,
        submitted=_when(ctx, recharge.submitted_at),
        completed=_when(ctx, recharge.completed_at),
        elapsed=elapsed,
        usual=recharge.usual_minutes or "—",
        reason=recharge.failure_reason or "—",
    )
    buttons: ButtonRows = ()
    overdue = recharge.usual_minutes is not None and elapsed > recharge.usual_minutes
    if status is RechargeStatus.FAILED:
        if recharge.reissue_eligible:
            text += "\n" + ctx.t("lookup.reissue_offer")
            buttons = ((reissue_button(ctx, recharge.order_no),),)
        else:
            buttons = ((complain_button(ctx, recharge.order_no, "recharge_failed"),),)
    elif status in (RechargeStatus.PROCESSING, RechargeStatus.PENDING) and overdue:
        text += "\n" + ctx.t("lookup.recharge_overdue")
        buttons = ((complain_button(ctx, recharge.order_no, "recharge_failed"),),)
    if is_enterprise_user(ctx):
        text = "\n".join([text, *enterprise_lines(ctx)])
    return text, buttons


async def _recharge_with_order(ctx: Context, order_no: str) -> tuple[Recharge, Order | None] | None:
    """The top-up record and its order (whose status decides what the buyer is told)."""
    recharge = await ctx.services.shop.get_recharge(order_no)
    if recharge is None:
        return None
    return recharge, await ctx.services.shop.get_order(order_no)


async def on_recharge(ctx: Context) -> None:
    async def fetch(order_no: str) -> tuple[Recharge, Order | None] | None:
        return await _recharge_with_order(ctx, order_no)

    await _by_order_number(ctx, "recharge", fetch, _recharge_text)


# A label a buyer may put before what they paste: "订单号：DD…", "我的卡密是 XXXX-…".
_PASTE_LABEL = re.compile(
    r"^(我的)?(订单号|订单编号|订单|单号|卡密|卡号|激活码|兑换码)?(是)?\s*[:：]?\s*"
)


async def answer_pasted_identifier(ctx: Context) -> bool:
    """A private message that is only an order number or a card key (issue 21.5): look it up
    as ``/order`` or ``/card`` would (same rate limit, same masking). False for anything
    else, and in groups, so the caller goes on to classify the text."""
    if not ctx.in_private or ctx.event.command:
        return False
    text = unicodedata.normalize("NFKC", ctx.event.text).strip()
    rest = _PASTE_LABEL.sub("", text, count=1).strip()
    if not rest or len(rest) > 80:
        return False
    order_no = whole_order_number(ctx, rest)
    if order_no is not None:
        ctx.event = replace(ctx.event, command="order", args=order_no)
        await on_order(ctx)
        return True
    keys = ctx.services.card_keys.find(rest)
    if len(keys) == 1 and not rest[: keys[0].start].strip() and not rest[keys[0].end :].strip():
        ctx.event = replace(ctx.event, command="card", args=keys[0].key)
        await on_card(ctx)
        return True
    return False
