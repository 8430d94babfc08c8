"""A fake Feishu OpenAPI on 127.0.0.1, for the adapter's real HTTP client.

:class:`FakeFeishuApi` serves the endpoints the bot calls (aiohttp, random port) and records
every call, with the token it carried and the code it got::

    async with FakeFeishuApi() as feishu:
        feishu.base_url                  # → feishu.api_base
        feishu.revoke_token()            # the current token now answers code 99991663
        feishu.refuse_cards = True       # interactive messages answer code 230099
        feishu.chats["oc_1"] = ChatInfo(owner="ou_a", managers={"ou_b"})
        feishu.names["ou_a"] = "Alice"   # contact API; unknown users answer code 41050
        feishu.sends()                   # every message sent or replied, in order
        feishu.token_fetches

It checks the app credentials and the bearer token on every call, de-duplicates sends by
``uuid`` as Feishu does, and answers errors with Feishu's codes. The secrets below are the
ones the tests export; ``tests/feishu/callbacks.py`` is Feishu's side of the event callbacks.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from aiohttp import web

APP_ID = "cli_fake0123456789"
APP_SECRET = "fake-app-secret-3b1f0c"
ENCRYPT_KEY = "fake-encrypt-key-77d2"
VERIFICATION_TOKEN = "fake-verification-token-a9"
BOT_OPEN_ID = "ou_bot0000000000000000000000000000"
BOT_NAME = "星河售后机器人"

INVALID_TOKEN: dict[str, Any] = {"code": 99991663, "msg": "Invalid access token for authorization."}


@dataclass(frozen=True)
class ApiCall:
    method: str
    path: str
    query: dict[str, str]
    body: dict[str, Any]
    token: str
    code: int

    @property
    def content(self) -> dict[str, Any]:
        raw = self.body.get("content")
        parsed = json.loads(raw) if isinstance(raw, str) else {}
        return parsed if isinstance(parsed, dict) else {}

    @property
    def msg_type(self) -> str:
        return str(self.body.get("msg_type", "interactive" if self.method == "PATCH" else ""))

    @property
    def text(self) -> str:
        """What the message shows: the text, or a card's text blocks."""
        content = self.content
        if "text" in content:
            return str(content["text"])
        blocks = [
            str(e.get("text", {}).get("content", ""))
            for e in content.get("elements", [])
            if e.get("tag") == "div"
        ]
        return "\n".join(blocks)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [
            button
            for element in self.content.get("elements", [])
            if element.get("tag") == "action"
            for button in element.get("actions", [])
        ]

    def button(self, label_part: str) -> dict[str, Any]:
        for button in self.buttons:
            if label_part in button["text"]["content"]:
                return button
        raise AssertionError(f"no button with {label_part!r} in {self.buttons}")


@dataclass
class ChatInfo:
    owner: str
    managers: set[str] = field(default_factory=set)
    name: str = "星河卡盟玩家群"


class FakeFeishuApi:
    def __init__(self, *, app_id: str = APP_ID, app_secret: str = APP_SECRET) -> None:
        self.app_id = app_id
        self.app_secret = app_secret
        self.calls: list[ApiCall] = []
        self.token_fetches = 0
        self.refuse_cards = False
        self.chats: dict[str, ChatInfo] = {}
        self.names: dict[str, str] = {}
        # message_id → {"sender_id", "sender_type", "msg_type", "content"}
        self.messages: dict[str, dict[str, str]] = {}
        # Recalled message ids: replies to them answer code 230011.
        self.withdrawn: set[str] = set()
        self._tokens: set[str] = set()
        self._current = ""
        self._ids = itertools.count(1)
        self._by_uuid: dict[str, str] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle --------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/open-apis/auth/v3/tenant_access_token/internal", self._token)
        app.router.add_route("*", "/open-apis/{tail:.*}", self._api)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeFeishuApi:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- switches and views -----------------------------------------------------------------
    def revoke_token(self) -> None:
        """The current tenant token stops working (as when the app secret is reset)."""
        self._tokens.discard(self._current)

    @property
    def issued_tokens(self) -> list[str]:
        return [f"t-fake-{n}" for n in range(1, self.token_fetches + 1)]

    def sends(self) -> list[ApiCall]:
        """Successful message sends and replies, in order."""
        return [
            c
            for c in self.calls
            if c.method == "POST" and c.path.startswith("/open-apis/im/v1/messages") and c.code == 0
        ]

    def user_message(self, sender_id: str, text: str) -> str:
        """A message a user sent (for replies the bot looks up); returns its id."""
        message_id = f"om_user{next(self._ids)}"
        self.messages[message_id] = {
            "sender_id": sender_id,
            "sender_type": "user",
            "msg_type": "text",
            "content": json.dumps({"text": text}, ensure_ascii=False),
        }
        return message_id

    # -- handlers ---------------------------------------------------------------------------
    async def _token(self, request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("app_id") != self.app_id or body.get("app_secret") != self.app_secret:
            return web.json_response({"code": 10014, "msg": "app secret invalid"})
        self.token_fetches += 1
        self._current = f"t-fake-{self.token_fetches}"
        self._tokens.add(self._current)
        return web.json_response(
            {"code": 0, "msg": "ok", "tenant_access_token": self._current, "expire": 7200}
        )

    async def _api(self, request: web.Request) -> web.Response:
        raw = await request.read()
        body = json.loads(raw) if raw else {}
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ")
        if not auth.startswith("Bearer ") or token not in self._tokens:
            status, answer = 400, INVALID_TOKEN
        else:
            status, answer = self._route(request.method, request.path, dict(request.query), body)
        self.calls.append(
            ApiCall(
                method=request.method,
                path=request.path,
                query=dict(request.query),
                body=body,
                token=token,
                code=int(answer.get("code", 0)),
            )
        )
        return web.json_response(answer, status=status)

    def _route(
        self, method: str, path: str, query: dict[str, str], body: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        parts = path.removeprefix("/open-apis/").split("/")
        if parts == ["bot", "v3", "info"]:
            return 200, {
                "code": 0,
                "msg": "ok",
                "bot": {"open_id": BOT_OPEN_ID, "app_name": BOT_NAME},
            }
        if parts[:3] == ["im", "v1", "messages"]:
            return self._messages(method, parts[3:], query, body)
        if parts[:3] == ["im", "v1", "chats"] and len(parts) >= 4:
            info = self.chats.get(parts[3])
            if info is None:
                return 400, {"code": 232011, "msg": "bot is not in the chat"}
            if method == "GET" and len(parts) == 4:
                data = {
                    "name": info.name,
                    "owner_id": info.owner,
                    "owner_id_type": query.get("user_id_type", "open_id"),
                    "user_manager_id_list": sorted(info.managers),
                    "bot_manager_id_list": [],
                    "chat_mode": "group",
                }
                return 200, {"code": 0, "msg": "success", "data": data}
            if method == "DELETE" and parts[4:] == ["members"]:
                return 200, {"code": 0, "msg": "success", "data": {"invalid_id_list": []}}
        if parts[:3] == ["contact", "v3", "users"] and len(parts) == 4:
            name = self.names.get(parts[3])
            if name is None:
                return 400, {"code": 41050, "msg": "no user authority error"}
            return 200, {"code": 0, "msg": "success", "data": {"user": {"name": name}}}
        return 404, {"code": 404, "msg": f"no such fake endpoint {method} {path}"}

    def _messages(
        self, method: str, rest: list[str], query: dict[str, str], body: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        if method == "POST" and (not rest or rest[1:] == ["reply"]):
            if not rest and query.get("receive_id_type") not in ("open_id", "chat_id", "union_id"):
                return 400, {"code": 99992402, "msg": "field validation failed: receive_id_type"}
            if body.get("msg_type") not in ("text", "interactive"):
                return 400, {"code": 230001, "msg": "unsupported msg_type in this fake"}
            if rest and rest[0] in self.withdrawn:
                return 400, {"code": 230011, "msg": "The message was withdrawn."}
            if body.get("msg_type") == "interactive" and self.refuse_cards:
                return 400, {"code": 230099, "msg": "Failed to create card content"}
            known = self._by_uuid.get(str(body.get("uuid", "")))
            message_id = known or f"om_bot{next(self._ids)}"
            if body.get("uuid"):
                self._by_uuid[str(body["uuid"])] = message_id
            self.messages[message_id] = {
                "sender_id": APP_ID,
                "sender_type": "app",
                "msg_type": str(body["msg_type"]),
                "content": str(body.get("content", "")),
            }
            return 200, {"code": 0, "msg": "success", "data": {"message_id": message_id}}
        if len(rest) == 1 and method in ("PATCH", "PUT", "DELETE"):
            if rest[0] not in self.messages:
                return 400, {"code": 230011, "msg": "The message was withdrawn."}
            if method == "DELETE":
                del self.messages[rest[0]]
                self.withdrawn.add(rest[0])
            return 200, {"code": 0, "msg": "success", "data": {}}
        if len(rest) == 1 and method == "GET":
            message = self.messages.get(rest[0])
            if message is None:
                return 400, {"code": 230011, "msg": "The message was withdrawn."}
            item = {
                "message_id": rest[0],
                "msg_type": message["msg_type"],
                "sender": {"id": message["sender_id"], "sender_type": message["sender_type"]},
                "body": {"content": message["content"]},
            }
            return 200, {"code": 0, "msg": "success", "data": {"items": [item]}}
        return 404, {"code": 404, "msg": "no such fake message endpoint"}
