"""The command menu Telegram shows (``setMyCommands``): Chinese by default, English for
``language_code="en"``. Group admins also see the moderator commands, and the staff chat
(``telegram.staff_chat_id``) the staff commands. Names are the DESIGN.md contract."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial

from telegram import (
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeChat,
    BotCommandScopeDefault,
)
from telegram.error import TelegramError

from adapters.telegram.outbound import Outbound, chat_id_of

log = logging.getLogger(__name__)

# (name, Chinese description, English description)
CommandText = tuple[str, str, str]

USER_COMMANDS: tuple[CommandText, ...] = (
    ("start", "开始使用", "Start"),
    ("help", "帮助:机器人能做什么", "Help: what the bot can do"),
    ("support", "官方售后入口", "Official support channels"),
    ("verify", "验证账号或联系方式是否官方", "Check whether an account or contact is official"),
    ("complain", "提交售后投诉(私聊引导)", "File a complaint (guided, in private)"),
    ("cancel", "取消当前操作", "Cancel the current step"),
    ("ticket", "查看我的工单进度", "My tickets and their status"),
    ("order", "查询订单状态:/order 订单号", "Order status: /order <order no>"),
    ("card", "查询卡密状态:/card 卡密", "Card key status: /card <key>"),
    ("recharge", "查询充值进度:/recharge 订单号", "Top-up progress: /recharge <order no>"),
)

MODERATOR_COMMANDS: tuple[CommandText, ...] = (
    ("flag", "标记冒充账号(回复或@)", "Flag an impostor (reply or mention)"),
    ("unflag", "取消标记", "Remove a flag"),
    ("flags", "查看已标记账号", "List flagged accounts"),
)

STAFF_COMMANDS: tuple[CommandText, ...] = (
    ("claim", "认领工单", "Claim a ticket"),
    ("reply", "回复用户:/reply 工单号 内容", "Reply to the user: /reply <no> <text>"),
    ("close", "关闭工单:/close 工单号 原因", "Close a ticket: /close <no> <reason>"),
    ("escalate", "升级工单", "Escalate a ticket"),
)


# Every command the engine answers (DESIGN.md): in groups, other commands are another bot's.
KNOWN_COMMANDS = frozenset(
    name for name, _, _ in USER_COMMANDS + MODERATOR_COMMANDS + STAFF_COMMANDS
)


def bot_commands(commands: Sequence[CommandText], language: str) -> list[BotCommand]:
    return [BotCommand(name, en if language == "en" else zh) for name, zh, en in commands]


def menus(staff_chat_id: str) -> list[tuple[BotCommandScope, tuple[CommandText, ...]]]:
    """Each scope with the commands it lists (a chat scope overrides the broader ones)."""
    found: list[tuple[BotCommandScope, tuple[CommandText, ...]]] = [
        (BotCommandScopeDefault(), USER_COMMANDS),
        (BotCommandScopeAllChatAdministrators(), USER_COMMANDS + MODERATOR_COMMANDS),
    ]
    if staff_chat_id:
        everything = USER_COMMANDS + MODERATOR_COMMANDS + STAFF_COMMANDS
        found.append((BotCommandScopeChat(chat_id_of(staff_chat_id)), everything))
    return found


async def publish_commands(outbound: Outbound, *, staff_chat_id: str = "") -> bool:
    """Set the command menus; a failure is logged and does not stop the bot."""
    ok = True
    for scope, commands in menus(staff_chat_id):
        for language in ("", "en"):
            request = partial(
                outbound.bot.set_my_commands,
                commands=bot_commands(commands, language),
                scope=scope,
                language_code=language or None,
            )
            try:
                await outbound.call("setMyCommands", request, idempotent=True)
            except TelegramError as exc:
                ok = False
                log.warning(
                    "could not set the Telegram command menu (%s, %s): %s",
                    scope.type,
                    language or "default",
                    exc.message,
                )
    return ok
