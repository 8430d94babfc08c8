"""A fake shop implementing ``adapters/shop/openapi.yaml`` on 127.0.0.1, for the real client.

It checks the API key and the HMAC signature itself (an independent implementation of the
spec, so a signing bug in the client shows up as a 401), honours ``Idempotency-Key`` (same
key → same response, nothing done twice), keeps its data in plain dicts of JSON, and has
switches for failure tests::

    async with FakeShopServer() as shop:
        client = HttpShop(shop.base_url, api_key=shop.api_key, hmac_secret=shop.hmac_secret)
        shop.fail_next(2, status=503)   # the next 2 requests answer 503
        shop.malformed_next(1)          # the next reply is invalid JSON ("shape": wrong shape)
        shop.slow_seconds = 1.0         # every reply waits this long first
        await shop.set_down(True)       # stop listening: connection refused
        shop.request_count, shop.ticket_count, shop.reissue_count
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from aiohttp import web

Handler = Any  # aiohttp's middleware handler type is awkward to spell; kept loose on purpose


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


def _norm_key(key: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", key).upper()


def _error(status: int, code: str, message: str = "") -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


def sample_data() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Orders, card keys (by normalised key) and recharges the fake starts with."""
    orders = {
        "DD2026112000001": {
            "order_no": "DD2026112000001",
            "status": "delivered",
            "delivery_type": "auto",
            "product": "Steam 充值卡 100元",
            "amount": "100.00",
            "currency": "CNY",
            "quantity": 1,
            "created_at": "2026-11-20T10:00:00+08:00",
            "paid_at": "2026-11-20T10:00:30+08:00",
            "delivered_at": "2026-11-20T10:01:00+08:00",
            "card_key_masked": "K3VD*************9C",
            "card_valid_days": 180,
            "reissue_eligible": False,
            "bulk": False,
        },
        "DD2026112000018": {
            "order_no": "DD2026112000018",
            "status": "failed",
            "delivery_type": "manual_topup",
            "product": "原神 空月祝福 代充",
            "amount": "30.00",
            "created_at": "2026-11-20T11:00:00+08:00",
            "paid_at": "2026-11-20T11:00:10+08:00",
            "delivered_at": None,
            "reissue_eligible": True,
        },
        "DD2026112000019": {
            "order_no": "DD2026112000019",
            "status": "failed",
            "delivery_type": "manual_topup",
            "product": "和平精英 UC 1800 代充",
            "amount": "160.00",
            "created_at": "2026-11-20T12:00:00+08:00",
            "reissue_eligible": False,
        },
    }
    cards = {
        _norm_key("K3VD-8WQ2-M7PX-5J9C"): {
            "masked_key": "K3VD*************9C",
            "status": "used",
            "product": "Steam 充值卡 100元",
            "order_no": "DD2026112000001",
            "used_at": "2026-11-21T09:00:00+08:00",
            "expires_at": "2027-05-19T10:01:00+08:00",
        },
    }
    recharges = {
        "DD2026112000018": {
            "order_no": "DD2026112000018",
            "status": "failed",
            "product": "原神 空月祝福 代充",
            "account_masked": "82*****89",
            "submitted_at": "2026-11-20T11:00:20+08:00",
            "completed_at": "2026-11-20T11:15:00+08:00",
            "usual_minutes": 10,
            "failure_reason": "充值渠道接口超时",
            "reissue_eligible": True,
        },
    }
    return orders, cards, recharges


class FakeShopServer:
    def __init__(
        self,
        *,
        api_key: str = "test-api-key-5f1c",
        hmac_secret: str = "test-hmac-secret-9a7e",
        prefix: str = "/api/v1",
    ) -> None:
        self.api_key = api_key
        self.hmac_secret = hmac_secret
        self.prefix = prefix
        self.orders, self.cards, self.recharges = sample_data()
        self.tickets: dict[str, dict[str, Any]] = {}  # ticket_no → {"reference", "snapshot"}
        self.ticket_events: list[dict[str, Any]] = []  # every executed (non-replayed) push
        self.reissues: list[str] = []  # order numbers actually reissued
        self.requests: list[ReceivedRequest] = []
        self.slow_seconds = 0.0
        self._fail: list[int] = []
        self._malformed: list[str] = []
        self._idempotent: dict[str, tuple[str, int, Any]] = {}
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()
        self.port = 0

    # --- switches and counters --------------------------------------------------------

    def fail_next(self, n: int, status: int = 500) -> None:
        self._fail.extend([status] * n)

    def malformed_next(self, n: int, kind: str = "json") -> None:
        """The next ``n`` successful replies are broken: ``json`` (not JSON) or ``shape``."""
        if kind not in ("json", "shape"):
            raise ValueError(kind)
        self._malformed.extend([kind] * n)

    @property
    def request_count(self) -> int:
        return len(self.requests)

    @property
    def ticket_count(self) -> int:
        return len(self.tickets)

    @property
    def reissue_count(self) -> int:
        return len(self.reissues)

    @property
    def down(self) -> bool:
        return self._runner is None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.prefix}"

    # --- lifecycle --------------------------------------------------------------------

    def _app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware])
        p = self.prefix
        app.router.add_get(p + "/orders/{order_no}", self._get_order)
        app.router.add_post(p + "/cards/lookup", self._lookup_card)
        app.router.add_get(p + "/recharges/{order_no}", self._get_recharge)
        app.router.add_post(p + "/orders/{order_no}/reissue", self._reissue)
        app.router.add_post(p + "/tickets", self._create_ticket)
        app.router.add_post(p + "/tickets/{ticket_no}/events", self._ticket_event)
        return app

    async def start(self) -> None:
        self._closing.clear()
        runner = web.AppRunner(self._app(), shutdown_timeout=0.2, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", self.port)
        await site.start()
        self.port = runner.addresses[0][1]
        self._runner = runner

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            self._closing.set()  # wake handlers sleeping in slow mode
            await runner.cleanup()

    async def set_down(self, down: bool) -> None:
        """Stop listening (connections refused) or listen again on the same port."""
        if down and self._runner is not None:
            await self.stop()
        elif not down and self._runner is None:
            await self.start()

    async def __aenter__(self) -> FakeShopServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # --- cross-cutting: record, slow, failures, auth, malformed ---------------------------

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        body = await request.read()
        self.requests.append(
            ReceivedRequest(request.method, request.raw_path, dict(request.headers), body)
        )
        if self.slow_seconds > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), timeout=self.slow_seconds)
        if self._fail:
            return _error(self._fail.pop(0), "injected_failure", "injected by the test")
        if not self._authorised(request, body):
            return _error(401, "unauthorized", "bad api key or signature")
        response: web.StreamResponse = await handler(request)
        if self._malformed and 200 <= response.status < 300:
            if self._malformed.pop(0) == "json":
                return web.Response(text='{"order_no": "DD20', content_type="application/json")
            return web.json_response([{"unexpected": "shape"}])
        return response

    def _authorised(self, request: web.Request, body: bytes) -> bool:
        if not hmac.compare_digest(request.headers.get("X-Api-Key", ""), self.api_key):
            return False
        ts = request.headers.get("X-Timestamp", "")
        if not ts.isdigit() or abs(time.time() - int(ts)) > 300:
            return False
        canonical = "\n".join(
            [ts, request.method, request.raw_path, hashlib.sha256(body).hexdigest()]
        )
        expected = hmac.new(
            self.hmac_secret.encode(), canonical.encode(), hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(request.headers.get("X-Signature", ""), expected)

    async def _once(self, request: web.Request, run: Any) -> web.Response:
        """Run ``run()`` once per Idempotency-Key; repeats get the stored response."""
        key = request.headers.get("Idempotency-Key", "")
        if not key:
            return _error(400, "idempotency_key_required", "Idempotency-Key header missing")
        fingerprint = hashlib.sha256(
            request.method.encode() + request.raw_path.encode() + await request.read()
        ).hexdigest()
        if key in self._idempotent:
            seen, status, payload = self._idempotent[key]
            if seen != fingerprint:
                return _error(409, "idempotency_key_reused", "key used for another request")
            return web.json_response(payload, status=status)
        status, payload = run()
        self._idempotent[key] = (fingerprint, status, payload)
        return web.json_response(payload, status=status)

    # --- endpoints --------------------------------------------------------------------

    async def _get_order(self, request: web.Request) -> web.Response:
        order = self.orders.get(request.match_info["order_no"])
        return web.json_response(order) if order else _error(404, "not_found", "no such order")

    async def _lookup_card(self, request: web.Request) -> web.Response:
        try:
            data = json.loads(await request.read())
        except ValueError:
            return _error(400, "bad_json")
        if not isinstance(data, dict) or not isinstance(data.get("card_key"), str):
            return _error(422, "card_key_required", 'body must be {"card_key": "…"}')
        card = self.cards.get(_norm_key(data["card_key"]))
        return web.json_response(card) if card else _error(404, "not_found", "unknown card key")

    async def _get_recharge(self, request: web.Request) -> web.Response:
        recharge = self.recharges.get(request.match_info["order_no"])
        if recharge is None:
            return _error(404, "not_found", "no such top-up")
        return web.json_response(recharge)

    async def _reissue(self, request: web.Request) -> web.Response:
        order_no = request.match_info["order_no"]

        def run() -> tuple[int, Any]:
            order = self.orders.get(order_no)
            if order is None:
                return 404, {"error": {"code": "not_found", "message": "no such order"}}
            if order_no in self.reissues:
                return 200, {"accepted": False, "message": "already reissued once"}
            if not order.get("reissue_eligible"):
                return 200, {"accepted": False, "message": "not eligible for express reissue"}
            self.reissues.append(order_no)
            order.update(status="processing", reissue_eligible=False)
            if order_no in self.recharges:
                self.recharges[order_no].update(status="processing", reissue_eligible=False)
            reference = f"FAKE-R-{len(self.reissues):06d}"
            return 200, {"accepted": True, "reference": reference, "message": "resubmitted"}

        return await self._once(request, run)

    def _store_ticket(self, snapshot: Any, ticket_no: str | None) -> tuple[int, Any]:
        required = ("ticket_no", "event", "status", "category", "complexity", "user", "summary")
        if not isinstance(snapshot, dict) or any(k not in snapshot for k in required):
            return 422, {"error": {"code": "invalid_ticket", "message": "missing fields"}}
        number = ticket_no or snapshot["ticket_no"]
        entry = self.tickets.get(number)
        if entry is None:
            entry = {"reference": f"SHOP-T-{len(self.tickets) + 1:06d}"}
            self.tickets[number] = entry
        entry["snapshot"] = snapshot
        self.ticket_events.append(snapshot)
        return (201 if ticket_no is None else 200), {"reference": entry["reference"]}

    async def _create_ticket(self, request: web.Request) -> web.Response:
        snapshot = json.loads(await request.read())
        return await self._once(request, lambda: self._store_ticket(snapshot, None))

    async def _ticket_event(self, request: web.Request) -> web.Response:
        snapshot = json.loads(await request.read())
        number = request.match_info["ticket_no"]
        return await self._once(request, lambda: self._store_ticket(snapshot, number))
