"""``/verify <@user | handle | phone | QQ | WeChat | URL>``: is it really official?

A mention or a replied-to author is checked by platform user id (names can be copied; ids
cannot). Text is classified by ``core.guard.handles`` and compared with the official
channels and accounts. Flagged impostors say so, and look-alikes of an official domain or
username are named. ``/verify`` alone in private asks for the handle as a one-step flow.
"""

from __future__ import annotations

from core.context import Context
from core.guard.handles import Handle, find_lookalike, match_official, parse_handle
from core.handlers.guard import official_accounts_text
from core.handlers.support import PLATFORM_NAMES, channel_lines
from core.masking import mask_sensitive
from core.model import User
from core.moderation import cases
from core.moderation.cases import Target

FLOW = "verify"
_MAX_INPUT = 300


def _platform_name(platform: str) -> str:
    return PLATFORM_NAMES.get(platform, platform)


def _not_official(ctx: Context, shown: str, extra: list[str]) -> None:
    brand = ctx.services.config.brand.name
    lines = [ctx.t("verify.not_official", value=shown, brand=brand), *extra]
    lines += channel_lines(ctx.services.config)
    lines.append(ctx.t("verify.accounts", accounts=official_accounts_text(ctx)))
    ctx.reply("\n".join(lines))


async def _flag_line(ctx: Context, target_key: str) -> list[str]:
    flagged = await cases.active_flag(ctx.session, target_key)
    return [ctx.t("verify.flagged", case=flagged.case_id)] if flagged is not None else []


async def verify_user(ctx: Context, user: User) -> None:
    """A mentioned or replied-to account: judged by its platform user id."""
    target = Target.of(user)
    for account in ctx.services.config.official.accounts:
        if account.platform == user.platform and account.user_id == user.id:
            what = ctx.t(
                "verify.account_kind", platform=_platform_name(account.platform), role=account.role
            )
            brand = ctx.services.config.brand.name
            ctx.reply(ctx.t("verify.official", value=target.label, brand=brand, what=what))
            return
    _not_official(ctx, target.label, await _flag_line(ctx, user.key))


async def verify_text(ctx: Context, text: str) -> None:
    handle = parse_handle(text[:_MAX_INPUT])
    config = ctx.services.config
    shown = handle.value.strip()[:80]
    if not handle.normalized:
        ctx.reply(ctx.t("verify.empty"))
        return
    match = match_official(handle, config.official.channels, config.official.accounts)
    if match is not None and not match.name_only:
        if match.account is not None:
            what = ctx.t(
                "verify.account_kind",
                platform=_platform_name(match.account.platform),
                role=match.account.role,
            )
        else:
            what = match.label
        ctx.reply(ctx.t("verify.official", value=shown, brand=config.brand.name, what=what))
        return
    shown = mask_sensitive(shown)  # not official: may be a buyer's own number
    extra = await _known_account_flag(ctx, handle)
    if match is not None:  # only the display name matched: anyone can copy a name
        extra.append(ctx.t("verify.name_only", username=match.value))
    lookalike = find_lookalike(handle, config.official.channels, config.official.accounts)
    if lookalike is not None:
        extra.append(
            ctx.t("verify.lookalike", official=lookalike.official, reason=lookalike.reason)
        )
    _not_official(ctx, shown, extra)


async def _known_account_flag(ctx: Context, handle: Handle) -> list[str]:
    if handle.kind not in ("username", "user_id"):
        return []
    known = await cases.find_known_user(ctx.session, ctx.event.platform, handle.normalized)
    return await _flag_line(ctx, known.key) if known is not None else []


class VerifyFlow:
    """``/verify``: answers at once with an argument, otherwise asks for one (in private)."""

    name = FLOW

    async def start(self, ctx: Context) -> None:
        event = ctx.event
        target = event.reply_to_user or (event.mentions[0] if event.mentions else None)
        if target is not None:
            await verify_user(ctx, target)
        elif event.args.strip():
            await verify_text(ctx, event.args)
        elif ctx.in_private:
            ctx.conversation.start(FLOW, "handle")
            ctx.reply(ctx.t("verify.ask"))
        else:
            ctx.reply(ctx.t("verify.usage"))

    async def on_input(self, ctx: Context) -> None:
        text = ctx.event.text.strip()
        if not text:
            ctx.reply(ctx.t("verify.ask"))  # a button or empty form: ask again
            return
        ctx.conversation.finish()
        if ctx.event.mentions:
            await verify_user(ctx, ctx.event.mentions[0])
        else:
            await verify_text(ctx, text)
