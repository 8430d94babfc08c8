"""Who may use the moderator and staff commands on Discord, on the wire.

The real adapter runs against the fake Discord: #general is the community, #staff the staff
channel (one thread per ticket), the admin holds the guild's moderator role (Manage
Messages, which covers #staff too: an admin of the staff channel counts as staff there).
Commands arrive the Discord way: slash commands with a member option, the "Flag as
impostor" user context menu (with its reason modal), the ticket card's buttons, and a
message in the ticket's thread. A ``/help`` from the same actor afterwards marks the end
of the bot's answer. The table and the checks are in ``tests/permissions.py``.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from core.model import Chat, User
from tests.conftest import make_config
from tests.discord import conftest as harness
from tests.discord.conftest import BotFactory, Harness
from tests.fakes.discord_api import FakeDiscord, FakeMember, FakeUser, snowflake
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

# (id, username, display name, holds the moderator role); ids are fixed before the config.
PEOPLE: dict[str, tuple[int, str, str, bool]] = {
    "member": (snowflake(), "carol", "Carol", False),
    "admin": (snowflake(), "laowang", "老王", True),
    "moderator": (snowflake(), "zhang", "小张", False),
    "staff": (snowflake(), "aqiang", "阿强", False),
    "official": (200001, "xinghe.support", "XingHe Support", False),
    "flagged": (snowflake(), "xiaozhao", "小赵", False),
    "suspect": (snowflake(), "xiaoli", "小李", False),
    "old": (snowflake(), "old_scam", "老骗子", False),
    "buyer": (snowflake(), "buyer", "买家小李", False),
}
ROLE_NAMES = ("member", "admin", "moderator", "staff", "official", "flagged")


def member(fake: FakeDiscord, who: str) -> FakeMember:
    user_id, username, name, moderator = PEOPLE[who]
    if user_id not in fake.members:
        user = FakeUser(user_id, username, name)
        fake.users[user_id] = user
        fake.members[user_id] = FakeMember(user, roles=[fake.mod_role_id] if moderator else [])
    return fake.members[user_id]


def neutral(who: str) -> User:
    user_id, username, name, _ = PEOPLE[who]
    return User(platform="discord", id=str(user_id), display_name=name, username=username)


def key(who: str) -> str:
    return f"discord:{PEOPLE[who][0]}"


async def world(bot: Harness) -> str:
    """Flags seeded, a ticket of the buyer opened (its card and thread posted); its number."""
    fake, app = bot.fake, bot.app
    for who in (*ROLE_NAMES, "suspect", "old", "buyer"):
        member(fake, who)
    general = Chat(platform="discord", id=str(fake.general_id), is_private=False)
    await app.engine.handle(event("有人要退款吗", user=neutral("suspect"), chat=general))
    seeder = User(platform="discord", id="1", display_name="老版主")
    await seed_flags(
        app,
        seeder=seeder,
        old=neutral("old"),
        flagged=neutral("flagged"),
        community=f"discord:{fake.guild_id}",
    )
    dm = Chat(platform="discord", id=str(fake.dm_of(member(fake, "buyer"))), is_private=True)
    for step in complaint_events(neutral("buyer"), dm):
        await app.runtime.process(step)  # delivered through the adapter: card and thread
    ticket_no = await open_ticket_no(app, neutral("buyer"))
    for _ in range(200):
        if await app.services.threads.thread_for("discord", str(fake.staff_id), ticket_no):
            return ticket_no
        await asyncio.sleep(0.01)
    raise AssertionError(f"no thread was opened for {ticket_no}")


def member_option(fake: FakeDiscord, target: FakeMember) -> tuple[dict[str, Any], dict[str, Any]]:
    """A USER option naming ``target``, and the ``resolved`` data Discord sends with it."""
    user_id = str(target.user.id)
    resolved = {
        "users": {user_id: target.user.payload()},
        "members": {
            user_id: {
                **target.payload(with_user=False),
                "permissions": str(fake.permissions_of(target)),
            }
        },
    }
    return {"name": "member", "type": 6, "value": user_id}, resolved


def text_option(name: str, value: str) -> dict[str, Any]:
    return {"name": name, "type": 3, "value": value}


async def send(bot: Harness, command: str, actor: FakeMember, ticket_no: str) -> int | None:
    """Send the command the Discord way; returns the channel (None: the actor's DM)."""
    fake = bot.fake
    place = COMMANDS[command][1]
    channel = {"group": fake.general_id, "staff": fake.staff_id, "dm": None}[place]
    if command in ("flag", "unflag"):
        target = member(fake, "suspect" if command == "flag" else "old")
        option, resolved = member_option(fake, target)
        reason = text_option("reason", FLAG_REASON if command == "flag" else UNFLAG_REASON)
        await fake.slash(
            command, actor, channel_id=channel, options=[reason, option], resolved=resolved
        )
    elif command == "flag-dm":
        options = [
            text_option("reason", FLAG_REASON),
            text_option("account", str(PEOPLE["suspect"][0])),
        ]
        await fake.slash("flag", actor, channel_id=None, options=options)
    elif command == "flag-menu":
        menu = await fake.user_menu(
            "Flag as impostor", actor, member(fake, "suspect"), channel_id=fake.general_id
        )
        answer = (await fake.callback(menu)).body
        if answer["type"] == 9:  # the reason modal: only moderators get it
            await fake.submit_modal(
                actor, answer["data"], {"reason": FLAG_REASON}, channel_id=fake.general_id
            )
    elif command == "flags":
        await fake.slash("flags", actor, channel_id=channel)
    elif command.endswith("-button"):
        card = next(
            m
            for m in fake.messages.values()
            if m["channel_id"] == str(fake.staff_id) and ticket_no in m.get("content", "")
        )
        await fake.click(actor, card, f"staff:{command.removesuffix('-button')}:{ticket_no}")
    elif command == "thread-reply":
        (thread_id,) = fake.threads
        await fake.message(actor, REPLY_TEXT, channel_id=thread_id)
    else:
        verb = command.removesuffix("-group")
        options = [text_option("ticket_no", ticket_no)]
        if verb == "reply":
            options.append(text_option("text", REPLY_TEXT))
        if verb == "close":
            options.append(text_option("reason", CLOSE_REASON))
        await fake.slash(verb, actor, channel_id=channel, options=options)
    return channel


def contents(
    fake: FakeDiscord, after: int, channels: set[int], *, interactions: bool = True
) -> list[str]:
    """What the bot said since call ``after``: messages posted to ``channels`` and (with
    ``interactions``) interaction answers and follow-ups."""
    out = []
    for call in fake.calls[after:]:
        body = call.body if isinstance(call.body, dict) else {}
        if interactions and "/interactions/" in call.path:
            text = (body.get("data") or {}).get("content")
        elif (interactions and "/webhooks/" in call.path) or any(
            call.path == f"/channels/{c}/messages" for c in channels
        ):
            text = body.get("content")
        else:
            continue
        if text:
            out.append(str(text))
    return out


@pytest.fixture
def staffed_bot(discord_bot: BotFactory, monkeypatch: pytest.MonkeyPatch) -> BotFactory:
    """``discord_bot`` whose config lists the staff member (the harness fixes ``staff``)."""

    def with_staff(url: str, **sections: Any) -> Any:
        sections["staff"] = {**sections.get("staff", {}), "members": [key("staff")]}
        return make_config(url, **sections)

    monkeypatch.setattr(harness, "make_config", with_staff)
    return discord_bot


@pytest.mark.parametrize(
    ("role", "command", "allowed"),
    cells("discord", (*MOD_COMMANDS, "flag-menu", *STAFF_COMMANDS, "thread-reply")),
)
async def test_discord_permission(
    staffed_bot: BotFactory,
    caplog: pytest.LogCaptureFixture,
    role: str,
    command: str,
    allowed: bool,
) -> None:
    async with staffed_bot(moderation={"moderators": [key("moderator")]}) as bot:
        fake, app = bot.fake, bot.app
        ticket_no = await world(bot)
        actor = member(fake, role)
        before = await state(app, ticket_no)
        mark = len(fake.calls)
        channel = await send(bot, command, actor, ticket_no)
        # The actor's next command is handled after this one: its answer ends the exchange.
        marker = await fake.slash("help", actor, channel_id=channel)
        await fake.callback(marker)
        seen = {fake.dm_of(actor), *fake.threads, fake.general_id, fake.staff_id}
        check(
            app,
            command,
            allowed,
            before=before,
            after=await state(app, ticket_no),
            keys=(f"discord:{actor.user.id}", key("suspect"), key("old")),
            said=contents(fake, mark, seen),
            to_user=contents(fake, mark, {fake.dm_of(member(fake, "buyer"))}, interactions=False),
            ticket_no=ticket_no,
        )
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
