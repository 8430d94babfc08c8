"""Each step of the complaint flow: check the answer, store it, ask the next question.

Short answers ("跳過", "好的", "没截图") are read by :mod:`core.complaint.words`; the time
step and the re-check after an edited order live in :mod:`core.complaint.timing`."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Awaitable, Callable

from core.complaint import timing, words
from core.complaint.categories import (
    CATEGORIES,
    ORDER_OPTIONAL,
    category_from_text,
    complexity_for,
    label,
)
from core.complaint.facts import describe_order, local_time, order_facts
from core.complaint.prompts import ask, cancel_button, category_buttons, skip_button, tz_of
from core.complaint.summary import timeline_summary, when_words
from core.context import Context
from core.masking import mask_sensitive
from core.model import Button, ButtonRows
from core.selfservice.enterprise import is_enterprise_user, notify_consultant
from core.selfservice.ratelimit import allow_lookup
from core.shop import ShopError
from core.staff.desk import announce_new_ticket
from core.tickets import service as tickets

log = logging.getLogger(__name__)

StepHandler = Callable[[Context, str, str], Awaitable[None]]

_ERROR_MIN, _ERROR_MAX = 2, 500
_NOTES_MAX = 1000


# -- prompts ---------------------------------------------------------------------------------
async def ask_order(ctx: Context) -> None:
    ctx.conversation.advance("order")
    category = ctx.conversation.data.get("category", "other")
    buttons: ButtonRows = ((skip_button(ctx),),) if category in ORDER_OPTIONAL else ()
    ask(ctx, ctx.t("complaint.ask_order"), buttons)


def ask_when(ctx: Context) -> None:
    ctx.conversation.advance("when")
    ask(ctx, ctx.t("complaint.ask_when"))


def ask_error(ctx: Context) -> None:
    ctx.conversation.advance("error")
    ask(ctx, ctx.t("complaint.ask_error"))


def ask_screenshot(ctx: Context) -> None:
    ctx.conversation.advance("screenshot")
    ask(ctx, ctx.t("complaint.ask_screenshot"), ((skip_button(ctx),),))


def show_summary(ctx: Context) -> None:
    convo = ctx.conversation
    convo.advance("confirm", editing=False)
    data = convo.data
    tz = tz_of(ctx)
    lines = [ctx.t("complaint.summary_title"), timeline_summary(data, tz, ctx.locale), ""]
    lines.append(
        ctx.t("complaint.field_category", value=label(data.get("category", "other"), ctx.locale))
    )
    if data.get("order"):
        lines.append(
            ctx.t("complaint.field_order", value=describe_order(data["order"], tz, ctx.locale))
        )
    elif data.get("order_no"):
        lines.append(ctx.t("complaint.field_order", value=data["order_no"]))
    when = when_words(data, tz, locale=ctx.locale)
    if when:
        lines.append(ctx.t("complaint.field_when", value=when))
    if data.get("error"):
        lines.append(ctx.t("complaint.field_error", value=data["error"]))
    if data.get("notes"):
        lines.append(ctx.t("complaint.field_notes", value=data["notes"]))
    shot = (
        ctx.t("complaint.screenshot_yes")
        if data.get("screenshot")
        else ctx.t("complaint.screenshot_no")
    )
    lines.append(ctx.t("complaint.field_screenshot", value=shot))
    buttons = (
        (Button(label=ctx.t("complaint.confirm"), payload="flow:confirm"),),
        (
            Button(label=ctx.t("complaint.edit_order"), payload="flow:edit:order"),
            Button(label=ctx.t("complaint.edit_when"), payload="flow:edit:when"),
            Button(label=ctx.t("complaint.edit_error"), payload="flow:edit:error"),
        ),
        (cancel_button(ctx),),
    )
    ask(ctx, "\n".join(lines), buttons)


async def repeat_prompt(ctx: Context) -> None:
    """Ask the current step's question again (after a restart, or when asked twice)."""
    step = ctx.conversation.step
    if step == "order":
        await ask_order(ctx)
    elif step == "when":
        ask_when(ctx)
    elif step == "error":
        ask_error(ctx)
    elif step == "screenshot":
        ask_screenshot(ctx)
    elif step == "confirm":
        show_summary(ctx)
    else:
        ask(ctx, ctx.t("complaint.ask_category"), category_buttons(ctx))


def _next_after(ctx: Context, step: str) -> None:
    """Go on from ``step``; while editing, straight back to the summary."""
    data = ctx.conversation.data
    if data.get("editing"):
        pending = list(data.get("reask") or [])
        if not pending:
            show_summary(ctx)
            return
        ctx.conversation.update(reask=pending[1:])  # asked again after an edited order
        if pending[0] == "when":
            ask_when(ctx)
        else:
            ask_error(ctx)
    elif step == "order":
        ask_when(ctx)
    elif step == "when":
        if data.get("error"):  # the shop already told us what went wrong
            ask_screenshot(ctx)
        else:
            ask_error(ctx)
    elif step == "error":
        ask_screenshot(ctx)
    else:
        show_summary(ctx)


# -- steps -----------------------------------------------------------------------------------
async def on_category(ctx: Context, text: str, payload: str) -> None:
    category = payload.removeprefix("flow:cat:") if payload.startswith("flow:cat:") else None
    if category not in CATEGORIES:
        category = category_from_text(text) if text else None
    if category is None:
        ask(ctx, ctx.t("complaint.bad_category"), category_buttons(ctx))
        return
    ctx.conversation.update(category=category)
    await ask_order(ctx)


def whole_order_number(ctx: Context, text: str) -> str | None:
    """``text`` as an order number when all of it is one ("DD 2026-1120…" works)."""
    pattern = ctx.services.config.shop.order_pattern.strip("^$")
    compact = re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", text).upper())
    return compact if re.fullmatch(pattern, compact, re.I) else None


def extract_order_number(ctx: Context, text: str) -> str | None:
    """The order number in ``text`` if it has the shop's format ("我的订单DD2026…" works)."""
    whole = whole_order_number(ctx, text)
    if whole is not None:
        return whole
    folded = unicodedata.normalize("NFKC", text).upper()
    pattern = ctx.services.config.shop.order_pattern.strip("^$")
    tokens: list[str] = re.findall(r"[A-Z0-9][A-Z0-9-]{4,40}", folded)
    for token in tokens:
        candidate = token.replace("-", "")
        if re.fullmatch(pattern, candidate, re.I):
            return candidate
    return None


async def on_order(ctx: Context, text: str, payload: str) -> None:
    category = ctx.conversation.data.get("category", "other")
    if payload == "flow:skip" or words.is_skip(text):
        if category in ORDER_OPTIONAL:
            ctx.conversation.update(order_no="", order=None)
            _next_after(ctx, "order")
        else:
            ask(ctx, ctx.t("complaint.order_required"))
        return
    order_no = extract_order_number(ctx, text)
    if order_no is None:
        ask(ctx, ctx.t("complaint.bad_order_format"))
        return
    await take_order_number(ctx, order_no)


async def take_order_number(ctx: Context, order_no: str) -> None:
    """Look the order up with the shop; show what it knows and never ask for it again.

    The lookup counts against the user's lookup limit (the flow must not become a way to
    enumerate orders); over the limit, the number is kept unverified for staff to check."""
    shop = ctx.services.shop
    before = ctx.conversation.data
    old_order, old_no = before.get("order"), str(before.get("order_no") or "")
    if not await allow_lookup(ctx, "complaint", tell=False):
        ctx.conversation.update(order_no=order_no, order=None, order_unverified=True)
        ask(ctx, ctx.t("complaint.order_not_checked", order_no=order_no))
        ctx.conversation.advance("order")
        _next_after(ctx, "order")
        return
    try:
        order = await shop.get_order(order_no)
        recharge = (
            await shop.get_recharge(order_no)
            if order is not None and order.delivery_type == "manual_topup"
            else None
        )
    except ShopError as exc:
        log.warning("shop lookup of an order failed: %s", exc)
        ctx.services.metrics.shop_errors.labels(operation="order").inc()
        ctx.conversation.update(order_no=order_no, order=None, order_unverified=True)
        ask(ctx, ctx.t("complaint.shop_unavailable", order_no=order_no))
        ctx.conversation.advance("order")
        _next_after(ctx, "order")
        return
    if order is None:
        ctx.conversation.advance("order")
        ask(ctx, ctx.t("complaint.order_not_found", order_no=order_no))
        return
    facts = order_facts(order, recharge)
    updates: dict[str, object] = {
        "order_no": order.order_no,
        "order": facts,
        "order_unverified": False,
    }
    if facts.get("failure_reason") and not ctx.conversation.data.get("error"):
        updates["error"] = facts["failure_reason"]  # the shop said it: do not ask the buyer
        updates["error_from_shop"] = True
    ctx.conversation.update(**updates)
    ctx.reply(ctx.t("complaint.order_found", order=describe_order(facts, tz_of(ctx), ctx.locale)))
    if ctx.conversation.data.get("editing"):
        changes = timing.recheck_after_order_change(ctx, old_order, old_no)
        if changes:
            ctx.reply("\n".join([ctx.t("complaint.changed_title"), *changes]))
    ctx.conversation.advance("order")
    _next_after(ctx, "order")


async def on_when(ctx: Context, text: str, payload: str) -> None:
    parsed = timing.read_when(ctx, text)
    if parsed is None:
        return
    ctx.conversation.update(**timing.when_updates(parsed, text))
    _next_after(ctx, "when")


async def on_error(ctx: Context, text: str, payload: str) -> None:
    if words.is_skip(text):  # "没有": nothing on screen; what happened is still needed
        ask(ctx, ctx.t("complaint.error_needed"))
        return
    if len(text) < _ERROR_MIN:
        ask(ctx, ctx.t("complaint.bad_error"))
        return
    # Stored and shown masked: a buyer often pastes the card key itself into the message.
    ctx.conversation.update(error=mask_sensitive(text[:_ERROR_MAX]), error_from_shop=False)
    _next_after(ctx, "error")


async def on_screenshot(ctx: Context, text: str, payload: str) -> None:
    attachments = ctx.event.attachments
    if attachments:
        shot = attachments[0]
        ctx.conversation.update(screenshot={"kind": shot.kind, "ref": shot.ref, "name": shot.name})
    elif payload == "flow:skip" or words.is_skip(text):
        ctx.conversation.update(screenshot=None)
    elif len(words.plain(text)) >= _ERROR_MIN and not words.is_confirm(text):
        # A description typed instead of a picture: keep it, and still ask for the picture.
        add_notes(ctx, text)
        ask(ctx, ctx.t("complaint.screenshot_text_kept"), ((skip_button(ctx),),))
        return
    else:
        ask(ctx, ctx.t("complaint.bad_screenshot"), ((skip_button(ctx),),))
        return
    show_summary(ctx)


def add_notes(ctx: Context, text: str) -> None:
    """Append the buyer's own words to the complaint's notes (masked, bounded)."""
    old = str(ctx.conversation.data.get("notes") or "")
    note = mask_sensitive(text.strip())
    ctx.conversation.update(notes=(f"{old}；{note}" if old else note)[:_NOTES_MAX])


async def on_confirm(ctx: Context, text: str, payload: str) -> None:
    typed_field = None if payload else words.edit_field(text)
    if payload.startswith("flow:edit:") or typed_field is not None:
        field = payload.removeprefix("flow:edit:") if payload else typed_field
        if field not in ("order", "when", "error"):
            show_summary(ctx)
            return
        ctx.conversation.update(editing=True)
        if field == "order":
            await ask_order(ctx)
        elif field == "when":
            ask_when(ctx)
        else:
            ask_error(ctx)
        return
    if payload == "flow:confirm" or (not payload and words.is_confirm(text)):
        await submit(ctx)
        return
    show_summary(ctx)  # anything else: show the summary and its buttons again


async def may_open_ticket(ctx: Context) -> bool:
    limit = ctx.services.config.tickets.max_open_per_user
    if await tickets.count_open(ctx.store, ctx.event.user.key) >= limit:
        ctx.reply(ctx.t("complaint.too_many_open", limit=limit))
        return False
    return True


async def submit(ctx: Context) -> None:
    data = dict(ctx.conversation.data)
    if not await may_open_ticket(ctx):
        ctx.conversation.finish()
        return
    category = data.get("category", "other")
    facts = data.get("order") or None
    tz = tz_of(ctx)
    fields = {
        key: data.get(key)
        for key in (
            "category",
            "order_no",
            "order",
            "order_unverified",
            "when",
            "when_start",
            "when_end",
            "when_text",
            "error",
            "notes",
            "screenshot",
        )
        if data.get(key) not in (None, "")
    }
    ticket = await tickets.create_ticket(
        ctx.store,
        tickets.NewTicket(
            user=ctx.event.user,
            category=category,
            complexity=complexity_for(category, facts),
            # Staff read the ticket in the shop's language, whatever the buyer's.
            summary=timeline_summary(data, tz, ctx.services.config.conversation.default_locale),
            order_no=data.get("order_no", ""),
            enterprise=bool(facts and facts.get("bulk")) or is_enterprise_user(ctx),
            fields=fields,
            transcript=data.get("transcript", []),
        ),
        now=ctx.now,
        sla=ctx.services.config.sla,
        tz=ctx.services.config.conversation.timezone,
    )
    ctx.conversation.finish()
    announce_new_ticket(ctx, ticket)
    if ticket.enterprise:
        notify_consultant(ctx, ticket.ticket_no, ticket.summary)
    sla = ctx.services.config.sla
    promise = (
        ctx.t("complaint.promise_simple", hours=f"{sla.simple_first_response_hours:g}")
        if ticket.complexity == "simple"
        else ctx.t("complaint.promise_complex", hours=f"{sla.complex_plan_hours:g}")
    )
    ctx.reply(
        ctx.t(
            "complaint.created",
            ticket_no=ticket.ticket_no,
            promise=promise,
            due=local_time(ticket.due_at, tz, locale=ctx.locale),
        )
    )
    log.info(
        "ticket %s created for %s (%s, %s)",
        ticket.ticket_no,
        ticket.user_key,
        category,
        ticket.complexity,
    )


HANDLERS: dict[str, StepHandler] = {
    "category": on_category,
    "order": on_order,
    "when": on_when,
    "error": on_error,
    "screenshot": on_screenshot,
    "confirm": on_confirm,
}
