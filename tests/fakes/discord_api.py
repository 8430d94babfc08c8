"""A fake Discord REST API + gateway on 127.0.0.1, for the real discord.py client.

The adapter points discord.py at it through ``discord.api_base`` / ``discord.gateway_url``,
so the real HTTP client, websocket, caches, command tree, views and modals all run. What
the real Discord requires and the trial found (see issue 9) is honoured: replies carry
exactly ``Content-Type: application/json``; login reads ``/users/@me`` and
``/oauth2/applications/@me``; the gateway sends HELLO, acknowledges heartbeats, READY with
a loopback ``resume_gateway_url``, GUILD_CREATE with an ``@everyone`` role whose id is the
guild id; interaction callbacks (``?with_response=1``) answer
``{"interaction": …, "resource": …}``. IDENTIFY asking for a privileged intent the
application flags do not grant is closed with 4014, like Discord.

Every REST call is recorded (:attr:`FakeDiscord.calls`); tests dispatch gateway events
(messages, slash commands, buttons, modals, user context menus, member joins and updates)
with the helpers and wait for the calls the bot makes::

    async with FakeDiscord() as fake:
        ...  # start the adapter with fake.api_base / fake.gateway_url / fake.token
        alice = fake.add_member("alice", "Alice")
        iid = await fake.slash("support", alice, channel_id=fake.general_id)
        answer = await fake.callback(iid)  # POST /interactions/{iid}/{token}/callback
        fake.rate_limit_next("POST", "/messages")  # the next such call answers 429

Also: DM channels, follow-ups (``/webhooks``), threads opened from a message (with
THREAD_CREATE on the gateway), multipart uploads (``body["_files"]``), attachment URLs
served like the CDN, member lookups, op 7 RECONNECT and RESUME, op 8 member chunks.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from aiohttp import WSMsgType, web

Json = dict[str, Any]
DISCORD_EPOCH_MS = 1420070400000

# Permission bits (https://discord.com/developers/docs/topics/permissions).
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
READ_HISTORY = 1 << 16
KICK_MEMBERS = 1 << 1
MODERATE_MEMBERS = 1 << 40
EVERYONE_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES | READ_HISTORY

# Application flags that grant the privileged intents (limited = unverified apps).
FLAG_MEMBERS_LIMITED = 1 << 15
FLAG_CONTENT_LIMITED = 1 << 19
INTENT_MEMBERS = 1 << 1
INTENT_MESSAGE_CONTENT = 1 << 15

_counter = itertools.count(1)


def snowflake() -> int:
    """A fresh, time-ordered id, shaped like Discord's."""
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return (ms << 22) | (next(_counter) & 0x3FFFFF)


def _now() -> str:
    return datetime.now(UTC).isoformat()


def json_response(data: Any, status: int = 200) -> web.Response:
    # Exactly "application/json": with "; charset=utf-8" discord.py does not parse the body.
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


@dataclass(frozen=True)
class RestCall:
    method: str
    path: str  # without the /api/v10 prefix
    query: Mapping[str, str]
    body: Any
    headers: Mapping[str, str]


@dataclass
class FakeUser:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False

    def payload(self) -> Json:
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }


@dataclass
class FakeMember:
    user: FakeUser
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=_now)

    def payload(self, *, with_user: bool = True, permissions: int | None = None) -> Json:
        data: Json = {
            "roles": [str(r) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


class FakeDiscord:
    """One application, one bot user and one guild (#general, #staff, #welcome)."""

    def __init__(
        self,
        *,
        members_intent: bool = True,
        content_intent: bool = True,
        claimed_flags: int | None = None,
    ) -> None:
        """``members_intent`` / ``content_intent``: what the gateway allows at IDENTIFY;
        ``claimed_flags``: application flags to report instead of the true ones."""
        self.token = "fake-bot-token"
        self.application_id = snowflake()
        self.bot = FakeUser(self.application_id, "kameng_bot", "星河售后助手", bot=True)
        self.flags = (FLAG_MEMBERS_LIMITED if members_intent else 0) | (
            FLAG_CONTENT_LIMITED if content_intent else 0
        )
        self.claimed_flags = self.flags if claimed_flags is None else claimed_flags
        self.guild_id = snowflake()
        self.general_id = snowflake()
        self.staff_id = snowflake()
        self.welcome_id = snowflake()
        self.mod_role_id = snowflake()
        self.bot_role_id = snowflake()
        self.roles: dict[int, tuple[str, int]] = {
            self.guild_id: ("@everyone", EVERYONE_PERMISSIONS),
            self.mod_role_id: ("moderators", MANAGE_MESSAGES),
            self.bot_role_id: ("bot", KICK_MEMBERS | MODERATE_MEMBERS | MANAGE_MESSAGES),
        }
        self.members: dict[int, FakeMember] = {
            self.bot.id: FakeMember(self.bot, roles=[self.bot_role_id])
        }
        self.users: dict[int, FakeUser] = {self.bot.id: self.bot}
        self.calls: list[RestCall] = []
        self.messages: dict[int, Json] = {}
        self.dm_channels: dict[int, int] = {}  # user id -> DM channel id
        self.commands: list[Json] = []
        self.identify_payloads: list[Json] = []
        self.resumes: list[tuple[str, Json]] = []  # (path, payload)
        self.interactions: dict[str, Json] = {}  # token -> interaction payload
        self.threads: dict[int, Json] = {}  # thread id -> channel payload
        self.files: dict[str, bytes] = {}  # name -> bytes served as attachment URLs
        self._sockets: list[web.WebSocketResponse] = []
        self._rate_limits: list[tuple[str, str, float]] = []
        # Gateway events a REST call causes (THREAD_CREATE), sent after its answer.
        self._pending_dispatch: list[tuple[str, Json]] = []
        self._seq = 0
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------
    async def __aenter__(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/resume-gateway", self._gateway)
        app.router.add_get("/attachments/{name}", self._attachment)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- people ----------------------------------------------------------------------------
    def add_member(
        self, username: str, global_name: str | None = None, *, moderator: bool = False
    ) -> FakeMember:
        user = FakeUser(snowflake(), username, global_name)
        member = FakeMember(user, roles=[self.mod_role_id] if moderator else [])
        self.users[user.id] = user
        self.members[user.id] = member
        return member

    def permissions_of(self, member: FakeMember) -> int:
        value = self.roles[self.guild_id][1]
        for role in member.roles:
            value |= self.roles[role][1]
        return value

    # -- recording and waiting -------------------------------------------------------------
    def rate_limit_next(self, method: str, path_part: str, retry_after: float = 0.05) -> None:
        """The next matching call answers 429 (discord.py must wait and retry it once)."""
        self._rate_limits.append((method, path_part, retry_after))

    def find(self, method: str, path_part: str) -> list[RestCall]:
        return [c for c in self.calls if c.method == method and path_part in c.path]

    async def wait_for(
        self,
        method: str,
        path_part: str,
        *,
        where: Callable[[RestCall], bool] = lambda call: True,
        count: int = 1,
        within: float = 5.0,
    ) -> RestCall:
        """The ``count``-th call matching, waiting up to ``within`` seconds for it."""

        def matching() -> list[RestCall]:
            return [c for c in self.find(method, path_part) if where(c)]

        async with self._changed:
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: len(matching()) >= count), within
                )
            except TimeoutError:
                seen = "\n".join(f"  {c.method} {c.path} {c.body!r:.300}" for c in self.calls)
                raise AssertionError(
                    f"no {method} …{path_part}… (#{count}) within {within}s; calls:\n{seen}"
                ) from None
        return matching()[count - 1]

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # -- REST ------------------------------------------------------------------------------
    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.content_type.startswith("multipart/"):  # a message with files
            form = await request.post()
            body = json.loads(str(form.get("payload_json") or "{}"))
            body["_files"] = [
                {"filename": field.filename, "data": field.file.read()}
                for key, field in form.items()
                if key.startswith("files[") and isinstance(field, web.FileField)
            ]
        elif request.can_read_body:
            raw = await request.read()
            if request.content_type == "application/json" and raw:
                body = json.loads(raw)
            elif raw:
                body = raw.decode("utf-8", "replace")
        call = RestCall(request.method, path, dict(request.query), body, dict(request.headers))
        self.calls.append(call)
        try:
            # Interaction callbacks and follow-ups authenticate by their token in the path.
            webhook = path.startswith(("/interactions/", "/webhooks/"))
            if not webhook and request.headers.get("Authorization") != f"Bot {self.token}":
                return json_response({"message": "401: Unauthorized", "code": 0}, 401)
            for rule in self._rate_limits:
                if rule[0] == call.method and rule[1] in path:
                    self._rate_limits.remove(rule)
                    return _too_many_requests(rule[2])
            return self._route(call)
        finally:
            pending, self._pending_dispatch = self._pending_dispatch, []
            for event, data in pending:
                await self.dispatch(event, data)
            await self._notify()

    def _route(self, call: RestCall) -> web.Response:
        parts = call.path.strip("/").split("/")
        method = call.method
        if call.path == "/users/@me" and method == "GET":
            return json_response(self.bot.payload())
        if call.path == "/oauth2/applications/@me":
            return json_response(self._application())
        if call.path in ("/gateway", "/gateway/bot"):
            return json_response(
                {
                    "url": self.gateway_url,
                    "shards": 1,
                    "session_start_limit": {
                        "total": 1000,
                        "remaining": 1000,
                        "reset_after": 0,
                        "max_concurrency": 1,
                    },
                }
            )
        if parts[:1] == ["applications"] and parts[-1] == "commands" and method == "PUT":
            self.commands = [
                {
                    "description": "",
                    **command,
                    "id": str(snowflake()),
                    "application_id": str(self.application_id),
                    "version": str(snowflake()),
                }
                for command in call.body
            ]
            return json_response(self.commands)
        if call.path == "/users/@me/channels" and method == "POST":
            return json_response(self._dm_channel(int(call.body["recipient_id"])))
        if parts[0] == "users" and len(parts) == 2 and method == "GET":
            user = self.users.get(int(parts[1]))
            return json_response(user.payload()) if user else _not_found(10013)
        if parts[0] == "channels":
            return self._channels(call, parts)
        if parts[0] == "interactions" and parts[-1] == "callback":
            return self._callback(call, parts[1], parts[2])
        if parts[0] == "webhooks":
            return self._webhook(call, parts)
        if parts[0] == "guilds" and len(parts) == 4 and parts[2] == "members":
            member = self.members.get(int(parts[3]))
            if member is None:
                return _not_found(10007)
            if method == "GET":
                return json_response(member.payload())
            if method == "PATCH":
                return json_response(member.payload())
            return web.Response(status=204)
        return _not_found(0)

    def _application(self) -> Json:
        return {
            "id": str(self.application_id),
            "name": "kameng",
            "description": "",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": self.bot.payload(),
            "verify_key": "0" * 64,
            "flags": self.claimed_flags,
        }

    def _dm_channel(self, user_id: int) -> Json:
        channel_id = self.dm_channels.setdefault(user_id, snowflake())
        user = self.users[user_id]
        return {"id": str(channel_id), "type": 1, "recipients": [user.payload()]}

    def _channels(self, call: RestCall, parts: list[str]) -> web.Response:
        channel_id = int(parts[1])
        if len(parts) == 2 and call.method == "GET":
            guild_channels = self._guild_channels()
            for channel in guild_channels:
                if channel["id"] == str(channel_id):
                    return json_response({**channel, "guild_id": str(self.guild_id)})
            return _not_found(10003)
        if len(parts) == 3 and parts[2] == "messages" and call.method == "POST":
            if not self._channel_exists(channel_id):
                return _not_found(10003)
            return json_response(self._store_message(channel_id, call.body or {}))
        if len(parts) == 5 and parts[4] == "threads" and call.method == "POST":
            return json_response(self._open_thread(channel_id, call.body or {}))
        if len(parts) == 4 and parts[2] == "messages":
            message_id = int(parts[3])
            if call.method == "DELETE":
                self.messages.pop(message_id, None)
                return web.Response(status=204)
            if call.method == "PATCH" and message_id in self.messages:
                self.messages[message_id].update(_message_fields(call.body or {}))
                return json_response(self.messages[message_id])
        return _not_found(10008)

    def _in_guild(self, channel_id: int) -> bool:
        return channel_id in (self.general_id, self.staff_id, self.welcome_id, *self.threads)

    def _channel_exists(self, channel_id: int) -> bool:
        return self._in_guild(channel_id) or channel_id in self.dm_channels.values()

    def _open_thread(self, channel_id: int, body: Json) -> Json:
        thread_id = snowflake()
        thread = {
            "id": str(thread_id),
            "type": 11,  # PUBLIC_THREAD
            "guild_id": str(self.guild_id),
            "parent_id": str(channel_id),
            "owner_id": str(self.bot.id),
            "name": body.get("name", "thread"),
            "message_count": 0,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": body.get("auto_archive_duration", 1440),
                "archive_timestamp": _now(),
                "locked": False,
            },
        }
        self.threads[thread_id] = thread
        self._pending_dispatch.append(("THREAD_CREATE", {**thread, "newly_created": True}))
        return thread

    def add_file(self, name: str, data: bytes) -> Json:
        """An attachment a user sends (served at a URL, like Discord's CDN)."""
        self.files[name] = data
        url = f"http://127.0.0.1:{self.port}/attachments/{name}"
        return {
            "id": str(snowflake()),
            "filename": name,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": "image/png" if name.endswith(".png") else "application/octet-stream",
        }

    async def _attachment(self, request: web.Request) -> web.Response:
        data = self.files.get(request.match_info["name"])
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="application/octet-stream")

    def _store_message(self, channel_id: int, body: Json, *, flags: int = 0) -> Json:
        message_id = snowflake()
        in_guild = self._in_guild(channel_id)
        message = {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "author": self.bot.payload(),
            "content": "",
            "timestamp": _now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "components": [],
            "flags": flags,
            **_message_fields(body),
        }
        if in_guild:
            message["guild_id"] = str(self.guild_id)
        self.messages[message_id] = message
        return message

    def _callback(self, call: RestCall, interaction_id: str, token: str) -> web.Response:
        interaction = self.interactions.get(token)
        if interaction is None or interaction["id"] != interaction_id:
            return _not_found(10062)  # Unknown interaction
        if interaction.get("_answered"):
            return json_response({"message": "already acknowledged", "code": 40060}, 400)
        interaction["_answered"] = True
        kind = int(call.body["type"])
        data = call.body.get("data") or {}
        answer: Json = {"id": interaction_id, "type": interaction["type"]}
        resource: Json = {"type": kind}
        if kind in (4, 5):  # a message (5: "thinking…", filled in by the first follow-up)
            flags = int(data.get("flags", 0)) | (128 if kind == 5 else 0)
            message = self._store_message(int(interaction["channel_id"]), data, flags=flags)
            message["interaction_metadata"] = {
                "id": interaction_id,
                "type": interaction["type"],
                "user": _interaction_user(interaction),
                "authorizing_integration_owners": {},
            }
            interaction["_original"] = int(message["id"])
            answer.update(
                response_message_id=message["id"],
                response_message_loading=kind == 5,
                response_message_ephemeral=bool(flags & 64),
            )
            resource["message"] = message
        return json_response({"interaction": answer, "resource": resource})

    def _webhook(self, call: RestCall, parts: list[str]) -> web.Response:
        token = parts[2]
        interaction = self.interactions.get(token)
        if interaction is None or parts[1] != str(self.application_id):
            return _not_found(10015)
        channel_id = int(interaction["channel_id"])
        if len(parts) == 3 and call.method == "POST":  # a follow-up message
            body = call.body or {}
            message = self._store_message(channel_id, body, flags=int(body.get("flags", 0)))
            return json_response(message)
        if len(parts) == 5 and parts[4] == "@original":
            original = interaction.get("_original")
            if call.method == "DELETE":
                self.messages.pop(original or 0, None)
                return web.Response(status=204)
            if call.method == "PATCH" and original in self.messages:
                self.messages[original].update(_message_fields(call.body or {}))
                return json_response(self.messages[original])
        return _not_found(10008)

    # -- gateway ---------------------------------------------------------------------------
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        try:
            await ws.send_json({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                packet = json.loads(msg.data)
                await self._on_packet(ws, request.path, packet)
        finally:
            if ws in self._sockets:
                self._sockets.remove(ws)
            await self._notify()
        return ws

    async def _on_packet(self, ws: web.WebSocketResponse, path: str, packet: Json) -> None:
        op, raw = packet.get("op"), packet.get("d")
        data: Json = raw if isinstance(raw, dict) else {}
        if op == 1:
            await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:
            self.identify_payloads.append(data)
            await self._notify()
            wanted = int(data.get("intents", 0))
            missing = (wanted & INTENT_MEMBERS and not self.flags & FLAG_MEMBERS_LIMITED) or (
                wanted & INTENT_MESSAGE_CONTENT and not self.flags & FLAG_CONTENT_LIMITED
            )
            if missing:
                await ws.close(code=4014, message=b"Disallowed intent(s).")
                return
            ready: Json = {
                "v": 10,
                "user": self.bot.payload(),
                "guilds": [{"id": str(self.guild_id), "unavailable": True}],
                "session_id": f"session-{len(self.identify_payloads)}",
                "resume_gateway_url": f"ws://127.0.0.1:{self.port}/resume-gateway",
                "application": {"id": str(self.application_id), "flags": self.claimed_flags},
            }
            if "shard" in data:
                ready["shard"] = data["shard"]
            await self._send(ws, "READY", ready)
            await self._send(ws, "GUILD_CREATE", self._guild_payload())
        elif op == 6:
            self.resumes.append((path, data))
            await self._notify()
            await self._send(ws, "RESUMED", {})
        elif op == 8:
            members = [m.payload() for m in self.members.values()]
            chunk = {
                "guild_id": str(self.guild_id),
                "members": members,
                "chunk_index": 0,
                "chunk_count": 1,
                "nonce": data.get("nonce"),
            }
            await self._send(ws, "GUILD_MEMBERS_CHUNK", chunk)

    async def _send(self, ws: web.WebSocketResponse, event: str, data: Json) -> None:
        self._seq += 1
        await ws.send_json({"op": 0, "t": event, "s": self._seq, "d": data})

    async def wait_until(self, condition: Callable[[], bool], within: float = 5.0) -> None:
        """Wait until ``condition()`` holds (checked after every call and gateway packet)."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), within)

    async def dispatch(self, event: str, data: Json) -> None:
        """Send a DISPATCH to every connected gateway session."""
        if not self._sockets:
            raise AssertionError("no gateway session to dispatch to")
        for ws in list(self._sockets):
            await self._send(ws, event, data)

    async def reconnect(self) -> None:
        """Op 7 RECONNECT: the client must come back and RESUME."""
        for ws in list(self._sockets):
            await ws.send_json({"op": 7, "d": None, "s": None, "t": None})

    def _guild_channels(self) -> list[Json]:
        def text(channel_id: int, name: str, position: int) -> Json:
            return {
                "id": str(channel_id),
                "type": 0,
                "name": name,
                "position": position,
                "permission_overwrites": [],
                "parent_id": None,
                "nsfw": False,
                "topic": None,
                "rate_limit_per_user": 0,
            }

        return [
            text(self.general_id, "general", 0),
            text(self.staff_id, "staff", 1),
            text(self.welcome_id, "welcome", 2),
        ]

    def _guild_payload(self) -> Json:
        roles = [
            {
                "id": str(role_id),
                "name": name,
                "permissions": str(permissions),
                "position": 0 if role_id == self.guild_id else 1,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
                "flags": 0,
            }
            for role_id, (name, permissions) in self.roles.items()
        ]
        return {
            "id": str(self.guild_id),
            "name": "星河卡盟玩家社区",
            "icon": None,
            "owner_id": str(snowflake()),
            "roles": roles,
            "channels": self._guild_channels(),
            "members": [self.members[self.bot.id].payload()],
            "member_count": len(self.members),
            "unavailable": False,
            "large": False,
            "features": [],
            "emojis": [],
            "stickers": [],
            "threads": [],
            "voice_states": [],
            "presences": [],
            "system_channel_id": str(self.welcome_id),
            "preferred_locale": "zh-CN",
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "afk_timeout": 300,
            "joined_at": _now(),
        }

    # -- events a test dispatches ----------------------------------------------------------
    async def message(
        self,
        member: FakeMember,
        content: str,
        *,
        channel_id: int | None = None,
        attachments: Sequence[Json] = (),
    ) -> int:
        """MESSAGE_CREATE in a guild channel or thread, or (``channel_id=None``) a DM."""
        message_id = snowflake()
        data: Json = {
            "id": str(message_id),
            "author": member.user.payload(),
            "content": content,
            "timestamp": _now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": list(attachments),
            "embeds": [],
            "pinned": False,
            "type": 0,
        }
        if channel_id is None:
            data["channel_id"] = self._dm_channel(member.user.id)["id"]
        else:
            data["channel_id"] = str(channel_id)
            data["guild_id"] = str(self.guild_id)
            data["member"] = member.payload(with_user=False)
        await self.dispatch("MESSAGE_CREATE", data)
        return message_id

    def _interaction(
        self,
        kind: int,
        member: FakeMember,
        data: Json,
        *,
        channel_id: int | None,
        message: Json | None = None,
        locale: str = "zh-CN",
    ) -> Json:
        interaction_id = snowflake()
        token = f"itoken-{interaction_id}"
        payload: Json = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "token": token,
            "version": 1,
            "locale": locale,
            "app_permissions": str(self.permissions_of(self.members[self.bot.id])),
            "attachment_size_limit": 10 * 1024 * 1024,
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(self.guild_id)},
        }
        if channel_id is None:
            dm = self._dm_channel(member.user.id)
            payload.update(channel_id=dm["id"], channel=dm, user=member.user.payload(), context=1)
        else:
            channel = next(c for c in self._guild_channels() if c["id"] == str(channel_id))
            payload.update(
                channel_id=str(channel_id),
                channel={**channel, "guild_id": str(self.guild_id)},
                guild_id=str(self.guild_id),
                guild_locale="zh-CN",
                member=member.payload(permissions=self.permissions_of(member)),
                context=0,
            )
        if message is not None:
            payload["message"] = message
        self.interactions[token] = payload
        return payload

    async def slash(
        self,
        name: str,
        member: FakeMember,
        *,
        channel_id: int | None = None,
        options: Sequence[Json] = (),
        resolved: Json | None = None,
    ) -> str:
        """A slash command (``options``: ``[{"name", "type", "value"}]``); returns its id."""
        command = next(c for c in self.commands if c["name"] == name and c.get("type", 1) == 1)
        data: Json = {"id": command["id"], "name": name, "type": 1, "options": list(options)}
        if resolved is not None:
            data["resolved"] = resolved
        payload = self._interaction(2, member, data, channel_id=channel_id)
        await self.dispatch("INTERACTION_CREATE", payload)
        return str(payload["id"])

    async def user_menu(
        self, name: str, member: FakeMember, target: FakeMember, *, channel_id: int
    ) -> str:
        """A user context-menu command on ``target``; returns the interaction id."""
        command = next(c for c in self.commands if c["name"] == name and c.get("type") == 2)
        data: Json = {
            "id": command["id"],
            "name": name,
            "type": 2,
            "target_id": str(target.user.id),
            "resolved": {
                "users": {str(target.user.id): target.user.payload()},
                "members": {
                    str(target.user.id): {
                        **target.payload(with_user=False),
                        "permissions": str(self.permissions_of(target)),
                    }
                },
            },
        }
        payload = self._interaction(2, member, data, channel_id=channel_id)
        await self.dispatch("INTERACTION_CREATE", payload)
        return str(payload["id"])

    async def click(self, member: FakeMember, message: Json, custom_id: str) -> str:
        """Press the button ``custom_id`` of a message the bot sent; returns the id."""
        ids = [
            button.get("custom_id")
            for row in message.get("components", [])
            for button in row.get("components", [])
        ]
        if custom_id not in ids:
            raise AssertionError(f"no button {custom_id!r} in message; buttons: {ids}")
        channel_id = int(message["channel_id"])
        in_guild = "guild_id" in message
        payload = self._interaction(
            3,
            member,
            {"custom_id": custom_id, "component_type": 2},
            channel_id=channel_id if in_guild else None,
            message=message,
        )
        await self.dispatch("INTERACTION_CREATE", payload)
        return str(payload["id"])

    async def submit_modal(
        self,
        member: FakeMember,
        modal: Json,
        values: Mapping[str, str],
        *,
        channel_id: int | None = None,
    ) -> str:
        """Submit a modal the bot opened (``modal``: the callback's ``data``)."""
        rows = [
            {"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]}
            for key, value in values.items()
        ]
        data = {"custom_id": modal["custom_id"], "components": rows}
        payload = self._interaction(5, member, data, channel_id=channel_id)
        await self.dispatch("INTERACTION_CREATE", payload)
        return str(payload["id"])

    async def member_join(self, member: FakeMember) -> None:
        await self.dispatch(
            "GUILD_MEMBER_ADD", {**member.payload(), "guild_id": str(self.guild_id)}
        )

    async def member_update(self, member: FakeMember) -> None:
        await self.dispatch(
            "GUILD_MEMBER_UPDATE", {**member.payload(), "guild_id": str(self.guild_id)}
        )

    # -- reading what the bot sent -----------------------------------------------------------
    async def callback(self, interaction_id: str, *, within: float = 5.0) -> RestCall:
        """The bot's response to an interaction (exactly one is allowed)."""
        return await self.wait_for("POST", f"/interactions/{interaction_id}/", within=within)

    def response_message(self, interaction_id: str) -> Json:
        """The message the interaction response created."""
        token = next(t for t, i in self.interactions.items() if i["id"] == interaction_id)
        return self.messages[int(self.interactions[token]["_original"])]

    async def followup(self, interaction_id: str, count: int = 1) -> RestCall:
        token = next(t for t, i in self.interactions.items() if i["id"] == interaction_id)
        return await self.wait_for("POST", f"/webhooks/{self.application_id}/{token}", count=count)

    def last_message(self, channel_id: int) -> Json:
        found = [m for m in self.messages.values() if m["channel_id"] == str(channel_id)]
        return found[-1]

    def dm_of(self, member: FakeMember) -> int:
        return int(self._dm_channel(member.user.id)["id"])


def _interaction_user(interaction: Json) -> Json:
    member = interaction.get("member")
    user: Json = member["user"] if member else interaction["user"]
    return user


def _message_fields(body: Json) -> Json:
    fields: Json = {}
    for key in ("content", "components", "embeds"):
        if key in body:
            fields[key] = body[key]
    if "message_reference" in body:
        fields["message_reference"] = body["message_reference"]
    return fields


def _too_many_requests(retry_after: float) -> web.Response:
    body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
    return web.Response(
        body=json.dumps(body).encode(),
        status=429,
        headers={
            "Content-Type": "application/json",
            "Via": "1.1 google",  # without it discord.py takes a 429 for a Cloudflare ban
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset-After": str(retry_after),
            "X-RateLimit-Bucket": "fake-bucket",
            "X-RateLimit-Scope": "user",
        },
    )


def _not_found(code: int) -> web.Response:
    return json_response({"message": "404: Not Found", "code": code}, 404)


def buttons_of(message_or_body: Json) -> list[Json]:
    """The buttons of a message (or a request body), flattened."""
    return [
        button
        for row in message_or_body.get("components", [])
        for button in row.get("components", [])
    ]
