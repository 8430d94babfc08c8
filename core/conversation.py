"""A user's conversation state (open flow, step, collected answers) as handlers see it.

The state lives in the ``conversations`` table and is written in the same transaction as
the event that changed it, so a restarted process continues exactly where the user was.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from core.storage.tables import ConversationRow


class Conversation:
    def __init__(self, row: ConversationRow, now: datetime) -> None:
        self._row = row
        self._now = now

    @property
    def user_key(self) -> str:
        return self._row.user_key

    @property
    def flow(self) -> str | None:
        return self._row.flow

    @property
    def step(self) -> str | None:
        return self._row.step

    @property
    def data(self) -> Mapping[str, Any]:
        """The answers collected so far (read-only; change with :meth:`update`)."""
        return self._row.data or {}

    @property
    def updated_at(self) -> datetime:
        return self._row.updated_at

    @property
    def locale(self) -> str:
        return self._row.locale

    def set_locale(self, locale: str) -> None:
        if locale and locale != self._row.locale:
            self._row.locale = locale[:8]

    def remember_private_chat(self, chat_id: str) -> None:
        if chat_id and chat_id != self._row.private_chat_id:
            self._row.private_chat_id = chat_id

    @property
    def private_chat_id(self) -> str:
        return self._row.private_chat_id

    def start(self, flow: str, step: str, data: Mapping[str, Any] | None = None) -> None:
        self._row.flow = flow
        self._row.step = step
        self._row.data = dict(data or {})
        self._row.flow_started_at = self._now
        self._row.updated_at = self._now

    def advance(self, step: str, **updates: Any) -> None:
        """Move to ``step``, merging ``updates`` into the collected data."""
        self._row.step = step
        if updates:
            self.update(**updates)
        self._row.updated_at = self._now

    def update(self, **updates: Any) -> None:
        # Assign a new dict: SQLAlchemy tracks JSON columns by identity, not deep changes.
        self._row.data = {**(self._row.data or {}), **updates}
        self._row.updated_at = self._now

    def finish(self) -> None:
        self._row.flow = None
        self._row.step = None
        self._row.data = {}
        self._row.flow_started_at = None
        self._row.updated_at = self._now

    def touch_identity(self, display_name: str, username: str) -> bool:
        """Keep the stored name snapshot current; True when the name or handle changed.

        Telegram sends no rename event, so comparing on every update is how renames are seen.
        """
        changed = False
        if display_name and display_name[:256] != self._row.display_name:
            self._row.display_name = display_name[:256]
            changed = True
        if username and username[:256] != self._row.username:
            self._row.username = username[:256]
            changed = True
        return changed
