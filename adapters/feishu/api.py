"""Feishu / Lark OpenAPI client over aiohttp: the tenant token and the few calls the bot makes.

Why not the official ``lark-oapi`` SDK: in a trial its token fetch blocked the event loop (it
uses ``requests`` under the hood), it opened a new HTTP client per call, it did not refresh a
revoked token (a 99991663 answer was returned to the caller as is), it kept a process-global
token cache (two apps or two tests in one process share it), and it takes seconds to import.
The bot needs a dozen endpoints; this module is them, on one shared ``aiohttp`` session.

* One :class:`aiohttp.ClientSession`, created lazily inside the running loop and closed by
  :meth:`FeishuApi.close`.
* ``tenant_access_token`` (``auth/v3/tenant_access_token/internal``) is cached until
  :data:`REFRESH_MARGIN` before it expires; concurrent callers share one fetch (an asyncio
  lock, never a blocking call). A call answered with an invalid-token code (99991663,
  99991661: revoked, rotated or expired early) fetches a new token once and is retried once.
* Rate limits (HTTP 429, code 99991400), 5xx answers and connection failures are retried
  briefly. Every message send carries a ``uuid``, which Feishu de-duplicates for an hour, so a
  retried send never posts twice.
* The token, the app secret and request bodies are never logged; errors carry the endpoint,
  Feishu's code and message only.
* ``api_base`` selects the cloud: ``https://open.feishu.cn`` (Feishu), ``https://open.larksuite.com``
  (Lark) or a proxy in front of either.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import aiohttp

log = logging.getLogger(__name__)

TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal"
INVALID_TOKEN_CODES = frozenset({99991663, 99991661})
RATE_LIMITED_CODE = 99991400
# Refresh this many seconds before Feishu's stated expiry (tokens live 2 hours).
REFRESH_MARGIN = 300.0
ATTEMPTS = 3
MAX_BACKOFF = 5.0

JSONDict = dict[str, Any]


class FeishuApiError(Exception):
    """Feishu answered a call with a non-zero ``code`` (or an unusable HTTP answer)."""

    def __init__(self, path: str, code: int, msg: str, status: int) -> None:
        super().__init__(f"{path}: code {code} ({msg}), HTTP {status}")
        self.path = path
        self.code = code
        self.msg = msg
        self.status = status


@dataclass(frozen=True, slots=True)
class ChatAdmins:
    owner: str
    managers: frozenset[str]

    def __contains__(self, open_id: object) -> bool:
        return open_id == self.owner or open_id in self.managers


@dataclass(frozen=True, slots=True)
class MessageInfo:
    sender_id: str
    sender_type: str  # "user" | "app"
    msg_type: str
    content: str


def id_type(receive_id: str) -> str:
    """Feishu's ``receive_id_type`` for an id: users are ``ou_…`` (open_id), chats ``oc_…``."""
    if receive_id.startswith("ou_"):
        return "open_id"
    if receive_id.startswith("on_"):
        return "union_id"
    return "chat_id"


def _q(segment: str) -> str:
    return quote(segment, safe="")


class FeishuApi:
    def __init__(
        self,
        base_url: str,
        app_id: str,
        app_secret: str,
        *,
        timeout: float = 10.0,
        backoff: float = 0.5,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._app_id = app_id
        self._app_secret = app_secret
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._backoff = backoff
        self._session: aiohttp.ClientSession | None = None
        self._token = ""
        self._token_valid_until = 0.0  # time.monotonic()
        self._token_lock = asyncio.Lock()
        self.token_fetches = 0
        # Whether the last round trip reached Feishu with working credentials (None: unknown).
        self.reachable: bool | None = None

    # -- session and token ------------------------------------------------------------------
    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=self._timeout, headers={"User-Agent": "kameng-support-bot"}
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def _token_fresh(self) -> bool:
        return bool(self._token) and time.monotonic() < self._token_valid_until

    async def tenant_token(self, *, rejected: str = "") -> str:
        """A valid tenant_access_token; with ``rejected``, one other than that token."""
        if self._token_fresh() and self._token != rejected:
            return self._token
        async with self._token_lock:
            # Another caller may have fetched one while this one waited for the lock.
            if self._token_fresh() and self._token != rejected:
                return self._token
            if rejected and self._token == rejected:
                self._token = ""
            await self._fetch_token()
            return self._token

    async def _fetch_token(self) -> None:
        self.token_fetches += 1
        body = {"app_id": self._app_id, "app_secret": self._app_secret}
        try:
            status, answer = await self._round_trip("POST", TOKEN_PATH, json_body=body)
        except (aiohttp.ClientError, TimeoutError):
            self.reachable = False
            raise
        code = _code(answer, status)
        token = answer.get("tenant_access_token")
        if code != 0 or not isinstance(token, str) or not token:
            self.reachable = False
            msg = str(answer.get("msg", ""))[:200]
            log.error(
                "Feishu refused the app credentials (code %s: %s). Check the app id and secret "
                "(feishu.app_id_env, feishu.app_secret_env) and the api_base %s.",
                code,
                msg,
                self.base_url,
            )
            raise FeishuApiError(TOKEN_PATH, code, msg, status)
        expire = _as_float(answer.get("expire"), 7200.0)
        lifetime = max(expire - REFRESH_MARGIN, expire / 2)
        self._token = token
        self._token_valid_until = time.monotonic() + lifetime
        self.reachable = True
        log.info("Feishu tenant access token obtained (valid %.0f s)", expire)

    # -- the request loop -------------------------------------------------------------------
    async def _round_trip(
        self,
        method: str,
        path: str,
        *,
        token: str = "",
        params: Mapping[str, str] | None = None,
        json_body: Mapping[str, Any] | None = None,
    ) -> tuple[int, JSONDict]:
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        async with self._http().request(
            method, self.base_url + path, params=params, json=json_body, headers=headers
        ) as response:
            raw = await response.read()
            retry_after = response.headers.get("x-ogw-ratelimit-reset", "")
        try:
            answer = json.loads(raw) if raw else {}
        except ValueError:
            answer = {"code": -1, "msg": f"not JSON: {raw[:120]!r}"}
        if not isinstance(answer, dict):
            answer = {"code": -1, "msg": "not a JSON object"}
        if retry_after:
            answer.setdefault("_retry_after", retry_after)
        return response.status, answer

    async def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Mapping[str, Any] | None = None,
    ) -> JSONDict:
        """One OpenAPI call; returns the whole answer (``data`` and friends) when code is 0."""
        token = await self.tenant_token()
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            try:
                status, answer = await self._round_trip(
                    method, path, token=token, params=params, json_body=json_body
                )
            except (aiohttp.ClientError, TimeoutError) as exc:
                self.reachable = False
                if attempt >= ATTEMPTS:
                    raise
                log.warning("Feishu %s %s failed (%s); retrying", method, path, type(exc).__name__)
                await asyncio.sleep(self._backoff * attempt)
                continue
            code = _code(answer, status)
            if code in INVALID_TOKEN_CODES and not refreshed:
                # Revoked or rotated early: fetch a new token once and try again.
                log.info("Feishu rejected the tenant token (code %s); fetching a new one", code)
                refreshed = True
                token = await self.tenant_token(rejected=token)
                continue
            if code == 0:
                self.reachable = True
                return answer
            retryable = status == 429 or status >= 500 or code == RATE_LIMITED_CODE
            if retryable and attempt < ATTEMPTS:
                delay = _as_float(answer.get("_retry_after"), self._backoff * attempt)
                log.warning("Feishu %s %s: code %s, HTTP %d; retrying", method, path, code, status)
                await asyncio.sleep(min(max(delay, 0.0), MAX_BACKOFF))
                continue
            self.reachable = status < 500 and code not in INVALID_TOKEN_CODES
            raise FeishuApiError(path, code, str(answer.get("msg", ""))[:200], status)

    # -- endpoints --------------------------------------------------------------------------
    async def bot_open_id(self) -> str:
        answer = await self.call("GET", "/open-apis/bot/v3/info")
        bot = answer.get("bot") or answer.get("data", {}).get("bot") or {}
        return str(bot.get("open_id", ""))

    async def send_message(self, receive_id: str, msg_type: str, content: str) -> str:
        """Post a message to a chat (``oc_…``) or a user (``ou_…``); returns its message_id."""
        answer = await self.call(
            "POST",
            "/open-apis/im/v1/messages",
            params={"receive_id_type": id_type(receive_id)},
            json_body={
                "receive_id": receive_id,
                "msg_type": msg_type,
                "content": content,
                "uuid": uuid.uuid4().hex,
            },
        )
        return _message_id(answer)

    async def reply_message(
        self, message_id: str, msg_type: str, content: str, *, in_thread: bool = False
    ) -> str:
        answer = await self.call(
            "POST",
            f"/open-apis/im/v1/messages/{_q(message_id)}/reply",
            json_body={
                "msg_type": msg_type,
                "content": content,
                "reply_in_thread": in_thread,
                "uuid": uuid.uuid4().hex,
            },
        )
        return _message_id(answer)

    async def update_card(self, message_id: str, content: str) -> None:
        """Replace an interactive card the bot sent (shared cards update for everyone)."""
        await self.call(
            "PATCH", f"/open-apis/im/v1/messages/{_q(message_id)}", json_body={"content": content}
        )

    async def edit_text(self, message_id: str, content: str) -> None:
        await self.call(
            "PUT",
            f"/open-apis/im/v1/messages/{_q(message_id)}",
            json_body={"msg_type": "text", "content": content},
        )

    async def delete_message(self, message_id: str) -> None:
        """Recall a message (the bot's own, or any in a group where the bot is owner/admin)."""
        await self.call("DELETE", f"/open-apis/im/v1/messages/{_q(message_id)}")

    async def get_message(self, message_id: str) -> MessageInfo | None:
        answer = await self.call("GET", f"/open-apis/im/v1/messages/{_q(message_id)}")
        items = answer.get("data", {}).get("items") or []
        if not items:
            return None
        item = items[0]
        sender = item.get("sender") or {}
        return MessageInfo(
            sender_id=str(sender.get("id", "")),
            sender_type=str(sender.get("sender_type", "")),
            msg_type=str(item.get("msg_type", "")),
            content=str((item.get("body") or {}).get("content", "")),
        )

    async def chat_admins(self, chat_id: str) -> ChatAdmins:
        """The group's owner and managers (open_ids), from the chat info."""
        answer = await self.call(
            "GET", f"/open-apis/im/v1/chats/{_q(chat_id)}", params={"user_id_type": "open_id"}
        )
        data = answer.get("data") or {}
        owner = str(data.get("owner_id", ""))  # a bot owner is reported by its app id
        managers = frozenset(str(m) for m in data.get("user_manager_id_list") or [])
        return ChatAdmins(owner=owner, managers=managers)

    async def remove_members(self, chat_id: str, open_ids: list[str]) -> None:
        await self.call(
            "DELETE",
            f"/open-apis/im/v1/chats/{_q(chat_id)}/members",
            params={"member_id_type": "open_id"},
            json_body={"id_list": open_ids},
        )

    async def user_name(self, open_id: str) -> str:
        """A user's name (needs a contact permission; raises FeishuApiError without it)."""
        answer = await self.call(
            "GET", f"/open-apis/contact/v3/users/{_q(open_id)}", params={"user_id_type": "open_id"}
        )
        user = answer.get("data", {}).get("user") or {}
        return str(user.get("name", ""))


def _code(answer: Mapping[str, Any], status: int) -> int:
    code = answer.get("code")
    if isinstance(code, int):
        return code
    return 0 if 200 <= status < 300 else -1


def _as_float(value: object, default: float) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


def _message_id(answer: Mapping[str, Any]) -> str:
    return str((answer.get("data") or {}).get("message_id", ""))
