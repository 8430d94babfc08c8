"""When the problem happened, checked against the order it is about.

A vague answer is kept as the range it names (``core.timeparse``); every answer is checked
against the order's purchase time: a time wholly before it is refused with a hint naming
both, one that overlaps it is kept and clipped to start at the purchase. Editing the order
in the summary re-checks the time (and a failure reason taken from the old order), and tells
the buyer what changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.complaint.facts import bought_at, local_span, local_time
from core.complaint.prompts import ask, tz_of
from core.complaint.summary import when_span
from core.complaint.words import plain
from core.context import Context
from core.timeparse import ParsedTime, fit_after, parse_when

WHEN_FIELDS = ("when", "when_start", "when_end", "when_text")


def when_updates(parsed: ParsedTime, text: str | None = None) -> dict[str, Any]:
    """The flow-state fields for a time: ``when`` only for a moment (a range has none, so
    nothing downstream can show it as one)."""
    updates: dict[str, Any] = {
        "when": parsed.start.isoformat() if parsed.exact else "",
        "when_start": parsed.start.isoformat(),
        "when_end": parsed.end.isoformat(),
    }
    if text is not None:
        updates["when_text"] = text[:60]
    return updates


def read_when(ctx: Context, text: str) -> ParsedTime | None:
    """The buyer's answer as a time that fits the order; None after asking again."""
    tz = tz_of(ctx)
    now = ctx.now.astimezone(tz)
    parsed = parse_when(plain(text), now) if text else None
    if parsed is None:
        ask(ctx, ctx.t("complaint.bad_when"))
        return None
    if parsed.in_future(now):
        ask(ctx, ctx.t("complaint.when_future"))
        return None
    facts: Mapping[str, Any] = ctx.conversation.data.get("order") or {}
    bought = bought_at(facts) if facts else None
    if bought is None:
        return parsed
    fitted = fit_after(parsed, bought)
    if fitted is None:
        ask(
            ctx,
            ctx.t(
                "complaint.when_before_order",
                when=local_span(parsed.start, parsed.end, tz),
                bought=local_time(bought, tz),
            ),
        )
        return None
    return fitted


def recheck_after_order_change(
    ctx: Context, old_order: Mapping[str, Any] | None, old_no: str
) -> list[str]:
    """After the order was edited: re-check what depends on it, update the flow state, and
    return the lines that say what changed. Steps that must be answered again are queued in
    ``reask`` (the flow asks them before going back to the summary)."""
    data = ctx.conversation.data
    tz = tz_of(ctx)
    new_order: Mapping[str, Any] = data.get("order") or {}
    new_no = str(data.get("order_no") or "")
    lines: list[str] = []
    if new_no != old_no:
        lines.append(ctx.t("complaint.changed_order", old=old_no or "—", new=new_no or "—"))
    reask: list[str] = []
    updates: dict[str, Any] = {}
    bought = bought_at(new_order) if new_order else None
    span = when_span(data)
    if span is not None and bought is not None:
        before = ParsedTime(*span)
        fitted = fit_after(before, bought)
        old_words = local_span(before.start, before.end, tz)
        if fitted is None:
            updates.update(dict.fromkeys(WHEN_FIELDS, ""))
            reask.append("when")
            bought_words = local_time(bought, tz)
            lines.append(
                ctx.t("complaint.changed_when_refused", when=old_words, bought=bought_words)
            )
        elif fitted != before:
            updates.update(when_updates(fitted))
            lines.append(
                ctx.t(
                    "complaint.changed_when",
                    old=old_words,
                    new=local_span(fitted.start, fitted.end, tz),
                    bought=local_time(bought, tz),
                )
            )
    old_reason = str((old_order or {}).get("failure_reason") or "")
    if data.get("error_from_shop") and old_reason and data.get("error") == old_reason:
        new_reason = str(new_order.get("failure_reason") or "")
        if new_reason and new_reason != old_reason:
            updates.update(error=new_reason)
            lines.append(ctx.t("complaint.changed_error", new=new_reason))
        elif not new_reason:
            updates.update(error="", error_from_shop=False)
            reask.append("error")
            lines.append(ctx.t("complaint.changed_error_cleared"))
    if reask:
        updates["reask"] = [*data.get("reask", []), *reask]
    if updates:
        ctx.conversation.update(**updates)
    return lines
