"""Slash commands (the command names of DESIGN.md) and the two user context menus.

Names and descriptions default to English; Simplified Chinese (``zh-CN``) and Traditional
Chinese (``zh-TW``, converted with OpenCC) come from :class:`Localizations`, which
``tree.sync()`` asks for every string. Command names stay the contract names on every
client; option names and descriptions and the context-menu names are localized.

Permissions are enforced by the core (``/flag`` asks the adapter whether the member may
moderate), not by ``default_member_permissions``: configured moderators without Discord
permissions must still see the commands.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Protocol

import discord
import opencc
from discord import app_commands
from discord.app_commands import locale_str as _

Interaction = discord.Interaction[discord.Client]
Member = discord.Member | discord.User

FLAG_MENU = "Flag as impostor"
VERIFY_MENU = "Verify account"

ZH: dict[str, str] = {
    # descriptions
    "Welcome, official support channels and safety tips": "欢迎信息、官方售后入口与防骗提醒",
    "What the bot can do": "查看可用命令",
    "Official after-sales channels and the anti-scam reminder": "官方售后入口与防骗提醒",
    "Is an account, phone, QQ, WeChat id or link official?": (
        "核实账号、手机号、QQ、微信或链接是否官方"
    ),
    "File a complaint step by step (in private)": "提交投诉(私聊中一步步引导)",
    "Cancel the current step-by-step flow": "取消当前进行中的流程",
    "Your tickets, or the progress of one": "查看我的工单或某个工单的进度",
    "Order status": "查询订单状态",
    "Card key status (always shown masked)": "查询卡密状态(始终打码显示)",
    "Top-up progress": "查询充值进度",
    "Moderators: flag an impostor account": "版主:标记冒充账号",
    "Moderators: remove a flag": "版主:解除标记",
    "Moderators: list flagged accounts": "版主:查看已标记账号",
    "Staff: claim a ticket": "客服:认领工单",
    "Staff: reply to a ticket's user": "客服:回复工单用户",
    "Staff: close a ticket": "客服:关闭工单",
    "Escalate a ticket (users: once it is overdue)": "升级工单(用户:超过承诺时限后可用)",
    # option names
    "target": "核实对象",
    "member": "成员",
    "problem": "问题",
    "ticket_no": "工单号",
    "order_no": "订单号",
    "card_key": "卡密",
    "reason": "原因",
    "account": "账号",
    "page": "页码",
    "text": "内容",
    # option descriptions
    "@handle, phone, QQ, WeChat id or link": "@账号、手机号、QQ、微信号或链接",
    "A member of this server": "本服务器的成员",
    "What went wrong (optional)": "遇到的问题(可选)",
    "Ticket number, e.g. T-240001": "工单号,例如 T-240001",
    "Order number, e.g. DD2026112000001": "订单号,例如 DD2026112000001",
    "The card key (only shown masked)": "卡密(只会打码显示)",
    "Why (kept in the case)": "原因(记入案件)",
    "Or an @handle / user id": "或填写 @账号 / 用户 ID",
    "Page number": "页码",
    "Your answer to the user": "回复用户的内容",
    "Why it is closed": "关闭原因",
    # context menus
    FLAG_MENU: "标记为冒充者",
    VERIFY_MENU: "核实账号",
}


@cache
def _traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2twp")


class Localizations(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        text = ZH.get(string.message)
        if text is None:
            return None
        if locale is discord.Locale.chinese:
            return text
        if locale is discord.Locale.taiwan_chinese:
            return str(_traditional().convert(text))
        return None


class CommandListener(Protocol):
    async def on_slash(
        self, interaction: Interaction, command: str, args: str = "", user: Member | None = None
    ) -> None: ...

    async def on_flag_menu(self, interaction: Interaction, target: Member) -> None: ...

    async def on_verify_menu(self, interaction: Interaction, target: Member) -> None: ...


def _join(*parts: str | int | None) -> str:
    return " ".join(str(p).strip() for p in parts if p is not None and str(p).strip())


def register(tree: app_commands.CommandTree[discord.Client], on: CommandListener) -> None:
    """Add every command and context menu to ``tree`` (synced later with ``tree.sync()``)."""

    async def plain(interaction: Interaction, name: str) -> None:
        await on.on_slash(interaction, name)

    @tree.command(name="start", description=_("Welcome, official support channels and safety tips"))
    async def start(interaction: Interaction) -> None:
        await plain(interaction, "start")

    @tree.command(name="help", description=_("What the bot can do"))
    async def help_(interaction: Interaction) -> None:
        await plain(interaction, "help")

    @tree.command(
        name="support", description=_("Official after-sales channels and the anti-scam reminder")
    )
    async def support(interaction: Interaction) -> None:
        await plain(interaction, "support")

    @tree.command(
        name="verify", description=_("Is an account, phone, QQ, WeChat id or link official?")
    )
    @app_commands.rename(target=_("target"), member=_("member"))
    @app_commands.describe(
        target=_("@handle, phone, QQ, WeChat id or link"), member=_("A member of this server")
    )
    async def verify(
        interaction: Interaction, target: str | None = None, member: Member | None = None
    ) -> None:
        await on.on_slash(interaction, "verify", _join(target), member)

    @tree.command(name="complain", description=_("File a complaint step by step (in private)"))
    @app_commands.rename(problem=_("problem"))
    @app_commands.describe(problem=_("What went wrong (optional)"))
    async def complain(interaction: Interaction, problem: str | None = None) -> None:
        await on.on_slash(interaction, "complain", _join(problem))

    @tree.command(name="cancel", description=_("Cancel the current step-by-step flow"))
    async def cancel(interaction: Interaction) -> None:
        await plain(interaction, "cancel")

    @tree.command(name="ticket", description=_("Your tickets, or the progress of one"))
    @app_commands.rename(ticket_no=_("ticket_no"))
    @app_commands.describe(ticket_no=_("Ticket number, e.g. T-240001"))
    async def ticket(interaction: Interaction, ticket_no: str | None = None) -> None:
        await on.on_slash(interaction, "ticket", _join(ticket_no))

    @tree.command(name="order", description=_("Order status"))
    @app_commands.rename(order_no=_("order_no"))
    @app_commands.describe(order_no=_("Order number, e.g. DD2026112000001"))
    async def order(interaction: Interaction, order_no: str) -> None:
        await on.on_slash(interaction, "order", _join(order_no))

    @tree.command(name="card", description=_("Card key status (always shown masked)"))
    @app_commands.rename(card_key=_("card_key"))
    @app_commands.describe(card_key=_("The card key (only shown masked)"))
    async def card(interaction: Interaction, card_key: str) -> None:
        await on.on_slash(interaction, "card", _join(card_key))

    @tree.command(name="recharge", description=_("Top-up progress"))
    @app_commands.rename(order_no=_("order_no"))
    @app_commands.describe(order_no=_("Order number, e.g. DD2026112000001"))
    async def recharge(interaction: Interaction, order_no: str) -> None:
        await on.on_slash(interaction, "recharge", _join(order_no))

    for name, description in (
        ("flag", "Moderators: flag an impostor account"),
        ("unflag", "Moderators: remove a flag"),
    ):
        tree.add_command(_moderation_command(name, description, on))

    @tree.command(name="flags", description=_("Moderators: list flagged accounts"))
    @app_commands.rename(page=_("page"))
    @app_commands.describe(page=_("Page number"))
    async def flags(
        interaction: Interaction, page: app_commands.Range[int, 1, 100000] | None = None
    ) -> None:
        await on.on_slash(interaction, "flags", _join(page))

    @tree.command(name="claim", description=_("Staff: claim a ticket"))
    @app_commands.rename(ticket_no=_("ticket_no"))
    @app_commands.describe(ticket_no=_("Ticket number, e.g. T-240001"))
    async def claim(interaction: Interaction, ticket_no: str) -> None:
        await on.on_slash(interaction, "claim", _join(ticket_no))

    @tree.command(name="reply", description=_("Staff: reply to a ticket's user"))
    @app_commands.rename(ticket_no=_("ticket_no"), text=_("text"))
    @app_commands.describe(
        ticket_no=_("Ticket number, e.g. T-240001"), text=_("Your answer to the user")
    )
    async def reply(interaction: Interaction, ticket_no: str, text: str) -> None:
        await on.on_slash(interaction, "reply", _join(ticket_no, text))

    @tree.command(name="close", description=_("Staff: close a ticket"))
    @app_commands.rename(ticket_no=_("ticket_no"), reason=_("reason"))
    @app_commands.describe(
        ticket_no=_("Ticket number, e.g. T-240001"), reason=_("Why it is closed")
    )
    async def close(interaction: Interaction, ticket_no: str, reason: str) -> None:
        await on.on_slash(interaction, "close", _join(ticket_no, reason))

    @tree.command(name="escalate", description=_("Escalate a ticket (users: once it is overdue)"))
    @app_commands.rename(ticket_no=_("ticket_no"))
    @app_commands.describe(ticket_no=_("Ticket number, e.g. T-240001"))
    async def escalate(interaction: Interaction, ticket_no: str | None = None) -> None:
        await on.on_slash(interaction, "escalate", _join(ticket_no))

    @app_commands.context_menu(name=_(FLAG_MENU))
    async def flag_menu(interaction: Interaction, target: Member) -> None:
        await on.on_flag_menu(interaction, target)

    @app_commands.context_menu(name=_(VERIFY_MENU))
    async def verify_menu(interaction: Interaction, target: Member) -> None:
        await on.on_verify_menu(interaction, target)

    tree.add_command(flag_menu)
    tree.add_command(verify_menu)


def _moderation_command(
    name: str, description: str, on: CommandListener
) -> app_commands.Command[Any, ..., None]:
    """``/flag`` and ``/unflag``: a reason, and the member (or an @handle / id as text)."""

    @app_commands.command(name=name, description=_(description))
    @app_commands.rename(reason=_("reason"), member=_("member"), account=_("account"))
    @app_commands.describe(
        reason=_("Why (kept in the case)"),
        member=_("A member of this server"),
        account=_("Or an @handle / user id"),
    )
    async def moderate(
        interaction: Interaction,
        reason: str,
        member: Member | None = None,
        account: str | None = None,
    ) -> None:
        # With a member the reason is the whole text; else the handle leads, as in "/flag @x why".
        args = _join(reason) if member is not None else _join(account, reason)
        await on.on_slash(interaction, name, args, member)

    return moderate
