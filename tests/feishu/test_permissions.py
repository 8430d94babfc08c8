"""Who may use the moderator and staff commands on Feishu, on the wire.

Signed, encrypted callbacks into the real adapter on the bot's server, OpenAPI calls out to
the fake: the group's manager is the admin (``im/v1/chats`` answers the owner and
managers), the staff group is owned by someone else, a flagged account exists, and Alice
has an open ticket whose card the bot posted to the staff group. Commands are text with
the bot mentioned (``/flag`` as a reply to the suspect's message) or card button presses.
The table and the checks are in ``tests/permissions.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from core.model import Chat, User
from tests.fakes.feishu_api import ApiCall
from tests.feishu import conftest as harness
from tests.feishu.callbacks import bot_mention, card_action, message_event
from tests.feishu.conftest import ALICE, GROUP, MANAGER, STAFF, Feishu
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

ACTORS = {
    "member": "ou_member00000000000000000000000001",
    "admin": MANAGER,  # manages the community group, not the staff group
    "moderator": "ou_moderator000000000000000000000001",
    "staff": "ou_staff0000000000000000000000000001",
    "official": "ou_7d8a6e6df7621556ce0d21922b676706",  # config.toml's Feishu account
    "flagged": "ou_flagged00000000000000000000000001",
}
SUSPECT = "ou_suspect00000000000000000000000001"
OLD = "ou_oldscam00000000000000000000000001"
NAMES = {
    ACTORS["member"]: "路人",
    ACTORS["moderator"]: "小张",
    ACTORS["staff"]: "阿强",
    ACTORS["official"]: "星河卡盟售后",
    ACTORS["flagged"]: "小赵",
    SUSPECT: "小李",
    OLD: "老骗子",
}


@pytest.fixture
def feishu_env(feishu_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The harness's environment, and a config that lists the staff member and moderator."""
    plain = harness.feishu_config

    def with_roles(tmp_path: Any, api_base: str, **overrides: Any) -> Any:
        overrides["staff"] = {"members": [f"feishu:{ACTORS['staff']}"]}
        overrides["moderation"] = {"moderators": [f"feishu:{ACTORS['moderator']}"]}
        return plain(tmp_path, api_base, **overrides)

    monkeypatch.setattr(harness, "feishu_config", with_roles)


def neutral(open_id: str) -> User:
    return User(platform="feishu", id=open_id, display_name=NAMES.get(open_id, ""))


async def world(feishu: Feishu) -> tuple[str, ApiCall]:
    """Flags seeded, Alice's ticket open; its number and the card posted to the staff group."""
    app = feishu.app
    feishu.api.names.update(NAMES)
    group = Chat(platform="feishu", id=GROUP, is_private=False)
    await app.engine.handle(event("有人要退款吗", user=neutral(SUSPECT), chat=group))
    seeder = User(platform="feishu", id="ou_seeder", display_name="老版主")
    await seed_flags(
        app,
        seeder=seeder,
        old=neutral(OLD),
        flagged=neutral(ACTORS["flagged"]),
        community=group.community_key,
    )
    dm = Chat(platform="feishu", id=f"oc_p2p_{ALICE}", is_private=True)
    for step in complaint_events(User(platform="feishu", id=ALICE, display_name="Alice"), dm):
        await app.runtime.process(step)  # delivered through the adapter: the card is posted
    ticket_no = await open_ticket_no(app, User(platform="feishu", id=ALICE))
    card = next(
        c for c in feishu.api.sends() if c.body.get("receive_id") == STAFF and ticket_no in c.text
    )
    return ticket_no, card


def in_group(sender: str, text: str, chat_id: str, **fields: Any) -> dict[str, Any]:
    return message_event(
        sender, {"text": f"@_user_1 {text}"}, chat_id=chat_id, mentions=[bot_mention()], **fields
    )


async def send(
    feishu: Feishu, command: str, actor: str, ticket_no: str, card: ApiCall
) -> tuple[str, list[str]]:
    """Send the command the Feishu way; (the chat it was sent in, any toast it answered)."""
    place = COMMANDS[command][1]
    chat = {"group": GROUP, "staff": STAFF, "dm": f"oc_p2p_{actor}"}[place]
    if command.endswith("-button"):
        data = f"staff:{command.removesuffix('-button')}:{ticket_no}"
        value = next(b["value"] for b in card.buttons if b["value"].get("payload") == data)
        message_id = next(
            m for m, body in feishu.api.messages.items() if ticket_no in body["content"]
        )
        _, answer = await feishu.post(
            card_action(actor, value, chat_id=STAFF, message_id=message_id)
        )
        toast = answer.get("toast", {}).get("content")
        return chat, [str(toast)] if toast else []
    if command in ("flag", "unflag"):
        target, reason = (SUSPECT, FLAG_REASON) if command == "flag" else (OLD, UNFLAG_REASON)
        evidence = feishu.api.user_message(target, "退款请私聊我")
        payload = in_group(actor, f"/{command} {reason}", chat, parent_id=evidence)
    elif command == "flags":
        payload = in_group(actor, "/flags", chat)
    elif command == "flag-dm":
        payload = message_event(actor, {"text": f"/flag {SUSPECT} {FLAG_REASON}"})
    else:
        verb = command.removesuffix("-group")
        args = {"reply": REPLY_TEXT, "close": CLOSE_REASON}.get(verb, "")
        payload = in_group(actor, f"/{verb} {ticket_no} {args}".strip(), chat)
    status, _ = await feishu.post(payload)
    assert status == 200
    return chat, []


@pytest.mark.parametrize(
    ("role", "command", "allowed"), cells("feishu", (*MOD_COMMANDS, *STAFF_COMMANDS))
)
async def test_feishu_permission(
    feishu: Feishu, caplog: pytest.LogCaptureFixture, role: str, command: str, allowed: bool
) -> None:
    ticket_no, card = await world(feishu)
    actor = ACTORS[role]
    before = await state(feishu.app, ticket_no)
    mark = len(feishu.api.sends())
    chat, toasts = await send(feishu, command, actor, ticket_no, card)
    sent = feishu.api.sends()[mark:]
    said = toasts + [
        c.text
        for c in sent
        if c.body.get("receive_id") in (chat, actor) or c.path.endswith("/reply")
    ]
    check(
        feishu.app,
        command,
        allowed,
        before=before,
        after=await state(feishu.app, ticket_no),
        keys=(f"feishu:{actor}", f"feishu:{SUSPECT}", f"feishu:{OLD}"),
        said=said,
        to_user=[c.text for c in sent if c.body.get("receive_id") == ALICE],
        ticket_no=ticket_no,
    )
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
