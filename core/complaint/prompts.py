"""Small helpers shared by the complaint steps: asking, the transcript, buttons, time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from core.complaint.categories import CATEGORIES, label
from core.context import Context
from core.masking import mask_sensitive
from core.model import Button, ButtonRows

TRANSCRIPT_LIMIT = 40


def tz_of(ctx: Context) -> ZoneInfo:
    return ZoneInfo(ctx.services.config.conversation.timezone)


def category_buttons(ctx: Context) -> ButtonRows:
    buttons = [Button(label=label(c, ctx.locale), payload=f"flow:cat:{c}") for c in CATEGORIES]
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))


def record(ctx: Context, who: str, text: str) -> None:
    """Append to the flow transcript that goes into the ticket (masked, bounded)."""
    transcript = list(ctx.conversation.data.get("transcript", []))
    transcript.append({"from": who, "text": mask_sensitive(text)[:500]})
    ctx.conversation.update(transcript=transcript[-TRANSCRIPT_LIMIT:])


def ask(ctx: Context, text: str, buttons: ButtonRows = ()) -> None:
    """Say something in the flow and keep it in the transcript."""
    record(ctx, "bot", text)
    ctx.reply(text, buttons)


def skip_button(ctx: Context) -> Button:
    return Button(label=ctx.t("complaint.skip"), payload="flow:skip")


def cancel_button(ctx: Context) -> Button:
    return Button(label=ctx.t("complaint.cancel"), payload="flow:cancel")
