"""Buttons bound to the user they were offered to.

A button that acts on something personal (``reissue:<order>``, ``complain:<category>:<order>``)
carries a short tag after ``~``: an HMAC of the user's key and the payload under the bot's
own secret. A press is honoured only when the tag matches the presser, so a forged payload
("reissue:<someone else's order>"), a payload the bot never issued, or one forwarded to
another user is refused, on every platform and across restarts. The secret is made on the
first start and kept in the database (``bot_secrets``), shared by every process.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from sqlalchemy import select

from core.storage.database import Database
from core.storage.repository import insert_or_ignore
from core.storage.tables import BotSecretRow

SEPARATOR = "~"
# 12 base32 characters: 60 bits, ample against guessing within the lookup rate limit, short
# enough for Telegram's 64-byte callback data.
TAG_LENGTH = 12
SECRET_NAME = "button_binding_key"


class ButtonBinder:
    """Signs and checks payloads with one key."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the button binding key must be at least 16 bytes")
        self._key = key

    def _tag(self, user_key: str, payload: str) -> str:
        digest = hmac.new(self._key, f"{user_key}\n{payload}".encode(), hashlib.sha256).digest()
        return base64.b32encode(digest).decode("ascii")[:TAG_LENGTH].lower()

    def bind(self, user_key: str, payload: str) -> str:
        """``payload`` as only ``user_key`` may press it."""
        return f"{payload}{SEPARATOR}{self._tag(user_key, payload)}"

    def unbind(self, user_key: str, signed: str) -> str | None:
        """The payload when ``signed`` was issued to ``user_key``; None otherwise."""
        payload, separator, tag = signed.rpartition(SEPARATOR)
        if not separator or len(tag) != TAG_LENGTH:
            return None
        if not hmac.compare_digest(tag, self._tag(user_key, payload)):
            return None
        return payload


async def load_binder(db: Database) -> ButtonBinder:
    """The binder with this installation's key, made on first use (every process agrees:
    the first one to insert wins, the others read it)."""
    async with db.transaction() as session:
        await session.execute(
            insert_or_ignore(session, BotSecretRow, name=SECRET_NAME, value=secrets.token_hex(32))
        )
        value = (
            await session.execute(
                select(BotSecretRow.value).where(BotSecretRow.name == SECRET_NAME)
            )
        ).scalar_one()
    return ButtonBinder(bytes.fromhex(value))
