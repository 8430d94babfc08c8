"""Who may use the moderator and staff commands, at the engine and on the console.

``engine``: neutral events straight into :class:`~core.engine.Engine` for Telegram users, with
a channel whose admin check is per chat (the group admin administers the community group
only). ``console``: lines typed into the real console channel (``python -m bots chat``),
whose ``--moderator`` user administers every console group, the staff chat included. The
table and the checks are in ``tests/permissions.py``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from adapters.console.channel import ConsoleChannel
from bots.app import App
from core.model import Action, Chat, Event, EventKind, NotifyStaff, Reply, SendPrivate, User
from tests.conftest import AppFactory, demo_config_data
from tests.helpers import RecordingChannel, event
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

# -- engine: Telegram users, neutral events --------------------------------------------------
COMMUNITY = Chat(platform="telegram", id="-100123", is_private=False, title="星河卡盟玩家群")
STAFF_CHAT = Chat(platform="telegram", id="-100777", is_private=False, title="星河客服组")
BUYER = User(platform="telegram", id="555", display_name="Alice", username="alice")
SUSPECT = User(platform="telegram", id="666", display_name="小李", username="xiaoli_88")
OLD = User(platform="telegram", id="667", display_name="老骗子", username="old_scam")
SEEDER = User(platform="telegram", id="899", display_name="老版主")
ACTORS = {
    "member": User(platform="telegram", id="901", display_name="路人甲", username="passerby"),
    "admin": User(platform="telegram", id="900", display_name="老王", username="laowang"),
    "moderator": User(platform="telegram", id="902", display_name="小张", username="zhang"),
    "staff": User(platform="telegram", id="903", display_name="阿强", username="aqiang"),
    "official": User(
        platform="telegram", id="100001", display_name="星河卡盟官方客服", username="xinghe_support"
    ),
    "flagged": User(platform="telegram", id="904", display_name="小赵", username="xiaozhao"),
}
THREAD = "topic-7"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only (overrides the two-backend fixture): who may do what does not depend on
    the database, PostgreSQL is exercised by the other engine tests, and the table stays fast."""
    return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"


class PerChatAdmins:
    """A Telegram channel port: records what is sent; admins are (chat key, user key) pairs."""

    platform = "telegram"

    def __init__(self, admins: set[tuple[str, str]]) -> None:
        self.admins = admins
        self.sent: list[Action] = []

    async def send(self, action: Action) -> None:
        self.sent.append(action)

    async def is_chat_admin(self, chat: Chat, user: User) -> bool:
        return (chat.key, user.key) in self.admins


@dataclass
class EngineWorld:
    app: App
    ticket_no: str


@pytest.fixture
async def engine_world(app_factory: AppFactory) -> EngineWorld:
    app: App = await app_factory(
        telegram={"staff_chat_id": STAFF_CHAT.id},
        staff={"members": [ACTORS["staff"].key], "chats": []},
        moderation={"moderators": [ACTORS["moderator"].key]},
    )
    app.services.channels["telegram"] = PerChatAdmins({(COMMUNITY.key, ACTORS["admin"].key)})
    await app.engine.handle(event("有人要退款吗", user=SUSPECT, chat=COMMUNITY))
    await seed_flags(
        app,
        seeder=SEEDER,
        old=OLD,
        flagged=ACTORS["flagged"],
        community=COMMUNITY.community_key,
    )
    for step in complaint_events(BUYER, Chat(platform="telegram", id=BUYER.id, is_private=True)):
        await app.engine.handle(step)
    ticket_no = await open_ticket_no(app, BUYER)
    await app.services.threads.remember("telegram", STAFF_CHAT.id, ticket_no, THREAD)
    return EngineWorld(app, ticket_no)


def engine_event(command: str, actor: User, ticket_no: str) -> Event:
    dm = Chat(platform="telegram", id=actor.id, is_private=True)
    if command in ("flag", "unflag"):
        target, reason = (SUSPECT, FLAG_REASON) if command == "flag" else (OLD, UNFLAG_REASON)
        return event(
            f"/{command} {reason}",
            user=actor,
            chat=COMMUNITY,
            reply_to_user=target,
            reply_to_message_id="42",
        )
    if command == "flags":
        return event("/flags", user=actor, chat=COMMUNITY)
    if command == "flag-dm":
        return event(f"/flag @{SUSPECT.username} {FLAG_REASON}", user=actor, chat=dm)
    if command.endswith("-button"):
        verb = command.removesuffix("-button")
        return Event(
            kind=EventKind.BUTTON,
            event_id=f"press-{verb}",
            user=actor,
            chat=STAFF_CHAT,
            payload=f"staff:{verb}:{ticket_no}",
        )
    if command == "thread-reply":
        topic = Chat(platform="telegram", id=STAFF_CHAT.id, is_private=False, thread_id=THREAD)
        return event(REPLY_TEXT, user=actor, chat=topic)
    if command == "claim-group":
        return event(f"/claim {ticket_no}", user=actor, chat=COMMUNITY)
    args = {"reply": REPLY_TEXT, "close": CLOSE_REASON}.get(command, "")
    return event(f"/{command} {ticket_no} {args}".strip(), user=actor, chat=STAFF_CHAT)


def split(actions: list[Action], actor: User) -> tuple[list[str], list[str]]:
    """(what the sender saw where they spoke, what the ticket's user got in private)."""
    said: list[str] = []
    to_user: list[str] = []
    for action in actions:
        if isinstance(action, SendPrivate):
            if action.user.key == actor.key:
                said.append(action.text)
            elif action.user.key == BUYER.key:
                to_user.append(action.text)
        elif isinstance(action, Reply) or (
            isinstance(action, NotifyStaff) and action.destination == STAFF_CHAT.key
        ):
            said.append(action.text)
    return said, to_user


@pytest.mark.parametrize(
    ("role", "command", "allowed"),
    cells("engine", (*MOD_COMMANDS, *STAFF_COMMANDS, "thread-reply")),
)
async def test_engine_permission(
    engine_world: EngineWorld,
    caplog: pytest.LogCaptureFixture,
    role: str,
    command: str,
    allowed: bool,
) -> None:
    app, ticket_no = engine_world.app, engine_world.ticket_no
    actor = ACTORS[role]
    before = await state(app, ticket_no)
    actions = await app.engine.handle(engine_event(command, actor, ticket_no))
    said, to_user = split(actions, actor)
    check(
        app,
        command,
        allowed,
        before=before,
        after=await state(app, ticket_no),
        keys=(actor.key, SUSPECT.key, OLD.key),
        said=said,
        to_user=to_user,
        ticket_no=ticket_no,
    )
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]


# -- console: lines typed into the real console channel --------------------------------------
CONSOLE_GROUP = Chat(platform="console", id="group", is_private=False)
CONSOLE_IDS = {
    "member": ("visitor", "路人"),
    "admin": ("laowang", "老王"),  # chat --moderator
    "moderator": ("zhang", "小张"),
    "staff": ("agent", "小王"),
    "official": ("kefu", "星河卡盟官方客服"),
    "flagged": ("xiaozhao", "小赵"),
}
C_SUSPECT = User(platform="console", id="xiaoli", display_name="小李", username="xiaoli")
C_OLD = User(platform="console", id="old_scam", display_name="老骗子", username="old_scam")
C_FLAGGED = User(platform="console", id="xiaozhao", display_name="小赵", username="xiaozhao")
TG_BUYER_DM = Chat(platform="telegram", id=BUYER.id, is_private=True)


def console_line(command: str, ticket_no: str, out: str, app: App) -> str:
    if command in ("flag", "flag-dm"):
        return f"/flag @{C_SUSPECT.id} {FLAG_REASON}"
    if command == "unflag":
        return f"/unflag @{C_OLD.id} {UNFLAG_REASON}"
    if command == "flags":
        return "/flags"
    if command.endswith("-button"):
        label = app.services.texts.get(f"staff.btn_{command.removesuffix('-button')}", "zh")
        card = out.rsplit("【员工通知 console:staff】", 1)[1]
        number = next(
            line.split("]")[0].strip(" [") for line in card.splitlines() if line.endswith(label)
        )
        return f"#{number}"
    verb = command.removesuffix("-group")
    args = {"reply": REPLY_TEXT, "close": CLOSE_REASON}.get(verb, "")
    return f"/{verb} {ticket_no} {args}".strip()


@pytest.mark.parametrize(
    ("role", "command", "allowed"), cells("console", (*MOD_COMMANDS, *STAFF_COMMANDS))
)
async def test_console_permission(
    app_factory: AppFactory,
    caplog: pytest.LogCaptureFixture,
    role: str,
    command: str,
    allowed: bool,
) -> None:
    user_id, name = CONSOLE_IDS[role]
    official = {
        "platform": "console",
        "user_id": "kefu",
        "username": "kefu",
        "display_name": "星河卡盟官方客服",
        "role": "客服",
    }
    app: App = await app_factory(
        staff={"members": ["console:agent"], "chats": ["console:staff"]},
        moderation={"moderators": ["console:zhang"]},
        official={"accounts": [*demo_config_data()["official"]["accounts"], official]},
    )
    place = COMMANDS[command][1]
    out = io.StringIO()
    channel = ConsoleChannel(
        out,
        user_id=user_id,
        name=name,
        group=place != "dm",
        moderator=role == "admin",
        chat_id="staff" if place == "staff" else "group",
    )
    buyer_side = RecordingChannel(platform="telegram")
    app.services.channels.update(console=channel, telegram=buyer_side)
    for who in (C_SUSPECT, C_OLD):
        await app.engine.handle(event("今晚开黑吗", user=who, chat=CONSOLE_GROUP))
    await seed_flags(app, seeder=SEEDER, old=C_OLD, flagged=C_FLAGGED, community="console:group")
    for step in complaint_events(BUYER, TG_BUYER_DM):
        await app.runtime.process(step)  # the ticket card is printed on the console
    ticket_no = await open_ticket_no(app, BUYER)
    mark, sent = len(out.getvalue()), len(buyer_side.sent)

    before = await state(app, ticket_no)
    line = console_line(command, ticket_no, out.getvalue(), app)
    typed = channel.to_event(line)
    assert typed is not None
    await app.runtime.process(typed)
    said = [block.strip() for block in out.getvalue()[mark:].split("\n\n") if block.strip()]
    to_user = [
        a.text
        for a in buyer_side.sent[sent:]
        if isinstance(a, SendPrivate) and a.user.key == BUYER.key
    ]
    check(
        app,
        command,
        allowed,
        before=before,
        after=await state(app, ticket_no),
        keys=(f"console:{user_id}", C_SUSPECT.key, C_OLD.key),
        said=said,
        to_user=to_user,
        ticket_no=ticket_no,
    )
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
