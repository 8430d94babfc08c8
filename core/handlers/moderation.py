"""Moderator commands: ``/flag``, ``/unflag``, ``/flags``.

Who may use them, checked here on every call: accounts listed in ``moderation.moderators``
(global moderators, anywhere) and the admins of a community the bot serves
(``moderation.communities``), there only. Anyone else gets a polite refusal and nothing
changes; an admin of a group the bot does not serve is told why. The target is the author of
the replied-to message, a mention, or ``@handle`` / id as the first argument; a reason is
required. A handle the bot has not seen yet is flagged pending, until it shows up.

Flags are cases (see ``core.moderation.cases``) with a scope: a global moderator's flag
applies in every community, a community admin's in that community only. No community can
lift another's flag or a global one, and ``/flags`` lists only the flags that apply where it
is asked.
"""

from __future__ import annotations

import re
from datetime import timedelta

from core.complaint.facts import local_time
from core.complaint.prompts import tz_of
from core.context import Context
from core.handlers import guard
from core.model import Button
from core.moderation import cases
from core.moderation.cases import GLOBAL_SCOPE, Target
from core.people import person_by_key

FLAGS_PER_PAGE = 10
# What a Telegram / Discord username looks like (a pending flag needs one).
_HANDLE = re.compile(r"@?[A-Za-z][A-Za-z0-9_.]{3,31}")


async def _require_moderator(ctx: Context) -> bool:
    if await ctx.is_moderator():
        return True
    command = ctx.event.command or ctx.event.payload.partition(":")[0]
    if ctx.served_community is None and await ctx.is_chat_admin():
        ctx.reply(ctx.t("mod.not_served", command=command), ephemeral=True)
    else:
        ctx.reply(ctx.t("mod.refused", command=command), ephemeral=True)
    return False


def _scope(ctx: Context) -> str:
    """Where this moderator's flags apply: everywhere, or their community."""
    if ctx.is_global_moderator():
        return GLOBAL_SCOPE
    community = ctx.served_community
    assert community is not None  # _require_moderator let a community admin through
    return community


def _official_target(ctx: Context, handle: str) -> Target | None:
    """An official account named by ``@username`` or id on this platform."""
    name = handle.strip().lstrip("@").lower()
    for account in ctx.services.config.accounts_on(ctx.event.platform):
        if name and name in (account.user_id.lower(), account.username.lower()):
            return Target(
                ctx.event.platform, account.user_id, account.display_name, account.username
            )
    return None


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
    found = _official_target(ctx, first) or await cases.find_known_user(
        ctx.session, event.platform, first
    )
    bare = first.lstrip("@")
    if found is None and bare.isascii() and bare.isdigit():
        found = Target(event.platform, bare)
    elif found is None and _HANDLE.fullmatch(first):
        found = cases.pending_target(event.platform, first)
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
        ctx.reply(ctx.t("mod.cannot_flag_official", target=guard.target_name(ctx, target)))
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
        scope=_scope(ctx),
        chat_key=event.chat.key,
        evidence_message_id=evidence_id,
        evidence_text=event.reply_to_text,
    )
    ctx.services.metrics.flags.labels(action="flag" if new else "note").inc()
    name = guard.target_name(ctx, target)
    if not new:
        ctx.reply(ctx.t("mod.already_flagged", target=name, case=case_id))
        return
    where = ctx.t("mod.scope_everywhere" if _scope(ctx) == GLOBAL_SCOPE else "mod.scope_here")
    if cases.is_pending(target.key):
        ctx.reply(ctx.t("mod.flagged_pending", target=name, case=case_id, where=where))
        return
    ctx.reply(ctx.t("mod.flagged", target=name, case=case_id, reason=reason, where=where))
    if ctx.served_community is not None:
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
    result = await cases.unflag(
        ctx.session,
        target=target,
        actor=ctx.event.user,
        reason=reason,
        now=ctx.now,
        chat_key=ctx.event.chat.key,
        scope=_scope(ctx),
    )
    if result.case_id is None:
        key = "mod.unflag_global_only" if result.refused == "global" else "mod.not_flagged"
        ctx.reply(ctx.t(key, target=guard.target_name(ctx, target)))
        return
    ctx.services.metrics.flags.labels(action="unflag").inc()
    ctx.reply(
        ctx.t(
            "mod.unflagged",
            target=guard.target_name(ctx, target),
            case=result.case_id,
            reason=reason,
        )
    )


def _page_number(ctx: Context) -> int:
    """The page asked for; anything but a plain (ASCII) number in range is page 1."""
    raw = ctx.event.args.strip() or ctx.event.payload.partition(":")[2]
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 5):
        return 1
    return max(1, int(raw))


async def on_flags(ctx: Context) -> None:
    if not await _require_moderator(ctx):
        return
    page = _page_number(ctx)
    community = None if ctx.is_global_moderator() else ctx.served_community
    rows, total = await cases.list_flags(
        ctx.session, page=page, per_page=FLAGS_PER_PAGE, community=community
    )
    if total == 0:
        ctx.reply(ctx.t("mod.no_flags"))
        return
    pages = (total + FLAGS_PER_PAGE - 1) // FLAGS_PER_PAGE
    lines = [ctx.t("mod.flags_title", total=total, page=min(page, pages), pages=pages)]
    texts, tz = ctx.services.texts, tz_of(ctx)
    for flagged, case in rows:
        platform, _, user_id = flagged.target_key.partition(":")
        target = Target(platform, user_id, flagged.target_name, flagged.target_username)
        scope = ctx.t("mod.scope_all" if flagged.scope == GLOBAL_SCOPE else "mod.scope_community")
        pending = ctx.t("mod.pending_mark") if cases.is_pending(flagged.target_key) else ""
        lines.append(
            ctx.t(
                "mod.flags_line",
                case=case.id,
                target=guard.target_name(ctx, target),
                pending=pending,
                scope=scope,
                reason=guard.shown_reason(ctx, case.reason),
                actor=case.actor_name or person_by_key(texts, ctx.locale, case.actor_key),
                when=local_time(flagged.flagged_at, tz, locale=ctx.locale),
            )
        )
    buttons: list[Button] = []
    if page > 1:
        buttons.append(Button(label=ctx.t("mod.prev_page"), payload=f"flags:{page - 1}"))
    if page < pages:
        buttons.append(Button(label=ctx.t("mod.next_page"), payload=f"flags:{page + 1}"))
    ctx.reply("\n".join(lines), (tuple(buttons),) if buttons else ())
