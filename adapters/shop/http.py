"""The HTTP shop backend: a :class:`~core.shop.ShopPort` client of the API in ``openapi.yaml``.

One shared :class:`aiohttp.ClientSession` (created lazily, closed by :meth:`HttpShop.close`);
each request is signed (:mod:`adapters.shop.signing`) and has the configured timeout.
Timeouts, connection errors and 5xx replies are retried with exponential back-off and
jitter (tenacity, a few attempts, bounded in total); writes carry an ``Idempotency-Key`` so
a retry never reissues or files twice. Outcomes:

* 2xx → parsed strictly (:mod:`adapters.shop.wire`); malformed JSON or a wrong shape →
  :class:`ShopError` (not retried here; the caller or the outbox tries again later);
* 404 → ``None`` for lookups (a declined reissue for ``request_reissue``);
* 408 / 429 → :class:`ShopError` (worth trying later, but not hammered now);
* other 4xx → :class:`ShopRejected`, never retried;
* retries exhausted → :class:`ShopError`.

Messages and log lines never contain the API key, the HMAC secret or a full card key
(card keys travel only in request bodies, never in URLs).
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NoReturn
from urllib.parse import quote

import aiohttp
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential,
    wait_random,
)
from yarl import URL

from adapters.shop import wire
from adapters.shop.signing import HEADER_IDEMPOTENCY, signed_headers
from core.shop import (
    CardKeyInfo,
    Order,
    Recharge,
    ReissueResult,
    ShopError,
    ShopRejected,
    TicketPush,
)

log = logging.getLogger(__name__)

USER_AGENT = "kameng-support-bot/0.1 (+shop-api)"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard one call tries before giving up with :class:`ShopError`."""

    attempts: int = 3
    initial_backoff: float = 0.25  # seconds before the 2nd attempt; doubles after that
    max_backoff: float = 2.0
    jitter: float = 0.25  # up to this many random seconds added to each back-off
    # No new attempt starts once this much time has passed since the first one began.
    max_total_seconds: float = 20.0


class _Transient(ShopError):
    """A failure worth retrying now (timeout, connection error, 5xx)."""


@dataclass(frozen=True, slots=True)
class _Reply:
    status: int
    data: Any  # parsed JSON; None for a 404


class HttpShop:
    """Client of a real shop's API at ``base_url`` (e.g. ``https://shop.example/api/v1``)."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str,
        hmac_secret: str,
        timeout_seconds: float = 5.0,
        retry: RetryPolicy | None = None,
        status_aliases: wire.StatusAliases | None = None,
    ) -> None:
        url = URL(base_url.strip())
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"shop base URL {base_url!r} is not an http(s) URL with a host")
        if not api_key or not hmac_secret:
            raise ValueError("the shop API key and HMAC secret must not be empty")
        self._origin = str(url.origin())
        self._prefix = url.raw_path.rstrip("/")
        self._api_key = api_key
        self._secret = hmac_secret
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._timeout_seconds = timeout_seconds
        self._retry = retry or RetryPolicy()
        self._aliases = status_aliases
        self._session_obj: aiohttp.ClientSession | None = None

    def __repr__(self) -> str:  # never show the secrets
        return f"HttpShop({self._origin + self._prefix!r})"

    # --- ShopPort -------------------------------------------------------------------

    async def get_order(self, order_no: str) -> Order | None:
        number = order_no.strip()
        if not number:
            return None
        reply = await self._call("GET", f"/orders/{_seg(number)}", lookup=True)
        if reply.status == 404:
            return None
        return wire.parse_order(reply.data, "GET /orders reply", self._aliases)

    async def get_card(self, card_key: str) -> CardKeyInfo | None:
        key = card_key.strip()
        if not key:
            return None
        reply = await self._call("POST", "/cards/lookup", body={"card_key": key}, lookup=True)
        if reply.status == 404:
            return None
        return wire.parse_card(reply.data, "POST /cards/lookup reply", self._aliases)

    async def get_recharge(self, order_no: str) -> Recharge | None:
        number = order_no.strip()
        if not number:
            return None
        reply = await self._call("GET", f"/recharges/{_seg(number)}", lookup=True)
        if reply.status == 404:
            return None
        return wire.parse_recharge(reply.data, "GET /recharges reply", self._aliases)

    async def request_reissue(self, order_no: str, *, idempotency_key: str) -> ReissueResult:
        number = order_no.strip()
        if not idempotency_key:
            raise ValueError("idempotency_key must not be empty")
        reply = await self._call(
            "POST",
            f"/orders/{_seg(number)}/reissue",
            body={"order_no": number},
            idempotency_key=idempotency_key,
            lookup=True,
        )
        if reply.status == 404:
            return ReissueResult(False, "", f"the shop has no order {number}")
        return wire.parse_reissue(reply.data, "POST /orders/{order_no}/reissue reply")

    async def push_ticket(self, ticket: TicketPush, *, idempotency_key: str) -> str:
        if not idempotency_key:
            raise ValueError("idempotency_key must not be empty")
        if ticket.event == "created":
            path = "/tickets"
        else:
            path = f"/tickets/{_seg(ticket.ticket_no)}/events"
        reply = await self._call(
            "POST", path, body=wire.ticket_body(ticket), idempotency_key=idempotency_key
        )
        return wire.parse_ticket_reference(reply.data, f"POST {path} reply")

    async def open(self) -> None:
        """Nothing to prepare: the HTTP client connects on the first request."""

    async def close(self) -> None:
        session, self._session_obj = self._session_obj, None
        if session is not None and not session.closed:
            await session.close()

    # --- transport ------------------------------------------------------------------

    def _session(self) -> aiohttp.ClientSession:
        if self._session_obj is None or self._session_obj.closed:
            self._session_obj = aiohttp.ClientSession(
                headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            )
        return self._session_obj

    def _scrub(self, text: str) -> str:
        for secret in (self._api_key, self._secret):
            text = text.replace(secret, "***")
        return text

    async def _call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        idempotency_key: str = "",
        lookup: bool = False,
    ) -> _Reply:
        """One API call with retries; ``lookup`` lets a 404 through as ``_Reply(404, None)``."""
        raw = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
        label = f"{method} {path}"
        policy = self._retry
        retrying = AsyncRetrying(
            stop=stop_after_attempt(policy.attempts) | stop_after_delay(policy.max_total_seconds),
            wait=wait_exponential(multiplier=policy.initial_backoff, max=policy.max_backoff)
            + wait_random(0, policy.jitter),
            retry=retry_if_exception_type(_Transient),
            before_sleep=lambda state: self._log_retry(label, state),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._attempt(method, path, raw, idempotency_key, lookup)
        except _Transient as exc:
            attempts = retrying.statistics.get("attempt_number", policy.attempts)
            raise ShopError(
                self._scrub(f"shop {label} failed after {attempts} attempt(s): {exc}")
            ) from None
        raise AssertionError("unreachable: tenacity either returns or raises")

    def _log_retry(self, label: str, state: RetryCallState) -> None:
        outcome = state.outcome
        error = outcome.exception() if outcome is not None else None
        delay = state.next_action.sleep if state.next_action is not None else 0.0
        log.warning(
            "shop %s failed (%s), attempt %d of %d; retrying in %.2fs",
            label,
            self._scrub(str(error)),
            state.attempt_number,
            self._retry.attempts,
            delay,
        )

    async def _attempt(
        self, method: str, path: str, raw: bytes, idempotency_key: str, lookup: bool
    ) -> _Reply:
        target = self._prefix + path
        headers = signed_headers(
            api_key=self._api_key,
            secret=self._secret,
            timestamp=int(time.time()),
            method=method,
            path_with_query=target,
            body=raw,
        )
        if raw:
            headers["Content-Type"] = "application/json; charset=utf-8"
        if idempotency_key:
            headers[HEADER_IDEMPOTENCY] = idempotency_key
        label = f"{method} {path}"
        started = time.monotonic()
        try:
            async with self._session().request(
                method,
                URL(self._origin + target, encoded=True),
                data=raw or None,
                headers=headers,
                timeout=self._timeout,
                allow_redirects=False,
            ) as response:
                status = response.status
                payload = await response.read()
        except TimeoutError:
            raise _Transient(f"no reply within {self._timeout_seconds:g}s") from None
        except aiohttp.ClientError as exc:
            raise _Transient(self._scrub(f"{type(exc).__name__}: {exc}")[:300]) from None
        log.debug(
            "shop %s -> HTTP %d in %.0f ms", label, status, (time.monotonic() - started) * 1000
        )
        if 200 <= status < 300:
            return _Reply(status, self._decode(label, payload))
        if status == 404 and lookup:
            return _Reply(404, None)
        self._raise_for(label, status, payload)

    def _decode(self, label: str, payload: bytes) -> Any:
        try:
            return json.loads(payload.decode("utf-8"), parse_float=Decimal)
        except (UnicodeDecodeError, ValueError):
            raise wire.SchemaError(
                f"shop {label} replied with malformed JSON ({len(payload)} bytes)"
            ) from None

    def _raise_for(self, label: str, status: int, payload: bytes) -> NoReturn:
        try:
            detail = wire.parse_error(json.loads(payload.decode("utf-8")))
        except (UnicodeDecodeError, ValueError):
            detail = ""
        text = self._scrub(f"shop {label}: HTTP {status}" + (f" ({detail})" if detail else ""))
        if status >= 500:
            raise _Transient(f"HTTP {status}" + (f" ({self._scrub(detail)})" if detail else ""))
        if status in (408, 429):
            raise ShopError(text + "; try again later")
        if 300 <= status < 400:
            raise ShopError(text + "; unexpected redirect (check shop.base_url)")
        raise ShopRejected(text)


def _seg(value: str) -> str:
    """One percent-encoded path segment."""
    return quote(value, safe="")
