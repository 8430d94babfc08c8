"""Test helpers: build neutral events and collect what the bot would send."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from core.model import Action, Chat, Event, EventKind, NotifyStaff, Reply, SendPrivate, User

_ids = itertools.count(1)

ALICE = User(platform="telegram", id="555", display_name="Alice", username="alice")
DM = Chat(platform="telegram", id="555", is_private=True)
GROUP = Chat(platform="telegram", id="-100123", is_private=False, title="星河卡盟玩家群")


def event(
    text: str, *, user: User = ALICE, chat: Chat = DM, event_id: str = "", **fields: Any
) -> Event:
    """A message or, for "/cmd args", a command event."""
    eid = event_id or f"e{next(_ids)}"
    if text.startswith("/"):
        head, _, args = text[1:].partition(" ")
        return Event(
            kind=EventKind.COMMAND,
            event_id=eid,
            user=user,
            chat=chat,
            text=text,
            command=head.split("@")[0].lower(),
            args=args.strip(),
            is_to_me=True,
            **fields,
        )
    return Event(
        kind=EventKind.MESSAGE,
        event_id=eid,
        user=user,
        chat=chat,
        text=text,
        is_to_me=chat.is_private,
        **fields,
    )


def texts(actions: list[Action]) -> str:
    """All the text the actions would show, joined."""
    out = []
    for action in actions:
        if isinstance(action, Reply | SendPrivate | NotifyStaff):
            out.append(action.text)
    return "\n".join(out)


class RecordingChannel:
    """A ChannelPort that records every outbound action (the adapter's single seam)."""

    def __init__(self, platform: str = "telegram", admins: frozenset[str] = frozenset()) -> None:
        self.platform = platform
        self.sent: list[Action] = []
        self.admins = admins

    async def send(self, action: Action) -> None:
        self.sent.append(action)

    async def is_chat_admin(self, chat: Chat, user: User) -> bool:
        return user.id in self.admins


def run_cli(
    *args: str, stdin: str = "", cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m bots ARGS`` as an operator runs it, in ``cwd`` (default: the repository)."""
    repo = Path(__file__).resolve().parents[1]
    return subprocess.run(
        [sys.executable, "-m", "bots", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd or repo,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(repo)},
    )


def json_lines(*args: str, lines: list[str]) -> list[dict[str, Any]]:
    """Run a JSON-lines verb (classify, check-name) over ``lines``."""
    result = run_cli(*args, stdin="".join(f"{line}\n" for line in lines))
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]
