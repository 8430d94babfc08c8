"""Keeps the bot from repeating itself in a group, without silencing new requests.

Two cool-downs, both about the *same topic* (an intent, or a small-talk kind):

* per user: one answer per user per topic every ``user_cooldown``
  (``faq.group_user_cooldown_minutes``); the same user asking something else ("我要投诉",
  then "售后在哪") is answered at once;
* per chat: one answer per *shared* topic every ``topic_cooldown``
  (``faq.group_topic_cooldown_seconds``). A shared topic is one whose answer serves everybody
  who reads the group (the official channels, the support hours); personal requests
  (a complaint, a refund, a lookup) are never shared, so each buyer gets their own answer.

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

    def allow(
        self, *, chat_key: str, user_key: str, topic: str, now: datetime, shared: bool = True
    ) -> bool:
        """True (and the cool-downs start) when the bot may answer this one.

        ``shared``: the answer serves the whole group, so another user's repeat of the topic
        within the chat's cool-down is answered by the message already there.
        """
        slots = [f"u|{chat_key}|{user_key}|{topic}"]
        if shared:
            slots.append(f"t|{chat_key}|{topic}")
        if any(self._until.get(slot, now) > now for slot in slots):
            return False
        if len(self._until) >= self.max_entries:
            self._forget_expired(now)
        self._until[slots[0]] = now + self.user_cooldown
        if shared:
            self._until[slots[1]] = now + self.topic_cooldown
        return True

    def _forget_expired(self, now: datetime) -> None:
        self._until = {slot: until for slot, until in self._until.items() if until > now}
        if len(self._until) >= self.max_entries:  # still full: drop the oldest half
            keep = sorted(self._until.items(), key=lambda kv: kv[1])[len(self._until) // 2 :]
            self._until = dict(keep)
