"""Feishu's side of the event callbacks: schema 2.0 payloads, encrypted and signed.

:class:`FeishuCallbacks` posts them to the bot's endpoint as Feishu does: the JSON is
encrypted (AES-256-CBC, key SHA-256(encrypt key), random IV, PKCS#7) and signed
(``X-Lark-Signature`` = SHA-256(timestamp + nonce + encrypt key + body)), implemented here
independently of the adapter, so a bug on either side shows up as a rejected or garbled
callback. The builders (:func:`message_event`, :func:`members_added`, :func:`card_action`)
produce the payloads of the Feishu docs.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import uuid
from typing import Any

import aiohttp
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from tests.fakes.feishu_api import APP_ID, BOT_NAME, BOT_OPEN_ID, ENCRYPT_KEY, VERIFICATION_TOKEN


def encrypt(plaintext: bytes, encrypt_key: str) -> str:
    key = hashlib.sha256(encrypt_key.encode()).digest()
    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plaintext) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return base64.b64encode(iv + encryptor.update(padded) + encryptor.finalize()).decode()


def sign(timestamp: str, nonce: str, encrypt_key: str, body: bytes) -> str:
    return hashlib.sha256(
        timestamp.encode() + nonce.encode() + encrypt_key.encode() + body
    ).hexdigest()


def _now_ms() -> str:
    return str(int(time.time() * 1000))


def envelope(event_type: str, event: dict[str, Any], *, event_id: str = "") -> dict[str, Any]:
    return {
        "schema": "2.0",
        "header": {
            "event_id": event_id or uuid.uuid4().hex,
            "event_type": event_type,
            "create_time": _now_ms(),
            "token": VERIFICATION_TOKEN,
            "app_id": APP_ID,
            "tenant_key": "fake-tenant",
        },
        "event": event,
    }


def bot_mention(key: str = "@_user_1") -> dict[str, Any]:
    return {"key": key, "id": {"open_id": BOT_OPEN_ID, "union_id": "on_bot"}, "name": BOT_NAME}


def message_event(
    sender: str,
    content: dict[str, Any],
    *,
    msg_type: str = "text",
    chat_id: str = "",
    mentions: list[dict[str, Any]] | None = None,
    message_id: str = "",
    parent_id: str = "",
    event_id: str = "",
) -> dict[str, Any]:
    """``im.message.receive_v1``; without ``chat_id`` it is a private (p2p) message."""
    message: dict[str, Any] = {
        "message_id": message_id or f"om_{uuid.uuid4().hex[:16]}",
        "create_time": _now_ms(),
        "chat_id": chat_id or f"oc_p2p_{sender}",
        "chat_type": "group" if chat_id else "p2p",
        "message_type": msg_type,
        "content": json.dumps(content, ensure_ascii=False),
    }
    if mentions:
        message["mentions"] = mentions
    if parent_id:
        message["parent_id"] = message["root_id"] = parent_id
    event = {
        "sender": {
            "sender_id": {"open_id": sender, "union_id": f"on_{sender}", "user_id": ""},
            "sender_type": "user",
            "tenant_key": "fake-tenant",
        },
        "message": message,
    }
    return envelope("im.message.receive_v1", event, event_id=event_id)


def members_added(
    chat_id: str, users: list[tuple[str, str]], *, event_id: str = ""
) -> dict[str, Any]:
    """``im.chat.member.user.added_v1`` for (open_id, name) pairs."""
    event = {
        "chat_id": chat_id,
        "name": "星河卡盟玩家群",
        "operator_id": {"open_id": "ou_inviter"},
        "external": False,
        "users": [
            {"name": name, "tenant_key": "fake-tenant", "user_id": {"open_id": open_id}}
            for open_id, name in users
        ],
    }
    return envelope("im.chat.member.user.added_v1", event, event_id=event_id)


def card_action(
    operator: str, value: Any, *, chat_id: str, message_id: str, event_id: str = ""
) -> dict[str, Any]:
    """``card.action.trigger``: ``operator`` pressed a button whose ``value`` is given."""
    event = {
        "operator": {
            "open_id": operator,
            "union_id": f"on_{operator}",
            "tenant_key": "fake-tenant",
        },
        "token": f"c-{uuid.uuid4().hex}",
        "action": {"tag": "button", "value": value},
        "host": "im_message",
        "context": {"open_message_id": message_id, "open_chat_id": chat_id},
    }
    return envelope("card.action.trigger", event, event_id=event_id)


class FeishuCallbacks:
    """Posts callbacks to the bot's endpoint the way Feishu does."""

    def __init__(
        self,
        url: str,
        *,
        encrypt_key: str = ENCRYPT_KEY,
    ) -> None:
        self.url = url
        self.encrypt_key = encrypt_key
        self._http: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()

    async def post(
        self,
        payload: dict[str, Any],
        *,
        encrypted: bool = True,
        signed: bool = True,
        signature: str = "",
        timestamp: str = "",
    ) -> tuple[int, dict[str, Any]]:
        """``timestamp`` (seconds, as Feishu sends it) defaults to now."""
        plain = json.dumps(payload, ensure_ascii=False).encode()
        body = (
            json.dumps({"encrypt": encrypt(plain, self.encrypt_key)}).encode()
            if encrypted
            else plain
        )
        headers = {"Content-Type": "application/json"}
        if signed or signature:
            timestamp = timestamp or str(int(time.time()))
            nonce = uuid.uuid4().hex[:16]
            headers["X-Lark-Request-Timestamp"] = timestamp
            headers["X-Lark-Request-Nonce"] = nonce
            headers["X-Lark-Signature"] = signature or sign(
                timestamp, nonce, self.encrypt_key, body
            )
        if self._http is None:
            self._http = aiohttp.ClientSession()
        async with self._http.post(self.url, data=body, headers=headers) as response:
            answer = await response.json(content_type=None)
            return response.status, answer if isinstance(answer, dict) else {}
