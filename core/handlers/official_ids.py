"""How the bot shows an official account: by what proves it, never by its display name.

A display name can be copied by anyone, so every list of official accounts (``/support``,
``/verify``, the group hint) shows the platform and a handle a buyer can check there:
``@username`` with the numeric id on Telegram and Discord, the ``open_id`` on Feishu. These
values come from config, not from the user, so they are shown in full (never masked).
`how_to_check` tells a buyer where to find that handle on each platform.
"""

from __future__ import annotations

from collections.abc import Sequence

from core import people
from core.context import Context
from core.guard.matcher import OfficialAccountLike


def platform_name(ctx: Context, platform: str) -> str:
    """The platform's name in the reader's language."""
    return people.platform_name(platform, ctx.locale)


def id_label(account: OfficialAccountLike) -> str:
    """What the platform calls the configured id: Feishu has several kinds."""
    user_id = account.user_id.strip()
    if account.platform == "feishu":
        if user_id.startswith("ou_"):
            return "open_id"
        if user_id.startswith("on_"):
            return "union_id"
        return "user_id"
    return "ID"


def credential(ctx: Context, account: OfficialAccountLike, *, with_platform: bool = True) -> str:
    """``Telegram @xinghe_support（ID 100001）``, ``飞书 open_id ou_…``: checkable handles."""
    user_id = account.user_id.strip()
    username = account.username.strip().lstrip("@")
    ident = f"{id_label(account)} {user_id}"
    handle = ctx.t("official.with_username", username=username, ident=ident) if username else ident
    return f"{platform_name(ctx, account.platform)} {handle}" if with_platform else handle


def visible_accounts(ctx: Context) -> Sequence[OfficialAccountLike]:
    """The accounts on the asker's platform, or every account when it has none."""
    config = ctx.services.config
    return config.accounts_on(ctx.event.platform) or config.official.accounts


def accounts_text(ctx: Context) -> str:
    """The official accounts as checkable handles, joined for one line of text."""
    shown = [credential(ctx, a) for a in visible_accounts(ctx)]
    return ctx.t("official.separator").join(shown) or "—"


def account_lines(ctx: Context) -> list[str]:
    """One bullet per official account, with its role and checkable handle."""
    config = ctx.services.config
    own = config.accounts_on(ctx.event.platform)
    accounts = own or config.official.accounts
    en = ctx.locale == "en"
    return [
        ctx.t(
            "official.account_line",
            # Chinese runs the words together ("飞书售后"); English needs the space.
            platform="" if own else platform_name(ctx, a.platform) + (" " if en else ""),
            role=a.role,
            credential=credential(ctx, a, with_platform=False),
        )
        for a in accounts
    ]


def how_to_check(ctx: Context, account: OfficialAccountLike) -> str:
    """Where a buyer sees the handle that proves an account, on the account's platform."""
    platform = account.platform if account.platform in people.PLATFORM_NAMES else "console"
    username = account.username.strip().lstrip("@")
    return ctx.t(
        f"official.how.{platform}",
        handle=f"@{username}" if username else f"{id_label(account)} {account.user_id.strip()}",
        credential=credential(ctx, account, with_platform=False),
        id=account.user_id.strip(),
        brand=ctx.services.config.brand.name,
    )
