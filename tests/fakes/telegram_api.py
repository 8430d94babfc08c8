"""A fake Telegram Bot API on 127.0.0.1 (aiohttp), for the real python-telegram-bot client.

It serves ``/bot<token>/<method>`` like api.telegram.org: PTB's form-encoded bodies are
decoded (non-string fields arrive as JSON strings, e.g. ``reply_markup``, ``allowed_updates``),
every call is recorded, ``getUpdates`` long-polls (answering before PTB's read timeout), and
sent messages are kept so a test can press their buttons::

    async with FakeTelegramApi(TOKEN) as api:       # api.root_url → telegram.base_url
        api.send_text(ALICE, api.private_chat(ALICE), "/start")
        [call] = await api.wait_for("sendMessage")
        api.press(ALICE, call.result, "flow:confirm")  # a callback query on that message
        api.fail_next("sendMessage", retry_after=1)    # 429 with parameters.retry_after
        api.drop_next("getUpdates")                    # the connection is closed unanswered
        api.member_status[(chat_id, user_id)] = "administrator"

The runner uses ``handler_cancellation=True`` so an orphaned long poll never delays shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from aiohttp import web

JSON = dict[str, Any]

# Fields that stay strings even when they look like JSON ("123" as a message text).
_STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "callback_query_id",
        "url",
        "secret_token",
        "parse_mode",
        "language_code",
        "description",
        "short_description",
        "name",
        "title",
        "inline_message_id",
        "photo",
        "document",
    }
)


def tg_user(
    user_id: int,
    first_name: str,
    *,
    last_name: str = "",
    username: str = "",
    language_code: str = "zh-hans",
    is_bot: bool = False,
) -> JSON:
    user: JSON = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if last_name:
        user["last_name"] = last_name
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    return user


def group_chat(chat_id: int = -1001234567890, title: str = "星河卡盟玩家群") -> JSON:
    return {"id": chat_id, "type": "supergroup", "title": title}


@dataclass
class ApiCall:
    method: str
    params: JSON
    result: Any = None  # what the fake answered ("result" field), when it answered ok
    error: int = 0  # the HTTP status of an error answer; -1 when the connection was dropped


@dataclass
class _Failure:
    status: int = 429
    description: str = ""
    retry_after: int | None = None
    drop: bool = False


@dataclass
class FakeTelegramApi:
    token: str
    bot_id: int = 7000001
    bot_username: str = "kameng_test_bot"
    calls: list[ApiCall] = field(default_factory=list)
    member_status: dict[tuple[int, int], str] = field(default_factory=dict)
    # Users who never started the bot: a private message to them answers 403.
    not_started: set[int] = field(default_factory=set)
    webhook: JSON = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._updates: list[JSON] = []
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._confirmed = 0
        self._arrived = asyncio.Event()
        self._failures: dict[str, list[_Failure]] = {}
        self.messages: dict[tuple[int, int], JSON] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------
    async def __aenter__(self) -> FakeTelegramApi:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
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
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def confirmed_offset(self) -> int:
        """The highest update id the bot has confirmed (getUpdates offset)."""
        return self._confirmed

    @property
    def root_url(self) -> str:
        """What ``telegram.base_url`` is set to (the adapter appends ``/bot``)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def bot_user(self) -> JSON:
        return tg_user(self.bot_id, "星河售后机器人", username=self.bot_username, is_bot=True)

    # -- test controls ---------------------------------------------------------------------
    def fail_next(
        self, method: str, times: int = 1, *, retry_after: int | None = 1, status: int = 429
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with an error (default: 429)."""
        description = f"Too Many Requests: retry after {retry_after}" if status == 429 else "Bad"
        failure = _Failure(status=status, description=description, retry_after=retry_after)
        self._failures.setdefault(method, []).extend([failure] * times)

    def drop_next(self, method: str, times: int = 1) -> None:
        """Close the connection of the next ``times`` calls of ``method`` without answering."""
        self._failures.setdefault(method, []).extend([_Failure(drop=True)] * times)

    def inject(self, update: JSON) -> int:
        """Queue an update for getUpdates; returns its update_id."""
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, **update})
        self._arrived.set()
        return update_id

    def next_update(self, update: JSON) -> JSON:
        """An update with a fresh id, not queued (for webhook posts)."""
        return {"update_id": next(self._update_ids), **update}

    def private_chat(self, user: JSON) -> JSON:
        return {"id": user["id"], "type": "private", "first_name": user["first_name"]}

    def message(self, user: JSON | None, chat: JSON, text: str = "", **extra: Any) -> JSON:
        body: JSON = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            **({"from": user} if user is not None else {}),
        }
        if text:
            body["text"] = text
            command = re.match(r"^/\S+", text)
            if command:
                entity = {"type": "bot_command", "offset": 0, "length": len(command.group(0))}
                body["entities"] = [entity, *extra.pop("entities", [])]
        body.update(extra)
        self.messages[(chat["id"], body["message_id"])] = body
        return body

    def send_text(self, user: JSON, chat: JSON, text: str, **extra: Any) -> JSON:
        """A user writes ``text`` in ``chat``; returns the message (already injected)."""
        body = self.message(user, chat, text, **extra)
        self.inject({"message": body})
        return body

    def press(self, user: JSON, message: JSON, data: str) -> int:
        """A user presses the inline button carrying ``data`` on ``message``."""
        query = {
            "id": f"cq{next(self._update_ids)}",
            "from": user,
            "chat_instance": "ci-1",
            "message": message,
            "data": data,
        }
        return self.inject({"callback_query": query})

    def member_update(self, user: JSON, chat: JSON, old: str, new: str) -> int:
        """A chat_member update (``old`` → ``new`` status) for ``user`` in ``chat``."""
        change = {
            "chat": chat,
            "from": user,
            "date": int(time.time()),
            "old_chat_member": {"status": old, "user": user},
            "new_chat_member": {"status": new, "user": user},
        }
        return self.inject({"chat_member": change})

    # -- inspection ------------------------------------------------------------------------
    def calls_to(self, method: str, *, after: int = 0) -> list[ApiCall]:
        """Successful calls of ``method`` (from index ``after`` of :attr:`calls` on)."""
        return [c for c in self.calls[after:] if c.method == method and not c.error]

    def texts_to(self, chat_id: int) -> list[str]:
        """Texts (as sent, HTML) of successful sendMessage calls to ``chat_id``."""
        return [
            c.params["text"] for c in self.calls_to("sendMessage") if c.params["chat_id"] == chat_id
        ]

    async def wait_for(
        self,
        method: str,
        where: Callable[[ApiCall], bool] = lambda call: True,
        *,
        count: int = 1,
        after: int = 0,
        within: float = 5.0,
    ) -> list[ApiCall]:
        """Successful calls of ``method`` matching ``where``, once there are ``count``."""
        deadline = time.monotonic() + within
        while True:
            found = [c for c in self.calls_to(method, after=after) if where(c)]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                seen = [(c.method, c.error, str(c.params)[:120]) for c in self.calls[-15:]]
                raise AssertionError(f"no {count}× {method} within {within}s; last: {seen}")
            await asyncio.sleep(0.01)

    async def wait_for_error(self, method: str, status: int, within: float = 5.0) -> ApiCall:
        """The first call of ``method`` that the fake answered with ``status``."""
        deadline = time.monotonic() + within
        while True:
            for call in self.calls:
                if call.method == method and call.error == status:
                    return call
            if time.monotonic() > deadline:
                raise AssertionError(f"no {method} answered {status} within {within}s")
            await asyncio.sleep(0.01)

    async def wait_for_text(
        self, chat_id: int, fragment: str, *, after: int = 0, within: float = 5.0
    ) -> ApiCall:
        """The first message to ``chat_id`` whose (HTML) text contains ``fragment``."""
        calls = await self.wait_for(
            "sendMessage",
            lambda c: c.params["chat_id"] == chat_id and fragment in c.params["text"],
            after=after,
            within=within,
        )
        return calls[0]

    # -- the API ---------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await _params(request)
        call = ApiCall(method, params)
        self.calls.append(call)
        pending = self._failures.get(method)
        if pending:
            failure = pending.pop(0)
            if failure.drop:
                call.error = -1
                if request.transport is not None:
                    request.transport.abort()
                return web.Response()
            call.error = failure.status
            extra = {"retry_after": failure.retry_after} if failure.retry_after else None
            return _error(failure.status, failure.description, extra)
        answer = getattr(self, f"_api_{method}", None)
        if answer is None:
            call.error = 404
            return _error(404, "Not Found: method not found")
        try:
            result = await answer(params)
        except _ApiError as exc:
            call.error = exc.status
            return _error(exc.status, exc.description)
        call.result = result
        return web.json_response({"ok": True, "result": result})

    async def _api_getMe(self, params: JSON) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_getUpdates(self, params: JSON) -> list[JSON]:
        if self.webhook.get("url"):
            raise _ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        if offset:
            self._confirmed = max(self._confirmed, offset)
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while True:
            ready = [u for u in self._updates if u["update_id"] >= self._confirmed]
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0:
                return ready[: int(params.get("limit") or 100)]
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), remaining)

    async def _api_deleteWebhook(self, params: JSON) -> bool:
        self.webhook = {}
        return True

    async def _api_setWebhook(self, params: JSON) -> bool:
        self.webhook = dict(params)
        return True

    async def _api_getWebhookInfo(self, params: JSON) -> JSON:
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }

    async def _api_sendMessage(self, params: JSON) -> JSON:
        chat_id = params["chat_id"]
        if chat_id in self.not_started:
            raise _ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        chat = self._chat(chat_id)
        extra: JSON = {}
        if params.get("reply_markup"):
            extra["reply_markup"] = params["reply_markup"]
        if params.get("message_thread_id"):
            extra["message_thread_id"] = params["message_thread_id"]
            extra["is_topic_message"] = True
        return self.message(self.bot_user, chat, _plain(params), **extra)

    async def _api_sendPhoto(self, params: JSON) -> JSON:
        photo = {"file_id": params["photo"], "file_unique_id": "p", "width": 1, "height": 1}
        return self.message(self.bot_user, self._chat(params["chat_id"]), photo=[photo])

    async def _api_sendDocument(self, params: JSON) -> JSON:
        document = {"file_id": params["document"], "file_unique_id": "d"}
        return self.message(self.bot_user, self._chat(params["chat_id"]), document=document)

    def _chat(self, chat_id: int) -> JSON:
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "User"}
        return group_chat(chat_id)

    async def _api_editMessageText(self, params: JSON) -> JSON:
        message = self.messages.get((params["chat_id"], params["message_id"]))
        if message is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        text = _plain(params)
        markup = params.get("reply_markup")
        if message.get("text") == text and message.get("reply_markup") == markup:
            raise _ApiError(400, "Bad Request: message is not modified")
        message["text"] = text
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    async def _api_deleteMessage(self, params: JSON) -> bool:
        if self.messages.pop((params["chat_id"], params["message_id"]), None) is None:
            raise _ApiError(400, "Bad Request: message to delete not found")
        return True

    async def _api_answerCallbackQuery(self, params: JSON) -> bool:
        return True

    async def _api_restrictChatMember(self, params: JSON) -> bool:
        return True

    async def _api_banChatMember(self, params: JSON) -> bool:
        return True

    async def _api_setMyCommands(self, params: JSON) -> bool:
        return True

    async def _api_getChat(self, params: JSON) -> JSON:
        chat_id = params["chat_id"]
        return {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}

    async def _api_getChatMember(self, params: JSON) -> JSON:
        chat_id, user_id = params["chat_id"], params["user_id"]
        status = self.member_status.get((chat_id, user_id), "member")
        member: JSON = {"status": status, "user": tg_user(user_id, "Member")}
        if status == "creator":
            member["is_anonymous"] = False
        if status == "administrator":
            member.update(
                dict.fromkeys(
                    (
                        "can_be_edited",
                        "is_anonymous",
                        "can_manage_chat",
                        "can_delete_messages",
                        "can_manage_video_chats",
                        "can_restrict_members",
                        "can_promote_members",
                        "can_change_info",
                        "can_invite_users",
                        "can_post_stories",
                        "can_edit_stories",
                        "can_delete_stories",
                    ),
                    False,
                )
            )
        return member


class _ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _error(status: int, description: str, parameters: JSON | None = None) -> web.Response:
    body: JSON = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


def _decode(key: str, value: str) -> Any:
    if key in _STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _params(request: web.Request) -> JSON:
    params: JSON = {k: _decode(k, v) for k, v in request.query.items()}
    if request.content_type == "application/json":
        params.update(await request.json())
    elif request.can_read_body:
        form = await request.post()
        params.update({k: _decode(k, v) for k, v in form.items() if isinstance(v, str)})
    return params


def _plain(params: JSON) -> str:
    """The text a user would see: HTML tags removed and entities decoded."""
    text = str(params.get("text", ""))
    if str(params.get("parse_mode", "")).upper() == "HTML":
        return html.unescape(re.sub(r"<[^>]+>", "", text))
    return text
