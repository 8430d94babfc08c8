"""FAQ answers from the knowledge base, "解决了/没解决" feedback, and the hand-off to a human.

Every answer is stored (``faq_answers``) with the question, so the answer rate and the
resolved rate can be reported, and so every "转人工" button (under an answer, after "没解决",
under "not sure") carries the question into the ticket: the user never has to repeat it.

Hand-off rules: the ticket holds the buyer's words, the intent the bot saw and what the bot
already answered; the same question handed off again answers with the ticket already open
(no new ticket, nothing counted against ``tickets.max_open_per_user``); bulk-purchase
questions and enterprise buyers go to the consultant (an enterprise ticket, the consultant
notified, as in the complaint flow). The answer row is checked on the server: a button that
names someone else's answer opens nothing.
"""

from __future__ import annotations

import logging
import unicodedata

from sqlalchemy import insert, select

from core.context import Context
from core.handlers.support import channel_lines
from core.masking import mask_sensitive
from core.model import Button, ButtonRows
from core.nlu import intents as ids
from core.numbers import parse_small_int
from core.selfservice.enterprise import enterprise_lines, is_enterprise_user, notify_consultant
from core.staff.desk import announce_new_ticket
from core.storage.tables import FaqAnswerRow, table_of
from core.tickets import service as tickets

log = logging.getLogger(__name__)

UNSURE = "unsure"  # stored as the intent of a question the bot could not place

HANDOFF_SOURCE = "faq_handoff"  # fields["source"] of a ticket opened from the FAQ
_ANSWER_EXCERPT = 400  # characters of the bot's answer kept in the ticket

# What staff read for the intent the bot saw (the ticket's summary).
INTENT_LABELS = {
    ids.FIND_SUPPORT: "找售后入口",
    ids.CARD_INVALID: "卡密无效",
    ids.CARD_USAGE: "卡密使用",
    ids.RECHARGE_FAILED: "充值失败",
    ids.RECHARGE_PROGRESS: "充值进度",
    ids.DELIVERY_DELAY: "发货延迟",
    ids.ACCOUNT_ISSUE: "账号问题",
    ids.REFUND: "退款",
    ids.COMPLAINT: "投诉",
    ids.TICKET_STATUS: "工单进度",
    ids.VERIFY_OFFICIAL: "核实客服身份",
    ids.BULK_PURCHASE: "企业批量采购",
    ids.ESCALATE: "催促升级",
    ids.SERVICE_HOURS: "客服时间",
    ids.OTHER: "其他",
    UNSURE: "机器人未能识别",
}

# The FAQ intent → the complaint category staff see on the card.
_CATEGORY_OF_INTENT = {
    ids.CARD_INVALID: "card_invalid",
    ids.RECHARGE_FAILED: "recharge_failed",
    ids.RECHARGE_PROGRESS: "recharge_failed",
    ids.DELIVERY_DELAY: "not_delivered",
    ids.ACCOUNT_ISSUE: "account",
    ids.REFUND: "refund",
}


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
        "channels": "\n".join(channel_lines(ctx)),
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
    # "human" carries the answer's id, so the hand-off holds this question.
    actions = [
        Button(
            label=b.label(ctx.locale),
            payload=f"human:{answer_id}" if b.action == "human" else ACTION_PAYLOADS[b.action],
        )
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
        # The rates are counters on /metrics (faq_answers, faq_feedback): a press never
        # scans the stored answers (it did, ~260 ms with 100k of them).
        log.info("FAQ answer %d (%s) marked %s", row.id, row.intent, row.outcome)
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
    """Hand the question to a person: a ticket that already holds what the user asked.

    ``human:<answer id>`` names the FAQ answer the button was shown under. The answer row is
    checked on the server: only its own user can hand it off (a forged id changes nothing).
    A bare ``human`` (a button from an older version) takes the user's latest question.
    The same question handed off twice answers with the ticket that is already open.
    """
    if not ctx.in_private:
        ctx.reply(ctx.t("faq.human_private"), ((ctx.private_button(),),))
        return
    raw_id = ctx.event.payload.partition(":")[2]
    row = await _answer_row(ctx, raw_id) if raw_id else await _latest_answer(ctx)
    if row is None or row.user_key != ctx.event.user.key or not row.question.strip():
        button = Button(label=ctx.t("faq.complain"), payload="complain")
        ctx.reply(ctx.t("faq.handoff_unknown"), ((button,),))
        return
    if not row.outcome:  # asking for a person says the answer did not solve it
        row.outcome = "unresolved"
        row.feedback_at = ctx.now
        ctx.services.metrics.faq_feedback.labels(outcome=row.outcome).inc()
    existing = await tickets.find_open_by_question(
        ctx.session, ctx.event.user.key, HANDOFF_SOURCE, _same_question_key(row.question)
    )
    if existing is not None:
        ctx.reply(ctx.t("faq.handoff_exists", ticket_no=existing.ticket_no))
        return
    limit = ctx.services.config.tickets.max_open_per_user
    if await tickets.count_open(ctx.store, ctx.event.user.key) >= limit:
        ctx.reply(ctx.t("complaint.too_many_open", limit=limit))
        return
    await _hand_off(ctx, row)


async def _latest_answer(ctx: Context) -> FaqAnswerRow | None:
    query = (
        select(FaqAnswerRow)
        .where(FaqAnswerRow.user_key == ctx.event.user.key)
        .order_by(FaqAnswerRow.id.desc())
        .limit(1)
    )
    return (await ctx.session.execute(query)).scalar_one_or_none()


def _same_question_key(question: str) -> str:
    """The question as compared for "the same question again": width, case and spaces aside."""
    folded = unicodedata.normalize("NFKC", question).casefold()
    return "".join(folded.split())[:500]


def _bot_answer(ctx: Context, intent: str) -> str:
    """What the bot already told the user about ``intent`` (for staff, shortened)."""
    entry = ctx.services.knowledge.entry_for(intent) if intent != UNSURE else None
    if entry is None:
        return ctx.t("faq.handoff_no_answer")
    text = " ".join(entry.answer("zh", **faq_values(ctx)).split())
    return text if len(text) <= _ANSWER_EXCERPT else text[: _ANSWER_EXCERPT - 1] + "…"


async def _hand_off(ctx: Context, row: FaqAnswerRow) -> None:
    """Open the ticket with the question, the intent and the bot's answer; tell everyone."""
    config = ctx.services.config
    enterprise = row.intent == ids.BULK_PURCHASE or is_enterprise_user(ctx)
    category = _CATEGORY_OF_INTENT.get(row.intent, "other")
    # Enterprise hand-offs take the complaint flow's enterprise route (as a bulk order does):
    # a plan is due, and the consultant hears at once. Others ask for a first answer.
    complexity = tickets.Complexity.COMPLEX if enterprise else tickets.Complexity.SIMPLE
    topic = INTENT_LABELS.get(row.intent, INTENT_LABELS[UNSURE])
    answered = _bot_answer(ctx, row.intent)
    ticket = await tickets.create_ticket(
        ctx.store,
        tickets.NewTicket(
            user=ctx.event.user,
            category=category,
            complexity=complexity,
            summary=ctx.t("faq.handoff_summary", topic=topic, question=row.question),
            enterprise=enterprise,
            fields={
                "question": row.question,
                "question_key": _same_question_key(row.question),
                "intent": row.intent,
                "bot_answer": answered,
                "faq_answer_id": row.id,
                "source": HANDOFF_SOURCE,
            },
            transcript=[{"from": "user", "text": row.question}, {"from": "bot", "text": answered}],
        ),
        now=ctx.now,
        sla=config.sla,
        tz=config.conversation.timezone,
    )
    announce_new_ticket(ctx, ticket)
    if enterprise:
        notify_consultant(ctx, ticket.ticket_no, ticket.summary)
        lines = [
            ctx.t(
                "faq.handed_off_enterprise",
                consultant=config.enterprise.consultant,
                ticket_no=ticket.ticket_no,
                hours=f"{config.sla.complex_plan_hours:g}",
            ),
            *enterprise_lines(ctx),
        ]
        ctx.reply("\n".join(lines))
        return
    hours = f"{config.sla.simple_first_response_hours:g}"
    ctx.reply(ctx.t("faq.handed_off", ticket_no=ticket.ticket_no, hours=hours))
