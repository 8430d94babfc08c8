"""Keeps the bot from flooding a group: at most one unprompted answer per user per few
minutes, and one per topic (intent) per chat per minute.

Kept in memory: a cool-down is a courtesy, not a guarantee, so with several bot processes a
group may occasionally get one extra answer; that is cheaper than a database write for every
group message. Entries expire, so memory stays bounded by the number of active speakers.
"""

from __future__ import annotations

from datetime import datetime, timedelta


class GroupThrottle:
    def __init__(
        self, *, user_cooldown: timedelta, topic_cooldown: timedelta, max_entries: int = 50_000
    ) -> None:
        self.user_cooldown = user_cooldown
        self.topic_cooldown = topic_cooldown
        self.max_entries = max_entries
        self._until: dict[str, datetime] = {}

    def allow(self, *, chat_key: str, user_key: str, topic: str, now: datetime) -> bool:
        """True (and the cool-downs start) when the bot may answer this one."""
        user_slot = f"u|{chat_key}|{user_key}"
        topic_slot = f"t|{chat_key}|{topic}"
        if any(self._until.get(slot, now) > now for slot in (user_slot, topic_slot)):
            return False
        if len(self._until) >= self.max_entries:
            self._forget_expired(now)
        self._until[user_slot] = now + self.user_cooldown
        self._until[topic_slot] = now + self.topic_cooldown
        return True

    def _forget_expired(self, now: datetime) -> None:
        self._until = {slot: until for slot, until in self._until.items() if until > now}
        if len(self._until) >= self.max_entries:  # still full: drop the oldest half
            keep = sorted(self._until.items(), key=lambda kv: kv[1])[len(self._until) // 2 :]
            self._until = dict(keep)
