"""Where staff see tickets: the ticket card posted to every staff chat, and who counts as staff."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from core.complaint.categories import label
from core.complaint.facts import describe_order, local_time
from core.complaint.prompts import tz_of
from core.config import Config
from core.context import Context
from core.model import Attachment, Button, ButtonRows, NotifyStaff
from core.people import person_by_key, platform_name
from core.storage.tables import TicketRow
from core.texts import Texts

TRANSCRIPT_LINES = 8
# A transcript message longer than this is shortened (at a sentence or word boundary).
TRANSCRIPT_CHARS = 200


def destinations(ctx: Context) -> list[str]:
    config = ctx.services.config
    return config.staff.destinations(config)


def in_staff_chat(ctx: Context) -> bool:
    return ctx.event.chat.key in destinations(ctx)


def staff_buttons(ctx: Context, ticket_no: str) -> ButtonRows:
    locale = staff_locale(ctx.services.config)

    def button(verb: str) -> Button:
        label = ctx.services.texts.get(f"staff.btn_{verb}", locale)
        return Button(label=label, payload=f"staff:{verb}:{ticket_no}")

    return ((button("claim"), button("reply")), (button("escalate"), button("close")))


def staff_locale(config: Config) -> str:
    """Staff read their screens in the shop's language, whoever the ticket came from."""
    return config.conversation.default_locale


def ticket_card(ctx: Context, ticket: TicketRow, *, screenshot_attached: bool = False) -> str:
    """Everything staff need, so nobody has to ask the user again: the summary once, then
    the facts it rests on and the end of the conversation with the bot."""
    tz = tz_of(ctx)
    locale = staff_locale(ctx.services.config)
    texts = ctx.services.texts

    def t(key: str, /, **values: object) -> str:
        return texts.get(key, locale, **values)

    fields = ticket.fields or {}
    promise = "simple" if ticket.complexity == "simple" else "complex"
    lines = [
        t(
            "staff.card_title",
            ticket_no=ticket.ticket_no,
            enterprise="🏢" if ticket.enterprise else "",
        ),
        t(f"staff.card_{promise}", due=local_time(ticket.due_at, tz, locale=locale)),
        t("staff.card_user", user=_ticket_user(ctx, ticket, locale)),
        t("staff.card_summary", summary=ticket.summary),
        t("staff.card_category", category=label(ticket.category, locale)),
    ]
    if fields.get("order"):
        lines.append(t("staff.card_order", order=describe_order(fields["order"], tz, locale)))
    elif ticket.order_no:
        unverified = t("staff.card_unverified") if fields.get("order_unverified") else ""
        lines.append(t("staff.card_order", order=ticket.order_no + unverified))
    if fields.get("when"):
        moment = datetime.fromisoformat(fields["when"])
        lines.append(t("staff.card_when", when=local_time(moment, tz, locale=locale)))
    if fields.get("error"):
        lines.append(t("staff.card_error", error=fields["error"]))
    if fields.get("question"):
        lines.append(t("staff.card_question", question=fields["question"]))
    if fields.get("screenshot"):
        if screenshot_attached:
            shot = t("staff.screenshot_attached")
        else:
            shot = t("staff.screenshot_elsewhere", platform=platform_name(ticket.platform, locale))
        lines.append(t("staff.card_screenshot", ref=shot))
    transcript = [entry for entry in (ticket.transcript or []) if isinstance(entry, dict)][
        -TRANSCRIPT_LINES:
    ]
    if transcript:
        lines.append(t("staff.card_transcript", count=len(transcript)))
        lines += [transcript_line(texts, locale, entry) for entry in transcript]
    return "\n".join(lines)


def _ticket_user(ctx: Context, ticket: TicketRow, locale: str) -> str:
    """The ticket's user by name and handle (their username when the bot knows it)."""
    user = ctx.event.user
    username = user.username if user.key == ticket.user_key else ""
    return person_by_key(ctx.services.texts, locale, ticket.user_key, ticket.user_name, username)


_MARKER = re.compile(r"^\[(?P<kind>[a-z_]+)\](?: \S*)?$")
_SENTENCE_END = "。！？；.!?;"


def readable(texts: Texts, locale: str, text: str) -> str:
    """A transcript text as staff read it: attachment markers ("[image] <file id>") in
    words, on one line."""
    lines = []
    for line in text.splitlines():
        marker = _MARKER.match(line.strip())
        if marker is not None:
            kind = "image" if marker["kind"] in ("image", "photo") else "file"
            line = texts.get(f"transcript.{kind}", locale)
        if line.strip():
            lines.append(line.strip())
    return " ".join(lines)


def shorten(text: str, limit: int = TRANSCRIPT_CHARS) -> str:
    """``text`` up to ``limit`` characters, cut after a sentence or at a word boundary
    (never inside a word or a number) and marked with "…"; short texts are left whole."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    sentence = max(head.rfind(mark) for mark in _SENTENCE_END)
    if sentence >= limit // 2:
        return head[: sentence + 1] + "…"
    space = head.rfind(" ")
    if space >= limit // 2:
        return head[:space].rstrip("，,、：:") + "…"
    # Chinese without spaces: any place between two Chinese characters is a word boundary.
    for cut in range(limit, limit // 2, -1):
        if not (head[cut - 1].isascii() and head[cut - 1].isalnum()):
            return head[:cut].rstrip("，,、：:") + "…"
    return head + "…"


def transcript_line(texts: Texts, locale: str, entry: dict[str, Any]) -> str:
    """One message of the bot conversation, for staff."""
    who = str(entry.get("from", ""))
    text = str(entry.get("text", ""))
    if who == "bot" and any(
        text.startswith(texts.get("complaint.summary_title", code)) for code in ("zh", "en")
    ):
        text = texts.get("staff.transcript_summary", locale)  # the summary is on the card
    else:
        text = shorten(readable(texts, locale, text))
    speaker = texts.get(f"staff.who.{who}", locale) if who in ("user", "bot", "staff") else "?"
    return texts.get("staff.transcript_line", locale, who=speaker, text=text)


def announce_new_ticket(ctx: Context, ticket: TicketRow) -> None:
    """Post the ticket card to every staff chat (staff on any platform can take it); the
    screenshot goes along to chats on the platform it was sent on."""
    shot = (ticket.fields or {}).get("screenshot") or {}
    attachment = (
        Attachment(
            kind=str(shot.get("kind", "image")),
            ref=str(shot["ref"]),
            name=str(shot.get("name", "")),
        )
        if shot.get("ref")
        else None
    )
    for destination in destinations(ctx):
        platform = destination.partition(":")[0]
        passed = attachment is not None and platform == ticket.platform
        ctx.actions.append(
            NotifyStaff(
                destination=destination,
                text=ticket_card(ctx, ticket, screenshot_attached=passed),
                buttons=staff_buttons(ctx, ticket.ticket_no),
                ticket_no=ticket.ticket_no,
                attachments=(attachment,) if passed and attachment is not None else (),
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
