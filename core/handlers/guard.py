"""Impostor guard in groups: flagged accounts, look-alike names, unofficial contacts.

Runs on member joins and renames (adapters deliver those events), and on the first group
message of a user the bot has not seen or whose name changed (Telegram has no rename
event). Suspects are recorded as cases, reported to the moderators' alert chats, and by
config restricted or removed; the group gets a short warning naming the real accounts.
Official accounts, the shop's staff (``staff.members``) and moderators are not judged by
their names or the contacts they post; only official accounts are beyond a moderator's flag.
"""

from __future__ import annotations

import logging

from core.context import Context
from core.guard.handles import match_official, parse_handle
from core.masking import mask_sensitive
from core.model import DeleteMessage, EventKind, NotifyStaff, RestrictUser, User
from core.moderation import cases
from core.moderation.cases import Target
from core.moderation.contacts import find_contacts, offers_support_contact

log = logging.getLogger(__name__)


def official_accounts_text(ctx: Context) -> str:
    accounts = (
        ctx.services.config.accounts_on(ctx.event.platform) or ctx.services.config.official.accounts
    )
    handles = [f"@{a.username}" if a.username else a.display_name for a in accounts]
    return "、".join(h for h in handles if h) or "—"


def enforce(ctx: Context, target: Target, reason: str) -> None:
    """Restrict or remove ``target`` in this group when ``guard.action`` says so."""
    action = ctx.services.config.guard.action
    if action == "report" or ctx.event.chat.is_private:
        return
    user = User(
        platform=target.platform,
        id=target.user_id,
        display_name=target.name,
        username=target.username,
    )
    ctx.actions.append(
        RestrictUser(chat=ctx.event.chat, user=user, reason=reason, remove=action == "remove")
    )


def _alert_moderators(ctx: Context, text: str) -> None:
    for destination in ctx.services.config.moderation.alert_chats:
        ctx.actions.append(NotifyStaff(destination=destination, text=text))


def _warn_group(ctx: Context, target: Target, reason: str, case_id: int) -> None:
    chat = ctx.event.chat
    ctx.services.metrics.impostor_alerts.inc()
    ctx.reply(
        ctx.t(
            "guard.group_warning",
            name=target.name or target.label,
            brand=ctx.services.config.brand.name,
            accounts=official_accounts_text(ctx),
        )
    )
    _alert_moderators(
        ctx,
        ctx.t(
            "guard.alert",
            chat=chat.title or chat.key,
            target=target.label,
            key=target.key,
            reason=reason,
            case=case_id,
        ),
    )
    enforce(ctx, target, reason)


async def _not_screened(ctx: Context) -> bool:
    """Whether the event's user is beyond the guard's name and contact checks: the shop's own
    staff (``staff.members``) may be called 客服, and moderators (group admins included) 群主
    or 管理员. Official accounts are let through earlier, before the flag check."""
    return ctx.is_staff() or await ctx.is_moderator()


async def check_member(ctx: Context) -> bool:
    """Judge the event's user in this group. True when the user was reported."""
    user = ctx.event.user
    services = ctx.services
    if services.official_account(user.platform, user.id):
        return False
    target = Target.of(user)
    flagged = await cases.active_flag(ctx.session, user.key)
    if flagged is not None:
        reason = ctx.t("guard.flagged_reason", case=flagged.case_id)
        log.info(
            "flagged account %s seen in %s (case %s)", user.key, ctx.event.chat.key, flagged.case_id
        )
        _warn_group(ctx, target, reason, flagged.case_id)
        return True
    if not services.config.guard.check_names:
        return False
    verdicts = [
        services.name_guard.check(name, platform=user.platform, user_id=user.id)
        for name in (user.display_name, user.username)
        if name
    ]
    suspicious = [v for v in verdicts if v.suspicious]
    if not suspicious or await _not_screened(ctx):
        return False  # an explicit flag (above) applied to them all the same
    verdict = max(suspicious, key=lambda v: v.score)
    case_id = await cases.record_suspect(
        ctx.session, target=target, reason=verdict.reason, chat_key=ctx.event.chat.key, now=ctx.now
    )
    log.info(
        "suspected impostor %s in %s: %s (case %s)",
        user.key,
        ctx.event.chat.key,
        verdict.reason,
        case_id,
    )
    _warn_group(ctx, target, verdict.reason, case_id)
    return True


async def on_member(ctx: Context) -> None:
    """Member joined or renamed (events from the adapters)."""
    if ctx.event.kind in (EventKind.MEMBER_JOINED, EventKind.MEMBER_RENAMED) and not ctx.in_private:
        await check_member(ctx)


def unofficial_contacts(ctx: Context, text: str) -> list[str]:
    """Contacts in ``text`` that match no official channel or account."""
    config = ctx.services.config
    unofficial = []
    for fragment in find_contacts(text):
        handle = parse_handle(fragment)
        if match_official(handle, config.official.channels, config.official.accounts) is None:
            unofficial.append(fragment)
    return unofficial


async def on_new_identity(ctx: Context) -> None:
    """A user new to the bot, or renamed, speaks in a group: judge them there."""
    await check_member(ctx)


async def screen_group_message(ctx: Context) -> bool:
    """Warn about unofficial contacts in a group message. True when it warned."""
    event = ctx.event
    config = ctx.services.config
    if not config.guard.warn_unofficial_contacts or not offers_support_contact(event.text):
        return False
    if ctx.services.official_account(event.platform, event.user.id):
        return False
    contacts = unofficial_contacts(ctx, event.text)
    if not contacts or await _not_screened(ctx):
        return False
    shown = "、".join(mask_sensitive(c) for c in contacts[:3])
    ctx.reply(
        ctx.t(
            "guard.contact_warning",
            contacts=shown,
            brand=config.brand.name,
            accounts=official_accounts_text(ctx),
        )
    )
    if config.guard.delete_unofficial_contacts and event.message_id:
        ctx.actions.append(DeleteMessage(chat=event.chat, message_id=event.message_id))
    log.info("unofficial contact offered by %s in %s", event.user.key, event.chat.key)
    return True
