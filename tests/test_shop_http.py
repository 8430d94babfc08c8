"""The real HTTP shop client against the fake shop server (tests/fakes/shop_server.py):
signing, retries, idempotency, error mapping and secret hygiene."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from adapters.shop import HttpShop, RetryPolicy, create_shop
from core.config import ConfigError, ShopConfig
from core.masking import mask_card_key
from core.shop import (
    CardStatus,
    DeliveryType,
    OrderStatus,
    RechargeStatus,
    ShopError,
    ShopRejected,
    TicketPush,
)
from tests.fakes.shop_server import FakeShopServer

FAST = RetryPolicy(attempts=3, initial_backoff=0.001, max_backoff=0.005, jitter=0.001)
CARD = "K3VD-8WQ2-M7PX-5J9C"
ORDER = "DD2026112000001"
TOPUP = "DD2026112000018"


@pytest.fixture
async def server() -> AsyncIterator[FakeShopServer]:
    async with FakeShopServer() as fake:
        yield fake


def make_client(server: FakeShopServer, **overrides: Any) -> HttpShop:
    options: dict[str, Any] = {
        "api_key": server.api_key,
        "hmac_secret": server.hmac_secret,
        "timeout_seconds": 2.0,
        "retry": FAST,
    }
    options.update(overrides)
    return HttpShop(server.base_url, **options)


@pytest.fixture
async def client(server: FakeShopServer) -> AsyncIterator[HttpShop]:
    shop = make_client(server)
    yield shop
    await shop.close()


def ticket(event: str = "created", status: str = "open") -> TicketPush:
    return TicketPush(
        ticket_no="T-000042",
        event=event,
        status=status,
        category="recharge_missing",
        complexity="complex",
        user="discord:9001",
        summary="代充未到账",
        fields={"amount": Decimal("30.00"), "seen_at": datetime(2026, 11, 20, 3, 0)},
        order_no=TOPUP,
        occurred_at=datetime.fromisoformat("2026-11-20T11:30:00+08:00"),
    )


# --- happy paths ----------------------------------------------------------------------


async def test_get_order(client: HttpShop, server: FakeShopServer) -> None:
    order = await client.get_order(ORDER)
    assert order is not None
    assert order.status is OrderStatus.DELIVERED and order.delivery_type is DeliveryType.AUTO
    assert order.amount == Decimal("100.00") and isinstance(order.amount, Decimal)
    assert order.created_at.utcoffset() == timedelta(hours=8)
    assert order.card_key_masked == "K3VD*************9C" and order.card_valid_days == 180
    sent = server.requests[-1]
    assert (sent.method, sent.path) == ("GET", f"/api/v1/orders/{ORDER}")
    assert {"X-Api-Key", "X-Timestamp", "X-Signature"} <= set(sent.headers)
    assert server.request_count == 1


async def test_the_buyers_accounts_are_read_where_the_shop_records_them(
    client: HttpShop, server: FakeShopServer
) -> None:
    order = await client.get_order(ORDER)
    assert order is not None and order.buyers == ()  # absent: the shop cannot tell
    server.orders[ORDER]["buyer_ids"] = ["telegram:42", "discord:7"]
    order = await client.get_order(ORDER)
    assert order is not None and order.buyers == ("telegram:42", "discord:7")


async def test_card_lookup_sends_the_key_in_the_body(
    client: HttpShop, server: FakeShopServer
) -> None:
    card = await client.get_card(CARD.lower())
    assert card is not None and card.status is CardStatus.USED
    assert card.masked_key == "K3VD*************9C" and card.order_no == ORDER
    assert card.used_at is not None and card.used_at.tzinfo is not None
    sent = server.requests[-1]
    assert (sent.method, sent.path) == ("POST", "/api/v1/cards/lookup")
    assert CARD.lower() in sent.body.decode()


async def test_get_recharge(client: HttpShop) -> None:
    recharge = await client.get_recharge(TOPUP)
    assert recharge is not None and recharge.status is RechargeStatus.FAILED
    assert recharge.reissue_eligible and recharge.usual_minutes == 10
    assert recharge.failure_reason and recharge.account_masked == "82*****89"


async def test_not_found_is_none_without_retry(client: HttpShop, server: FakeShopServer) -> None:
    assert await client.get_order("DD2099010199999") is None
    assert await client.get_card("AAAA-BBBB-CCCC-DDDD") is None
    assert await client.get_recharge(ORDER) is None
    assert server.request_count == 3


async def test_path_segments_are_encoded_and_still_signed(
    client: HttpShop, server: FakeShopServer
) -> None:
    assert await client.get_order("DD 1/../2?x=1") is None  # 404, not 401
    assert server.requests[-1].path == "/api/v1/orders/DD%201%2F..%2F2%3Fx%3D1"


async def test_base_url_without_path_prefix() -> None:
    async with FakeShopServer(prefix="") as fake:
        shop = make_client(fake)
        try:
            assert await shop.get_order(ORDER) is not None
        finally:
            await shop.close()
        assert fake.requests[-1].path == f"/orders/{ORDER}"


async def test_reissue_executes_once_per_key(client: HttpShop, server: FakeShopServer) -> None:
    first = await client.request_reissue(TOPUP, idempotency_key="reissue:T-1")
    assert first.accepted and first.reference == "FAKE-R-000001"
    assert await client.request_reissue(TOPUP, idempotency_key="reissue:T-1") == first
    assert server.reissue_count == 1
    assert server.requests[-1].headers["Idempotency-Key"] == "reissue:T-1"

    other = await client.request_reissue(TOPUP, idempotency_key="reissue:T-2")
    assert not other.accepted and "already" in other.message
    assert server.reissue_count == 1
    recharge = await client.get_recharge(TOPUP)
    assert recharge is not None and recharge.status is RechargeStatus.PROCESSING


async def test_reissue_of_unknown_or_ineligible_order(client: HttpShop) -> None:
    unknown = await client.request_reissue("DD2099010199999", idempotency_key="k1")
    assert not unknown.accepted and "DD2099010199999" in unknown.message
    ineligible = await client.request_reissue("DD2026112000019", idempotency_key="k2")
    assert not ineligible.accepted and ineligible.message


async def test_ticket_pushes_are_idempotent(client: HttpShop, server: FakeShopServer) -> None:
    ref = await client.push_ticket(ticket(), idempotency_key="T-000042:created")
    assert ref == "SHOP-T-000001"
    assert await client.push_ticket(ticket(), idempotency_key="T-000042:created") == ref
    assert server.ticket_count == 1 and len(server.ticket_events) == 1
    assert server.requests[-1].path == "/api/v1/tickets"
    body = server.ticket_events[0]
    assert body["occurred_at"] == "2026-11-20T11:30:00+08:00"
    assert body["fields"]["amount"] == "30.00" and body["order_no"] == TOPUP

    update = ticket(event="closed", status="closed")
    assert await client.push_ticket(update, idempotency_key="T-000042:closed") == ref
    assert server.requests[-1].path == "/api/v1/tickets/T-000042/events"
    assert server.ticket_count == 1 and len(server.ticket_events) == 2
    assert server.tickets["T-000042"]["snapshot"]["status"] == "closed"


# --- retries and failures -------------------------------------------------------------


async def test_5xx_is_retried_then_succeeds(client: HttpShop, server: FakeShopServer) -> None:
    server.fail_next(2, status=503)
    assert await client.get_order(ORDER) is not None
    assert server.request_count == 3


async def test_retried_push_files_one_ticket(client: HttpShop, server: FakeShopServer) -> None:
    server.fail_next(1, status=500)
    assert await client.push_ticket(ticket(), idempotency_key="k") == "SHOP-T-000001"
    assert server.request_count == 2 and server.ticket_count == 1
    keys = {r.headers["Idempotency-Key"] for r in server.requests}
    assert keys == {"k"}


async def test_5xx_exhausted_is_shop_error(client: HttpShop, server: FakeShopServer) -> None:
    server.fail_next(5, status=500)
    with pytest.raises(ShopError) as caught:
        await client.get_order(ORDER)
    assert not isinstance(caught.value, ShopRejected)
    assert "3 attempt" in str(caught.value) and "HTTP 500" in str(caught.value)
    assert server.request_count == 3


@pytest.mark.parametrize("status", [400, 403, 409, 422])
async def test_4xx_is_rejected_without_retry(
    client: HttpShop, server: FakeShopServer, status: int
) -> None:
    server.fail_next(1, status=status)
    with pytest.raises(ShopRejected, match=f"HTTP {status}"):
        await client.push_ticket(ticket(), idempotency_key="k")
    assert server.request_count == 1 and server.ticket_count == 0


async def test_429_is_a_temporary_error_not_retried_now(
    client: HttpShop, server: FakeShopServer
) -> None:
    server.fail_next(1, status=429)
    with pytest.raises(ShopError) as caught:
        await client.get_order(ORDER)
    assert not isinstance(caught.value, ShopRejected)
    assert server.request_count == 1


async def test_timeout_is_shop_error(server: FakeShopServer) -> None:
    server.slow_seconds = 5
    shop = make_client(
        server,
        timeout_seconds=0.2,
        retry=RetryPolicy(attempts=2, initial_backoff=0.001, max_backoff=0.001, jitter=0),
    )
    try:
        with pytest.raises(ShopError, match="no reply within") as caught:
            await shop.get_order(ORDER)
    finally:
        await shop.close()
    assert not isinstance(caught.value, ShopRejected)
    assert server.request_count == 2


@pytest.mark.parametrize("kind", ["json", "shape"])
async def test_malformed_reply_is_shop_error(
    client: HttpShop, server: FakeShopServer, kind: str
) -> None:
    server.malformed_next(1, kind)
    with pytest.raises(ShopError) as caught:
        await client.get_order(ORDER)
    assert not isinstance(caught.value, ShopRejected)
    assert server.request_count == 1
    assert await client.get_order(ORDER) is not None  # the next reply is fine again


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("created_at", "2026-11-20T10:00:00", "offset"),
        ("created_at", "yesterday", "ISO 8601"),
        ("amount", "1e3", "decimal"),
        ("amount", [12], "decimal"),
        ("amount", True, "decimal"),
        ("amount", "-5.00", "negative"),
        ("status", "SHIPPED", "unknown order status"),
        ("quantity", "2", "integer"),
        ("reissue_eligible", "yes", "true or false"),
        ("product", None, "non-empty string"),
    ],
)
async def test_schema_mismatch_is_shop_error(
    client: HttpShop, server: FakeShopServer, field: str, value: Any, problem: str
) -> None:
    server.orders[ORDER][field] = value
    with pytest.raises(ShopError, match=problem):
        await client.get_order(ORDER)


async def test_json_number_amount_is_read_exactly(client: HttpShop, server: FakeShopServer) -> None:
    server.orders[ORDER]["amount"] = 19.9  # a JSON number: accepted, never a binary float
    order = await client.get_order(ORDER)
    assert order is not None and order.amount == Decimal("19.9")


async def test_missing_field_is_shop_error(client: HttpShop, server: FakeShopServer) -> None:
    del server.recharges[TOPUP]["submitted_at"]
    with pytest.raises(ShopError, match="submitted_at"):
        await client.get_recharge(TOPUP)


async def test_status_aliases_map_a_shops_own_words(server: FakeShopServer) -> None:
    server.orders[ORDER]["status"] = "SHIPPED"
    shop = make_client(server, status_aliases={"order": {"SHIPPED": "delivered"}})
    try:
        order = await shop.get_order(ORDER)
    finally:
        await shop.close()
    assert order is not None and order.status is OrderStatus.DELIVERED


async def test_a_full_key_from_the_shop_is_masked(client: HttpShop, server: FakeShopServer) -> None:
    server.cards["K3VD8WQ2M7PX5J9C"]["masked_key"] = CARD  # a careless shop
    card = await client.get_card(CARD)
    assert card is not None and card.masked_key == mask_card_key(CARD)


async def test_shop_down_is_shop_error_and_recovers(
    client: HttpShop, server: FakeShopServer
) -> None:
    assert await client.get_order(ORDER) is not None  # a pooled connection exists
    await server.set_down(True)
    with pytest.raises(ShopError) as caught:
        await client.get_order(ORDER)
    assert not isinstance(caught.value, ShopRejected)
    assert "3 attempt" in str(caught.value)
    assert server.request_count == 1
    await server.set_down(False)
    assert await client.get_order(ORDER) is not None


@pytest.mark.parametrize("wrong", ["hmac_secret", "api_key"])
async def test_wrong_credentials_are_rejected_by_the_fake(
    server: FakeShopServer, wrong: str
) -> None:
    shop = make_client(server, **{wrong: "not-the-right-one"})
    try:
        with pytest.raises(ShopRejected, match="HTTP 401"):
            await shop.get_order(ORDER)
    finally:
        await shop.close()
    assert server.request_count == 1


async def test_close_is_idempotent_and_the_client_reopens(client: HttpShop) -> None:
    await client.close()
    await client.close()
    assert await client.get_order(ORDER) is not None


async def test_no_secret_or_card_key_in_logs_or_errors(
    server: FakeShopServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    shop = make_client(server, timeout_seconds=0.2)
    wrong = make_client(server, hmac_secret="wrong-secret-77")
    texts.append(repr(shop))
    try:
        assert await shop.get_card(CARD) is not None
        assert await shop.get_card("ZZZZ-9999-YYYY-8888") is None
        attempts: list[tuple[HttpShop, Any]] = [
            (shop, lambda: server.fail_next(3, 500)),
            (shop, lambda: server.malformed_next(1, "json")),
            (shop, lambda: server.fail_next(1, 400)),
            (wrong, lambda: None),
        ]
        for target, arrange in attempts:
            arrange()
            with pytest.raises(ShopError) as caught:
                await target.get_card(CARD)
            texts.append(str(caught.value))
        server.slow_seconds = 2
        with pytest.raises(ShopError) as caught:
            await shop.get_card(CARD)
        texts.append(str(caught.value))
    finally:
        await shop.close()
        await wrong.close()
    texts += [record.getMessage() for record in caplog.records]
    assert any("retrying" in text for text in texts)  # the retries were logged
    everything = "\n".join(texts)
    for secret in (
        server.api_key,
        server.hmac_secret,
        "wrong-secret-77",
        CARD,
        "K3VD8WQ2M7PX5J9C",
        "ZZZZ-9999-YYYY-8888",
    ):
        assert secret not in everything


# --- factory --------------------------------------------------------------------------


def test_factory_builds_the_http_shop(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MY_SHOP_KEY", "k-123")
    monkeypatch.setenv("MY_SHOP_SECRET", "s-456")
    config = ShopConfig(
        backend="http",
        base_url="https://shop.example.com/api/v1",
        api_key_env="MY_SHOP_KEY",
        hmac_secret_env="MY_SHOP_SECRET",
    )
    shop = create_shop(config, data_dir=tmp_path)
    assert isinstance(shop, HttpShop)
    assert "k-123" not in repr(shop) and "s-456" not in repr(shop)


def test_factory_names_the_missing_secret(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SHOP_API_KEY", "k-123")
    monkeypatch.delenv("SHOP_HMAC_SECRET", raising=False)
    config = ShopConfig(backend="http", base_url="https://shop.example.com")
    with pytest.raises(ConfigError, match="SHOP_HMAC_SECRET"):
        create_shop(config, data_dir=tmp_path)


@pytest.mark.parametrize("base_url", ["", "ftp://shop.example.com", "shop.example.com"])
def test_factory_rejects_a_bad_base_url(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, base_url: str
) -> None:
    monkeypatch.setenv("SHOP_API_KEY", "k-123")
    monkeypatch.setenv("SHOP_HMAC_SECRET", "s-456")
    with pytest.raises(ConfigError, match=r"shop\.base_url"):
        create_shop(ShopConfig(backend="http", base_url=base_url), data_dir=tmp_path)


def test_the_spec_documents_what_the_client_calls() -> None:
    spec = (Path(__file__).parents[1] / "adapters" / "shop" / "openapi.yaml").read_text("utf-8")
    assert spec.startswith("openapi: 3.")
    for path in (
        "/orders/{order_no}:",
        "/cards/lookup:",
        "/recharges/{order_no}:",
        "/orders/{order_no}/reissue:",
        "/tickets:",
        "/tickets/{ticket_no}/events:",
    ):
        assert f"\n  {path}\n" in spec
    for header in ("X-Api-Key", "X-Timestamp", "X-Signature", "Idempotency-Key"):
        assert header in spec
