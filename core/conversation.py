"""A user's conversation state (open flow, step, collected answers) as handlers see it.

The state lives in the ``conversations`` table and is written in the same transaction as
the event that changed it, so a restarted process continues exactly where the user was.
A `Conversation` is a plain object loaded from its row; it remembers which columns a handler
changed so that saving writes only those (see ``core.storage.repository.save_conversation``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

# Kept with the flow's answers, so it ends with the flow.
_ENGAGED_MARK = "_engaged_mark"


class Conversation:
    """One user's conversation row, with the columns changed since it was loaded."""

    __slots__ = ("_changed", "_now", "_values")

    def __init__(self, values: Mapping[Any, Any], now: datetime) -> None:
        self._values = dict(values)
        self._now = now
        self._changed: set[str] = set()

    def _set(self, column: str, value: Any) -> None:
        self._values[column] = value
        self._changed.add(column)

    @property
    def changes(self) -> dict[str, Any]:
        """The changed columns and their new values (empty when nothing needs saving)."""
        return {column: self._values[column] for column in self._changed}

    def saved(self, version: int) -> None:
        """Record that the changes were written as ``version``."""
        self._values["version"] = version
        self._changed.clear()

    @property
    def version(self) -> int:
        return int(self._values["version"])

    @property
    def user_key(self) -> str:
        return str(self._values["user_key"])

    @property
    def flow(self) -> str | None:
        flow: str | None = self._values["flow"]
        return flow

    @property
    def step(self) -> str | None:
        step: str | None = self._values["step"]
        return step

    @property
    def data(self) -> Mapping[str, Any]:
        """The answers collected so far (read-only; change with :meth:`update`)."""
        data: Mapping[str, Any] = self._values["data"] or {}
        return data

    @property
    def updated_at(self) -> datetime:
        updated_at: datetime = self._values["updated_at"]
        return updated_at

    @property
    def locale(self) -> str:
        return str(self._values["locale"])

    @property
    def display_name(self) -> str:
        return str(self._values["display_name"])

    @property
    def username(self) -> str:
        return str(self._values["username"])

    def set_locale(self, locale: str) -> None:
        if locale and locale[:8] != self._values["locale"]:
            self._set("locale", locale[:8])

    def remember_private_chat(self, chat_id: str) -> None:
        if chat_id and chat_id != self._values["private_chat_id"]:
            self._set("private_chat_id", chat_id)

    @property
    def private_chat_id(self) -> str:
        return str(self._values["private_chat_id"])

    def start(self, flow: str, step: str, data: Mapping[str, Any] | None = None) -> None:
        self._set("flow", flow)
        self._set("step", step)
        self._set("data", dict(data or {}))
        self._set("flow_started_at", self._now)
        self._set("updated_at", self._now)

    def advance(self, step: str, **updates: Any) -> None:
        """Move to ``step``, merging ``updates`` into the collected data."""
        self._set("step", step)
        if updates:
            self.update(**updates)
        self._set("updated_at", self._now)

    def update(self, **updates: Any) -> None:
        # A new dict each time: the stored dict may be shared with whoever loaded it.
        self._set("data", {**(self._values["data"] or {}), **updates})
        self._set("updated_at", self._now)

    @property
    def engaged_mark(self) -> int:
        """The ticket-history position when the user last moved the open flow by a command
        or a button (0: never). A staff reply after it pauses the flow (``core.staff.relay``).
        """
        mark = (self._values["data"] or {}).get(_ENGAGED_MARK, 0)
        return mark if isinstance(mark, int) else 0

    def mark_engaged(self, mark: int) -> None:
        """Record that the user just moved the open flow explicitly (see :attr:`engaged_mark`)."""
        if self.flow is not None and mark != self.engaged_mark:
            self.update(**{_ENGAGED_MARK: mark})

    def finish(self) -> None:
        self._set("flow", None)
        self._set("step", None)
        self._set("data", {})
        self._set("flow_started_at", None)
        self._set("updated_at", self._now)

    def touch_identity(self, display_name: str, username: str) -> bool:
        """Keep the stored name snapshot current; True when the name or handle changed.

        Telegram sends no rename event, so comparing on every update is how renames are seen.
        """
        changed = False
        if display_name and display_name[:256] != self._values["display_name"]:
            self._set("display_name", display_name[:256])
            changed = True
        if username and username[:256] != self._values["username"]:
            self._set("username", username[:256])
            changed = True
        return changed
