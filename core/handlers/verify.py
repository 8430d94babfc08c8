"""``/verify <@user | handle | phone | QQ | WeChat | URL>``: is it really official?

A mention or a replied-to author is checked by platform user id (names can be copied; ids
cannot). Text is classified by ``core.guard.handles`` and compared with the official
channels and accounts by platform id or username on every platform (Telegram id and
@username, Discord snowflake and mention, Feishu open_id, console id). A text that only
equals an official account's display name is answered plainly: a name is no proof, here is
the account's real handle and how to check it on that platform. Official accounts are always
shown by that handle (`core.handlers.official_ids`), never by name, and never masked; only
what the user typed is masked when it is not official. Flagged impostors say so, and
look-alikes of an official domain or username are named. ``/verify`` alone in private asks
for the handle as a one-step flow.
"""

from __future__ import annotations

from core.context import Context
from core.guard.handles import (
    Handle,
    OfficialMatch,
    find_lookalike,
    match_official,
    parse_handle,
)
from core.guard.matcher import OfficialAccountLike
from core.handlers.guard import target_name
from core.handlers.official_ids import accounts_text, credential, how_to_check, platform_name
from core.handlers.support import channel_lines
from core.masking import mask_sensitive
from core.model import User
from core.moderation import cases
from core.moderation.cases import Target
from core.texts import TEXTS

FLOW = "verify"
_MAX_INPUT = 300


def _channels_and_accounts(ctx: Context) -> list[str]:
    lines = [ctx.t("verify.channels_title"), *channel_lines(ctx)]
    lines.append(ctx.t("verify.accounts", accounts=accounts_text(ctx)))
    return lines


def _not_official(ctx: Context, shown: str, extra: list[str]) -> None:
    brand = ctx.services.config.brand.name
    lines = [ctx.t("verify.not_official", value=shown, brand=brand), *extra]
    ctx.reply("\n".join(lines + _channels_and_accounts(ctx)))


def _official_account(ctx: Context, shown: str, account: OfficialAccountLike) -> None:
    """``shown`` is ``account``: say so, with the handle that proves it."""
    what = ctx.t(
        "verify.account_kind", platform=platform_name(ctx, account.platform), role=account.role
    )
    brand = ctx.services.config.brand.name
    lines = [
        ctx.t("verify.official", value=shown, brand=brand, what=what),
        ctx.t("verify.identity", credential=credential(ctx, account)),
    ]
    if account.platform != ctx.event.platform:
        lines.append(ctx.t("verify.other_platform", platform=platform_name(ctx, account.platform)))
    ctx.reply("\n".join(lines))


def _name_only(ctx: Context, shown: str, account: OfficialAccountLike, extra: list[str]) -> None:
    """Only a display name matched: a name is no proof; show the real handle and how to check."""
    lines = [
        ctx.t(
            "verify.name_only",
            value=shown,
            brand=ctx.services.config.brand.name,
            platform=platform_name(ctx, account.platform),
            role=account.role,
            credential=credential(ctx, account, with_platform=False),
        ),
        ctx.t("verify.how_to_check", how=how_to_check(ctx, account)),
        *extra,
    ]
    ctx.reply("\n".join(lines + _channels_and_accounts(ctx)))


async def _flag_line(ctx: Context, target_key: str) -> list[str]:
    flagged = await cases.flag_anywhere(ctx.session, target_key)
    return [ctx.t("verify.flagged", case=flagged.case_id)] if flagged is not None else []


async def verify_user(ctx: Context, user: User) -> None:
    """A mentioned or replied-to account: judged by its platform user id."""
    target = Target.of(user)
    for account in ctx.services.config.official.accounts:
        if account.platform == user.platform and account.user_id.strip() == user.id:
            _official_account(ctx, target_name(ctx, target), account)
            return
    _not_official(ctx, target_name(ctx, target), await _flag_line(ctx, user.key))


async def verify_text(ctx: Context, text: str) -> None:
    handle = parse_handle(text[:_MAX_INPUT])
    config = ctx.services.config
    shown = handle.value.strip()[:80]
    if not handle.normalized:
        ctx.reply(ctx.t("verify.empty"))
        return
    match = match_official(
        handle,
        config.official.channels,
        config.official.accounts,
        prefer_platform=ctx.event.platform,
    )
    if match is not None and not match.name_only:
        _official(ctx, shown, match)
        return
    shown = mask_sensitive(shown)  # not official: may be a buyer's own number
    extra = await _known_account_flag(ctx, handle)
    lookalike = find_lookalike(handle, config.official.channels, config.official.accounts)
    if lookalike is not None:
        how = f"verify.why.{lookalike.kind}"
        reason = (
            ctx.t(how, official=lookalike.official, handle=lookalike.subject)
            if how in TEXTS
            else lookalike.reason
        )
        extra.append(ctx.t("verify.lookalike", official=lookalike.official, reason=reason))
    if match is not None and match.account is not None:  # a display name: anyone can copy it
        _name_only(ctx, shown, match.account, extra)
        return
    _not_official(ctx, shown, extra)


def _official(ctx: Context, shown: str, match: OfficialMatch) -> None:
    if match.account is not None:
        _official_account(ctx, shown, match.account)
        return
    brand = ctx.services.config.brand.name
    ctx.reply(ctx.t("verify.official", value=shown, brand=brand, what=match.label))


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
