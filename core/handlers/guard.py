"""Impostor guard in groups: flagged accounts, look-alike names, unofficial contacts.

Runs on member joins and renames (adapters deliver those events), on the first group event
of a user the bot has not seen or whose name changed (Telegram has no rename event), and on
every group message. The first sighting of a suspect is recorded as a case and reported to
the moderators' alert chats; in a community the bot serves, every message of a flagged or
suspected account is acted on (deleted per ``guard.delete_flagged_messages``, the user
restricted or removed per ``guard.action``, the group warned each time). In groups it does
not serve the bot only warns: it is nobody's moderation tool there.

A flag applies where it was set (see ``core.moderation.cases``). Official accounts, the
shop's staff (``staff.members``) and moderators are not judged by their names or the
contacts they post; only official accounts are beyond a moderator's flag. Names are shown
to the group defanged (``core.moderation.display``): never as a link, mention or number.
"""

from __future__ import annotations

import logging
import re

from core.context import Context
from core.guard.handles import match_official, parse_handle
from core.handlers.official_ids import accounts_text
from core.masking import mask_sensitive
from core.model import DeleteMessage, EventKind, NotifyStaff, RestrictUser, User
from core.moderation import cases
from core.moderation.cases import Target
from core.moderation.contacts import find_contacts, offers_support_contact
from core.moderation.display import safe_name
from core.people import person
from core.texts import TEXTS

log = logging.getLogger(__name__)


def enforce(ctx: Context, target: Target, reason: str) -> None:
    """Restrict or remove ``target`` in this group when ``guard.action`` says so (only in a
    community the bot serves)."""
    action = ctx.services.config.guard.action
    if action == "report" or ctx.served_community is None:
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


def _warn_group(ctx: Context, target: Target) -> None:
    ctx.services.metrics.impostor_alerts.inc()
    ctx.reply(
        ctx.t(
            "guard.group_warning",
            name=safe_name(target.name or target_name(ctx, target)),
            brand=ctx.services.config.brand.name,
            accounts=accounts_text(ctx),
        )
    )


def _act(ctx: Context, target: Target, reason: str) -> None:
    """In a served community: remove the account's message (when the event is one) and
    restrict or remove the account as configured."""
    event = ctx.event
    if ctx.served_community is None:
        return
    deletes = ctx.services.config.guard.delete_flagged_messages
    if event.kind is EventKind.MESSAGE and deletes and event.message_id:
        ctx.actions.append(DeleteMessage(chat=event.chat, message_id=event.message_id))
    enforce(ctx, target, reason)


_RULE_CODE = re.compile(r"\s*\[([a-z][a-z-]*)\]")


def shown_reason(ctx: Context, reason: str, locale: str | None = None) -> str:
    """A verdict's reason in words for people: the rule codes (``[official-exact]``) stay in
    the logs, the case record and the ``check-name`` JSON. The guard explains itself in
    Chinese; an English reader gets the rule in English."""
    locale = locale or ctx.locale
    codes = _RULE_CODE.findall(reason)
    words = _RULE_CODE.sub("", reason).strip()
    if not codes:
        return reason
    if locale == "en" or not words:
        key = f"guard.rule.{codes[-1]}"
        return ctx.services.texts.get(key if key in TEXTS else "guard.rule.other", locale)
    return words


def target_name(ctx: Context, target: Target, locale: str | None = None) -> str:
    """ "退款专员（Telegram ID 777）": the name with a handle, never a ``platform:id`` key."""
    return person(
        ctx.services.texts, locale or ctx.locale, target.platform, target.user_id, target.name,
        target.username,
    )  # fmt: skip


def chat_name(ctx: Context, locale: str) -> str:
    """The group by its title, or by platform and a short id when it has none."""
    chat = ctx.event.chat
    if chat.title:
        return chat.title
    return person(ctx.services.texts, locale, chat.platform, chat.id)


def _report(ctx: Context, target: Target, reason: str, case_id: int) -> None:
    """First sighting: warn the group, alert the moderators, act as configured."""
    _warn_group(ctx, target)
    locale = ctx.services.config.conversation.default_locale  # the moderators' language
    _alert_moderators(
        ctx,
        ctx.services.texts.get(
            "guard.alert",
            locale,
            chat=chat_name(ctx, locale),
            target=target_name(ctx, target, locale),
            reason=shown_reason(ctx, reason, locale),
            case=case_id,
        ),
    )
    _act(ctx, target, shown_reason(ctx, reason))


async def _not_screened(ctx: Context) -> bool:
    """Whether the event's user is beyond the guard's name and contact checks: the shop's own
    staff (``staff.members``) may be called 客服, and moderators (group admins included) 群主
    or 管理员. Official accounts are let through earlier, before the flag check."""
    return ctx.is_staff() or await ctx.is_moderator()


def _first_sighting(ctx: Context) -> bool:
    """A join, a rename, or the first event of a user new to the bot or renamed."""
    kind = ctx.event.kind
    return ctx.identity_changed or kind in (EventKind.MEMBER_JOINED, EventKind.MEMBER_RENAMED)


async def check_member(ctx: Context) -> bool:
    """Judge the event's user in this group. True when the user was reported or acted on."""
    user = ctx.event.user
    services = ctx.services
    if services.official_account(user.platform, user.id):
        return False
    target = Target.of(user)
    chat = ctx.event.chat
    flagged = None
    if await cases.may_be_flagged(ctx.store, user):
        flagged = await cases.flag_for_user(ctx.session, user, chat.community_key, ctx.now)
    if flagged is not None:
        locale = services.config.conversation.default_locale
        reason = services.texts.get("guard.flagged_reason", locale, case=flagged.case_id)
        log.info("flagged account %s seen in %s (case %s)", user.key, chat.key, flagged.case_id)
        if _first_sighting(ctx):
            _report(ctx, target, reason, flagged.case_id)
        elif ctx.served_community is not None:
            _warn_group(ctx, target)
            _act(ctx, target, reason)
        else:
            return False  # elsewhere the group was warned when it first saw them
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
    if not _first_sighting(ctx):
        # Already reported when first seen under this name: act on the message again.
        if ctx.served_community is None:
            return False
        _warn_group(ctx, target)
        _act(ctx, target, shown_reason(ctx, verdict.reason))
        return True
    case_id = await cases.record_suspect(
        ctx.session,
        target=target,
        reason=verdict.reason,
        chat_key=chat.key,
        now=ctx.now,
        scope=chat.community_key,
    )
    log.info(
        "suspected impostor %s in %s: %s (case %s)", user.key, chat.key, verdict.reason, case_id
    )
    _report(ctx, target, verdict.reason, case_id)
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


async def on_new_identity(ctx: Context) -> bool:
    """A user new to the bot, or renamed, acts in a group: judge them there (a message is
    judged with the message itself, by :func:`screen_group_message`). True when they were
    reported: the warning is the bot's whole answer to that command or button press."""
    if ctx.event.kind is not EventKind.MESSAGE:
        return await check_member(ctx)
    return False


async def screen_group_message(ctx: Context) -> bool:
    """Judge the speaker (flags, names), then warn about unofficial contacts in the message.
    True when the message was dealt with."""
    if await check_member(ctx):
        return True
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
            accounts=accounts_text(ctx),
        )
    )
    if config.guard.delete_unofficial_contacts and event.message_id:
        ctx.actions.append(DeleteMessage(chat=event.chat, message_id=event.message_id))
    log.info("unofficial contact offered by %s in %s", event.user.key, event.chat.key)
    return True
