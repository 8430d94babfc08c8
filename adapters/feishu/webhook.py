"""``POST /feishu/events``: Feishu's event and card callbacks, checked before anything runs.

The bot accepts encrypted, signed callbacks only (an Encrypt Key is required, see
``create_feishu_adapter``):

1. A request with ``X-Lark-Signature`` must match SHA-256(timestamp + nonce + encrypt_key +
   body), else **401** and nothing is processed. Its ``X-Lark-Request-Timestamp`` must be
   within ``feishu.max_clock_skew_seconds`` (default 300 s) of our clock, either way, else
   **401**: a captured request replayed hours later is refused. Each delivery, a retry
   too, is signed when it is sent, so it is expected to carry a fresh timestamp (if retries
   show up refused as stale in the log, widen the window). The event's own
   ``header.create_time`` is not judged: a retry hours later keeps the original one.
2. ``{"encrypt": …}`` bodies are decrypted (AES-256-CBC, :mod:`adapters.feishu.crypto`).
3. The verification token (``header.token``; ``token`` in the challenge) must match, else
   **403**.
4. ``url_verification`` is answered with its challenge. Feishu sends it when the request URL
   is saved in the console, possibly unsigned: the token (and, when encrypted, the key) is
   what proves it. Any other unsigned callback gets **401**.
5. An event is acknowledged (200) only once the adapter has recorded it: committed, with
   its replies saved (``core.replies``), which are sent afterwards. Feishu waits 3 s for an
   answer (card callbacks too), so the adapter waits up to about 2.5 s; an event not
   recorded by then, or one the database could not take, gets **503** and Feishu sends it
   again (a retry of an event recorded meanwhile is dropped by the engine's claim, and its
   replies are sent anyway). A replay of a signed request is harmless for the same reason.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from adapters.feishu.crypto import (
    DecryptError,
    decrypt,
    same_secret,
    signature_ok,
    timestamp_fresh,
)
from adapters.feishu.inbound import Callback, parse_callback

log = logging.getLogger(__name__)

PATH = "/feishu/events"

# accept(callback) → the JSON answer once the event is recorded (a card callback may carry a
# toast), or None when it was not recorded (stopping, database unavailable, too slow),
# which asks Feishu to send it again.
Acceptor = Callable[[Callback], Awaitable[dict[str, Any] | None]]


def _deny(status: int, reason: str) -> web.Response:
    return web.json_response({"msg": reason}, status=status)


DEFAULT_MAX_CLOCK_SKEW_SECONDS = 300


class CallbackEndpoint:
    def __init__(
        self,
        *,
        encrypt_key: str,
        verification_token: str,
        accept: Acceptor,
        max_clock_skew_seconds: float = DEFAULT_MAX_CLOCK_SKEW_SECONDS,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._encrypt_key = encrypt_key
        self._token = verification_token
        self._accept = accept
        self._max_skew = max_clock_skew_seconds
        # The request's timestamp is Feishu's wall clock, so it is judged against ours
        # (not the engine's business clock, which tests may freeze).
        self._wall_clock = wall_clock

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers = request.headers
        given = headers.get("X-Lark-Signature", "")
        if given:
            timestamp = headers.get("X-Lark-Request-Timestamp", "")
            nonce = headers.get("X-Lark-Request-Nonce", "")
            if not signature_ok(timestamp, nonce, given, self._encrypt_key, body):
                log.warning("rejected a Feishu callback: bad signature (from %s)", request.remote)
                return _deny(401, "bad signature")
            if not timestamp_fresh(
                timestamp, now=self._wall_clock(), max_skew_seconds=self._max_skew
            ):
                log.warning(
                    "rejected a Feishu callback: its timestamp %r is more than %gs from our "
                    "clock (a replay, or a clock out of sync)",
                    timestamp[:32],
                    self._max_skew,
                )
                return _deny(401, "stale timestamp")
        try:
            payload = json.loads(body)
        except ValueError:
            return _deny(400, "not JSON")
        if not isinstance(payload, dict):
            return _deny(400, "not a JSON object")
        if "encrypt" in payload:
            try:
                payload = json.loads(decrypt(str(payload["encrypt"]), self._encrypt_key))
            except (DecryptError, ValueError):
                log.warning("rejected a Feishu callback: it does not decrypt with our key")
                return _deny(401 if not given else 400, "cannot decrypt")
            if not isinstance(payload, dict):
                return _deny(400, "not a JSON object")
        is_challenge = payload.get("type") == "url_verification"
        header = payload.get("header")
        token = payload.get("token") if is_challenge else None
        if isinstance(header, dict) and not is_challenge:
            token = header.get("token")
        if not same_secret(str(token or ""), self._token):
            log.warning("rejected a Feishu callback: wrong verification token")
            return _deny(403, "bad token")
        if is_challenge:
            log.info("answered Feishu's url_verification challenge")
            return web.json_response({"challenge": payload.get("challenge", "")})
        if not given:
            log.warning("rejected an unsigned Feishu callback (set the Encrypt Key in Feishu)")
            return _deny(401, "unsigned")
        callback = parse_callback(payload)
        if callback is None:
            log.info("ignored a Feishu callback that is not schema 2.0")
            return web.json_response({})
        answer = await self._accept(callback)
        if answer is None:
            return _deny(503, "not recorded, retry")
        return web.json_response(answer)
