"""FAQ answers from the knowledge base, "解决了/没解决" feedback, and the hand-off to a human.

Every answer is stored (``faq_answers``) with the question, so the answer rate and the
resolved rate can be reported, and so "没解决 → 转人工" carries the question into the ticket:
the user never has to repeat it.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, insert, select

from core.context import Context
from core.handlers.support import channel_lines
from core.masking import mask_sensitive
from core.model import Button, ButtonRows, ButtonStyle
from core.numbers import parse_small_int
from core.selfservice.enterprise import enterprise_lines
from core.staff.desk import announce_new_ticket
from core.storage.tables import FaqAnswerRow, table_of
from core.tickets import service as tickets

log = logging.getLogger(__name__)

UNSURE = "unsure"  # stored as the intent of a question the bot could not place

# Knowledge-base button actions → button payloads the router understands.
ACTION_PAYLOADS = {
    "complain": "complain",
    "support": "support",
    "human": "human",
    "lookup_order": "lookup:order",
    "lookup_card": "lookup:card",
    "lookup_recharge": "lookup:recharge",
    "verify": "verify",
}


def faq_values(ctx: Context) -> dict[str, str]:
    config = ctx.services.config
    unit = " hours" if ctx.locale == "en" else " 小时"
    return {
        "brand": config.brand.name,
        # The knowledge base writes "{simple_hours}内": the value carries its unit.
        "simple_hours": f"{config.sla.simple_first_response_hours:g}{unit}",
        "complex_hours": f"{config.sla.complex_plan_hours:g}{unit}",
        "channels": "\n".join(channel_lines(config)),
    }


_INSERT_ANSWER = insert(table_of(FaqAnswerRow))  # every FAQ answer: built once
_MAX_ROW_ID = 2**63 - 1  # a primary key fits a signed 64-bit column on every backend


async def _remember(ctx: Context, intent: str, score: float) -> int:
    values = {
        "user_key": ctx.event.user.key,
        "intent": intent,
        "score": round(score, 4),
        "question": mask_sensitive(ctx.event.text)[:500],
        "created_at": ctx.now,
        "outcome": "",
    }
    return await ctx.store.insert(_INSERT_ANSWER, values)


async def answer_faq(ctx: Context, intent: str, score: float) -> bool:
    """Answer from the knowledge base; False when it has no entry for ``intent``."""
    entry = ctx.services.knowledge.entry_for(intent)
    if entry is None:
        return False
    answer_id = await _remember(ctx, intent, score)
    ctx.services.metrics.faq_answers.labels(intent=intent).inc()
    text = entry.answer(ctx.locale, **faq_values(ctx))
    if intent == "bulk_purchase":
        text = "\n".join([text, *enterprise_lines(ctx)])
    rows: list[tuple[Button, ...]] = []
    actions = [
        Button(label=b.label(ctx.locale), payload=ACTION_PAYLOADS[b.action])
        for b in entry.buttons
        if b.action in ACTION_PAYLOADS
    ]
    if actions:
        rows.append(tuple(actions))
    rows.append(
        (
            Button(label=ctx.t("faq.resolved"), payload=f"faq:yes:{answer_id}"),
            Button(label=ctx.t("faq.unresolved"), payload=f"faq:no:{answer_id}"),
        )
    )
    ctx.reply(text.strip(), tuple(rows))
    return True


async def answer_unsure(ctx: Context, score: float) -> None:
    """Say honestly that the bot is not sure, and offer a human with the question attached."""
    answer_id = await _remember(ctx, UNSURE, score)
    buttons: ButtonRows = (
        (
            Button(label=ctx.t("faq.human"), payload=f"human:{answer_id}"),
            Button(label=ctx.t("faq.complain"), payload="complain"),
        ),
        (Button(label=ctx.t("faq.support"), payload="support"),),
    )
    ctx.reply(ctx.t("faq.unsure"), buttons)


async def faq_stats(ctx: Context) -> tuple[int, int, int, int]:
    """(answered, unsure, resolved, unresolved) over all stored answers."""
    query = select(FaqAnswerRow.intent, FaqAnswerRow.outcome, func.count()).group_by(
        FaqAnswerRow.intent, FaqAnswerRow.outcome
    )
    rows = [
        (intent == UNSURE, outcome, int(n))
        for intent, outcome, n in (await ctx.session.execute(query)).all()
    ]
    answered = sum(n for unsure, _, n in rows if not unsure)
    unsure = sum(n for is_unsure, _, n in rows if is_unsure)
    resolved = sum(n for unsure, outcome, n in rows if not unsure and outcome == "resolved")
    unresolved = sum(n for unsure, outcome, n in rows if not unsure and outcome == "unresolved")
    return answered, unsure, resolved, unresolved


async def _answer_row(ctx: Context, raw_id: str) -> FaqAnswerRow | None:
    """The answer a button's payload names; a forged or malformed id is simply none."""
    answer_id = parse_small_int(raw_id, 1, _MAX_ROW_ID, max_digits=19)
    return await ctx.session.get(FaqAnswerRow, answer_id) if answer_id is not None else None


async def on_feedback(ctx: Context) -> None:
    """ "faq:yes:<id>" / "faq:no:<id>": store the outcome once, then log the rates."""
    _, verdict, raw_id = [*ctx.event.payload.split(":", 2), "", ""][:3]
    row = await _answer_row(ctx, raw_id)
    if row is None or row.user_key != ctx.event.user.key:
        return
    if not row.outcome:
        row.outcome = "resolved" if verdict == "yes" else "unresolved"
        ctx.services.metrics.faq_feedback.labels(outcome=row.outcome).inc()
        row.feedback_at = ctx.now
        await ctx.session.flush()
        answered, unsure, resolved, unresolved = await faq_stats(ctx)
        asked = answered + unsure
        log.info(
            "FAQ stats: answered %d of %d questions (%.0f%%); feedback resolved %d, unresolved %d",
            answered, asked, 100 * answered / asked if asked else 0, resolved, unresolved,
        )  # fmt: skip
    if verdict == "yes":
        ctx.reply(ctx.t("faq.thanks"))
        return
    buttons: ButtonRows = (
        (
            Button(label=ctx.t("faq.human"), payload=f"human:{row.id}"),
            Button(label=ctx.t("faq.complain"), payload="complain"),
        ),
    )
    ctx.reply(ctx.t("faq.sorry"), buttons)


async def on_human(ctx: Context) -> None:
    """Hand the question to a person: a ticket that already holds what the user asked."""
    if not ctx.in_private:
        button = Button(
            label=ctx.t("support.private_button"), payload="support", style=ButtonStyle.PRIVATE
        )
        ctx.reply(ctx.t("faq.human_private"), ((button,),))
        return
    raw_id = ctx.event.payload.partition(":")[2]
    row = await _answer_row(ctx, raw_id)
    question = row.question if row is not None and row.user_key == ctx.event.user.key else ""
    limit = ctx.services.config.tickets.max_open_per_user
    if await tickets.count_open(ctx.store, ctx.event.user.key) >= limit:
        ctx.reply(ctx.t("complaint.too_many_open", limit=limit))
        return
    ticket = await tickets.create_ticket(
        ctx.store,
        tickets.NewTicket(
            user=ctx.event.user,
            category="other",
            complexity=tickets.Complexity.SIMPLE,
            summary=ctx.t("faq.handoff_summary", question=question or "—"),
            fields={"question": question, "source": "faq_handoff"},
            transcript=[{"from": "user", "text": question}] if question else [],
        ),
        now=ctx.now,
        sla=ctx.services.config.sla,
        tz=ctx.services.config.conversation.timezone,
    )
    announce_new_ticket(ctx, ticket)
    hours = f"{ctx.services.config.sla.simple_first_response_hours:g}"
    ctx.reply(ctx.t("faq.handed_off", ticket_no=ticket.ticket_no, hours=hours))
