"""Who may use the moderator and staff commands on Telegram, on the wire.

Each cell starts the real adapter against the fake Bot API: a community group where the
admin is an ``administrator`` (getChatMember), a staff group where nobody is, a flagged
account, an open ticket of Alice whose card (with its buttons) the bot posted to the staff
group. The actor then sends one command (or presses one card button); a ``/help`` from the
same actor afterwards marks the end of the bot's answer. The table and the checks are in
``tests/permissions.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from core.model import Chat, User
from tests.fakes.telegram_api import ApiCall, FakeTelegramApi, group_chat, tg_user
from tests.helpers import event
from tests.permissions import (
    CLOSE_REASON,
    COMMANDS,
    FLAG_REASON,
    MOD_COMMANDS,
    REPLY_TEXT,
    STAFF_COMMANDS,
    UNFLAG_REASON,
    cells,
    check,
    complaint_events,
    open_ticket_no,
    seed_flags,
    state,
)
from tests.telegram.conftest import ADMIN, ALICE, BOB, GROUP, RunningBot, StartBot

STAFF_CHAT = group_chat(-1009999000, "星河客服组")
SUSPECT = tg_user(666001, "小李", username="xiaoli_88")
OLD = tg_user(666002, "老骗子", username="old_scam")
ACTORS = {
    "member": BOB,
    "admin": ADMIN,
    "moderator": tg_user(555010, "小张", username="zhang_mod"),
    "staff": tg_user(555011, "阿强", username="aqiang"),
    "official": tg_user(100001, "星河卡盟官方客服", username="xinghe_support"),
    "flagged": tg_user(555012, "小赵", username="xiaozhao"),
}


def neutral(user: dict[str, Any]) -> User:
    return User(
        platform="telegram",
        id=str(user["id"]),
        display_name=user["first_name"],
        username=user.get("username", ""),
    )


async def world(start: StartBot, fake_api: FakeTelegramApi) -> tuple[RunningBot, str, ApiCall]:
    """The running bot, the open ticket's number and the staff card the bot posted."""
    bot = await start(
        telegram={"staff_chat_id": str(STAFF_CHAT["id"])},
        staff={"members": [f"telegram:{ACTORS['staff']['id']}"], "chats": []},
        moderation={"moderators": [f"telegram:{ACTORS['moderator']['id']}"]},
    )
    fake_api.member_status[(GROUP["id"], ADMIN["id"])] = "administrator"
    app = bot.app
    # The suspect has spoken in the group (so "/flag @xiaoli_88" in private can find them).
    group = Chat(platform="telegram", id=str(GROUP["id"]), is_private=False)
    await app.engine.handle(event("有人要退款吗", user=neutral(SUSPECT), chat=group))
    await seed_flags(
        app,
        seeder=neutral(tg_user(555099, "老版主")),
        old=neutral(OLD),
        flagged=neutral(ACTORS["flagged"]),
        community=group.community_key,
    )
    buyer = neutral(ALICE)
    dm = Chat(platform="telegram", id=buyer.id, is_private=True)
    for step in complaint_events(buyer, dm):
        await app.runtime.process(step)  # delivered through the adapter: the card is posted
    ticket_no = await open_ticket_no(app, buyer)
    card = await fake_api.wait_for_text(STAFF_CHAT["id"], ticket_no)
    return bot, ticket_no, card


def send(
    fake_api: FakeTelegramApi, command: str, actor: dict[str, Any], ticket_no: str, card: ApiCall
) -> dict[str, Any]:
    """Send the command the way a Telegram user does; returns the chat it was sent in."""
    place = COMMANDS[command][1]
    chat = {"group": GROUP, "staff": STAFF_CHAT, "dm": fake_api.private_chat(actor)}[place]
    at_bot = "" if place == "dm" else f"@{fake_api.bot_username}"
    if command.endswith("-button"):
        verb = command.removesuffix("-button")
        fake_api.press(actor, card.result, f"staff:{verb}:{ticket_no}")
    elif command in ("flag", "unflag"):
        target = SUSPECT if command == "flag" else OLD
        reason = FLAG_REASON if command == "flag" else UNFLAG_REASON
        evidence = fake_api.message(target, GROUP, "退款请私聊我")
        fake_api.send_text(actor, chat, f"/{command}{at_bot} {reason}", reply_to_message=evidence)
    elif command == "flags":
        fake_api.send_text(actor, chat, f"/flags{at_bot}")
    elif command == "flag-dm":
        fake_api.send_text(actor, chat, f"/flag @{SUSPECT['username']} {FLAG_REASON}")
    else:
        verb = command.removesuffix("-group")
        args = {"reply": REPLY_TEXT, "close": CLOSE_REASON}.get(verb, "")
        fake_api.send_text(actor, chat, f"/{verb}{at_bot} {ticket_no} {args}".strip())
    return chat


def plain_texts(fake_api: FakeTelegramApi, chat_id: int, after: int) -> list[str]:
    """What the bot sent to ``chat_id`` (as the user sees it) since call index ``after``."""
    return [
        str(c.result.get("text", ""))
        for c in fake_api.calls_to("sendMessage", after=after)
        if c.params["chat_id"] == chat_id and isinstance(c.result, dict)
    ]


@pytest.mark.parametrize(
    ("role", "command", "allowed"), cells("telegram", (*MOD_COMMANDS, *STAFF_COMMANDS))
)
async def test_telegram_permission(
    telegram_bot: StartBot,
    fake_api: FakeTelegramApi,
    caplog: pytest.LogCaptureFixture,
    role: str,
    command: str,
    allowed: bool,
) -> None:
    bot, ticket_no, card = await world(telegram_bot, fake_api)
    actor = ACTORS[role]
    before = await state(bot.app, ticket_no)
    mark = len(fake_api.calls)
    chat = send(fake_api, command, actor, ticket_no, card)
    # The actor's next command is handled after this one: its answer ends the exchange.
    at_bot = "" if chat["type"] == "private" else f"@{fake_api.bot_username}"
    fake_api.send_text(actor, chat, f"/help{at_bot}")
    await fake_api.wait_for_text(chat["id"], "可用命令", after=mark)
    said = plain_texts(fake_api, chat["id"], mark)
    if chat["type"] != "private":
        said += plain_texts(fake_api, actor["id"], mark)  # anything sent to them in private
    check(
        bot.app,
        command,
        allowed,
        before=before,
        after=await state(bot.app, ticket_no),
        keys=(f"telegram:{actor['id']}", f"telegram:{SUSPECT['id']}", f"telegram:{OLD['id']}"),
        said=said,
        to_user=plain_texts(fake_api, ALICE["id"], mark),
        ticket_no=ticket_no,
    )
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
