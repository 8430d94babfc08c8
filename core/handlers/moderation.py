"""Moderator commands: ``/flag``, ``/unflag``, ``/flags``.

Only moderators (the group's admins, checked through the adapter, or accounts listed in
``moderation.moderators``) may use them; anyone else gets a polite refusal and nothing
changes. The target is the author of the replied-to message, a mention, or ``@handle`` / id
as the first argument; a reason is required. Flags are cases (see ``core.moderation.cases``)
and apply in every community the bot serves.
"""

from __future__ import annotations

from datetime import timedelta

from core.context import Context
from core.handlers import guard
from core.model import Button
from core.moderation import cases
from core.moderation.cases import Target

FLAGS_PER_PAGE = 10


async def _require_moderator(ctx: Context) -> bool:
    if await ctx.is_moderator():
        return True
    ctx.reply(ctx.t("mod.refused", command=ctx.event.command), ephemeral=True)
    return False


async def _target_and_reason(ctx: Context) -> tuple[Target | None, str]:
    """Who the command is about, and the rest of the text as the reason."""
    event = ctx.event
    args = event.args.strip()
    if event.reply_to_user is not None:
        return Target.of(event.reply_to_user), args
    first, _, rest = args.partition(" ")
    if event.mentions:
        mention = event.mentions[0]
        # Adapters leave the mention text in the arguments; drop it from the reason.
        reason = rest.strip() if first.startswith(("@", "<@")) else args
        return Target.of(mention), reason
    if not first:
        return None, ""
    found = await cases.find_known_user(ctx.session, event.platform, first)
    if found is None and first.lstrip("@").isdigit():
        found = Target(event.platform, first.lstrip("@"))
    return found, rest.strip()


async def _rate_limited(ctx: Context) -> bool:
    limits = ctx.services.config.moderation
    since = ctx.now - timedelta(minutes=limits.flag_window_minutes)
    used = await cases.flags_by_actor_since(ctx.session, ctx.event.user.key, since)
    if used >= limits.flag_limit:
        minutes = f"{limits.flag_window_minutes:g}"
        ctx.reply(ctx.t("mod.rate_limited", minutes=minutes), ephemeral=True)
        return True
    return False


async def on_flag(ctx: Context) -> None:
    if not await _require_moderator(ctx):
        return
    target, reason = await _target_and_reason(ctx)
    if target is None:
        ctx.reply(ctx.t("mod.flag_usage"))
        return
    if not reason:
        ctx.reply(ctx.t("mod.reason_required", command="flag"))
        return
    if ctx.services.official_account(target.platform, target.user_id):
        ctx.reply(ctx.t("mod.cannot_flag_official", target=target.label))
        return
    if await _rate_limited(ctx):
        return
    event = ctx.event
    evidence_id = event.reply_to_message_id
    case_id, new = await cases.flag(
        ctx.session,
        target=target,
        actor=event.user,
        reason=reason,
        now=ctx.now,
        chat_key=event.chat.key,
        evidence_message_id=evidence_id,
        evidence_text=event.reply_to_text,
    )
    ctx.services.metrics.flags.labels(action="flag" if new else "note").inc()
    if not new:
        ctx.reply(ctx.t("mod.already_flagged", target=target.label, case=case_id))
        return
    ctx.reply(ctx.t("mod.flagged", target=target.label, case=case_id, reason=reason))
    if not event.chat.is_private:
        guard.enforce(ctx, target, ctx.t("guard.flagged_reason", case=case_id))


async def on_unflag(ctx: Context) -> None:
    if not await _require_moderator(ctx):
        return
    target, reason = await _target_and_reason(ctx)
    if target is None:
        ctx.reply(ctx.t("mod.unflag_usage"))
        return
    if not reason:
        ctx.reply(ctx.t("mod.reason_required", command="unflag"))
        return
    if await _rate_limited(ctx):
        return
    case_id = await cases.unflag(
        ctx.session,
        target=target,
        actor=ctx.event.user,
        reason=reason,
        now=ctx.now,
        chat_key=ctx.event.chat.key,
    )
    if case_id is None:
        ctx.reply(ctx.t("mod.not_flagged", target=target.label))
    else:
        ctx.services.metrics.flags.labels(action="unflag").inc()
        ctx.reply(ctx.t("mod.unflagged", target=target.label, case=case_id, reason=reason))


def _page_number(ctx: Context) -> int:
    raw = ctx.event.args.strip() or ctx.event.payload.partition(":")[2]
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


async def on_flags(ctx: Context) -> None:
    if not await _require_moderator(ctx):
        return
    page = _page_number(ctx)
    rows, total = await cases.list_flags(ctx.session, page=page, per_page=FLAGS_PER_PAGE)
    if total == 0:
        ctx.reply(ctx.t("mod.no_flags"))
        return
    pages = (total + FLAGS_PER_PAGE - 1) // FLAGS_PER_PAGE
    lines = [ctx.t("mod.flags_title", total=total, page=min(page, pages), pages=pages)]
    for flagged, case in rows:
        platform, _, user_id = flagged.target_key.partition(":")
        target = Target(platform, user_id, flagged.target_name, flagged.target_username)
        when = flagged.flagged_at.strftime("%Y-%m-%d %H:%M")
        actor = case.actor_name or case.actor_key
        lines.append(
            f"#{case.id} {target.label} [{target.platform}] — {case.reason}({actor},{when} UTC)"
        )
    buttons: list[Button] = []
    if page > 1:
        buttons.append(Button(label=ctx.t("mod.prev_page"), payload=f"flags:{page - 1}"))
    if page < pages:
        buttons.append(Button(label=ctx.t("mod.next_page"), payload=f"flags:{page + 1}"))
    ctx.reply("\n".join(lines), (tuple(buttons),) if buttons else ())
