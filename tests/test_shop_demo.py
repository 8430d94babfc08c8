"""The embedded demo shop: every status reachable, stable data, idempotent reissues and
ticket pushes, masked card keys."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.shop import DEMO_CARD_KEYS, DEMO_ORDER_NOS, DemoShop, create_shop, describe
from adapters.shop.demo import normalize_card_key, reissued_card_key
from core.clock import FakeClock
from core.config import ShopConfig
from core.masking import mask_card_key
from core.shop import (
    CardStatus,
    DeliveryType,
    OrderStatus,
    RechargeStatus,
    TicketPush,
)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "demo_shop.db"


@pytest.fixture
async def shop(db_path: Path, clock: FakeClock) -> AsyncIterator[DemoShop]:
    demo = DemoShop(db_path, clock=clock)
    yield demo
    await demo.close()


def ticket(no: str = "T-000001", event: str = "created", status: str = "open") -> TicketPush:
    return TicketPush(
        ticket_no=no,
        event=event,
        status=status,
        category="card_invalid",
        complexity="simple",
        user="telegram:555",
        summary="卡密提示已使用",
        fields={"order_no": DEMO_ORDER_NOS["delivered_card_used"]},
        order_no=DEMO_ORDER_NOS["delivered_card_used"],
    )


# --- seed data -------------------------------------------------------------------------


async def test_every_order_status_exists_for_both_delivery_types(shop: DemoShop) -> None:
    seen: set[tuple[OrderStatus, DeliveryType]] = set()
    for order_no in DEMO_ORDER_NOS.values():
        order = await shop.get_order(order_no)
        assert order is not None and order.order_no == order_no
        seen.add((order.status, order.delivery_type))
    assert seen == {(s, d) for s in OrderStatus for d in DeliveryType}


def test_demo_names_and_number_formats() -> None:
    assert all(re.fullmatch(r"DD\d{8}\d{5}", no) for no in DEMO_ORDER_NOS.values())
    assert len(set(DEMO_ORDER_NOS.values())) == len(DEMO_ORDER_NOS)
    for name in (
        "delivered_card",
        "failed_topup_eligible",
        "processing_topup",
        "abnormal",
        "refunded",
        "pending",
        "expired",
        "paid",
        "bulk",
    ):
        assert name in DEMO_ORDER_NOS
    assert set(DEMO_CARD_KEYS) == {s.value for s in CardStatus}
    assert all(
        re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", key) for key in DEMO_CARD_KEYS.values()
    )
    listed = {value for _, value, _ in describe()}
    assert set(DEMO_ORDER_NOS.values()) | set(DEMO_CARD_KEYS.values()) <= listed


async def test_names_match_statuses(shop: DemoShop) -> None:
    expected = {
        "delivered_card": OrderStatus.DELIVERED,
        "paid": OrderStatus.PAID,
        "pending": OrderStatus.PENDING,
        "abnormal": OrderStatus.ABNORMAL,
        "expired": OrderStatus.EXPIRED,
        "refunded": OrderStatus.REFUNDED,
        "processing_topup": OrderStatus.PROCESSING,
        "failed_topup_eligible": OrderStatus.FAILED,
    }
    for name, status in expected.items():
        order = await shop.get_order(DEMO_ORDER_NOS[name])
        assert order is not None and order.status is status, name


async def test_every_card_status_with_its_times(shop: DemoShop, clock: FakeClock) -> None:
    now = clock.now()
    for status_name, key in DEMO_CARD_KEYS.items():
        card = await shop.get_card(key)
        assert card is not None and card.status.value == status_name
        assert card.order_no in DEMO_ORDER_NOS.values()
    used = await shop.get_card(DEMO_CARD_KEYS["used"])
    expired = await shop.get_card(DEMO_CARD_KEYS["expired"])
    unused = await shop.get_card(DEMO_CARD_KEYS["unused"])
    assert used is not None and used.used_at is not None and used.used_at < now
    assert expired is not None and expired.expires_at is not None and expired.expires_at < now
    assert unused is not None and unused.used_at is None
    assert unused.expires_at is not None and unused.expires_at > now


async def test_every_recharge_status(shop: DemoShop, clock: FakeClock) -> None:
    statuses = set()
    for order_no in DEMO_ORDER_NOS.values():
        order = await shop.get_order(order_no)
        recharge = await shop.get_recharge(order_no)
        assert order is not None
        assert (recharge is not None) == (order.delivery_type is DeliveryType.MANUAL_TOPUP)
        if recharge is not None:
            statuses.add(recharge.status)
            assert "*" in recharge.account_masked
    assert statuses == set(RechargeStatus)

    processing = await shop.get_recharge(DEMO_ORDER_NOS["processing_topup"])
    assert processing is not None and processing.status is RechargeStatus.PROCESSING
    assert processing.submitted_at == clock.now() - timedelta(minutes=5)
    assert processing.usual_minutes == 10
    failed = await shop.get_recharge(DEMO_ORDER_NOS["failed_topup_eligible"])
    assert failed is not None and failed.status is RechargeStatus.FAILED
    assert failed.failure_reason and failed.reissue_eligible
    not_eligible = await shop.get_recharge(DEMO_ORDER_NOS["failed_topup"])
    assert not_eligible is not None and not not_eligible.reissue_eligible
    assert not_eligible.failure_reason


async def test_bulk_and_reissue_flags(shop: DemoShop) -> None:
    bulk = [o for n in DEMO_ORDER_NOS.values() if (o := await shop.get_order(n)) and o.bulk]
    assert len(bulk) >= 2 and all(o.quantity > 1 for o in bulk)
    eligible = {
        name
        for name, no in DEMO_ORDER_NOS.items()
        if (o := await shop.get_order(no)) and o.reissue_eligible
    }
    assert eligible == {"failed_topup_eligible", "failed_card_eligible"}


async def test_unknown_lookups_return_none(shop: DemoShop) -> None:
    assert await shop.get_order("DD2099010199999") is None
    assert await shop.get_order("") is None
    assert await shop.get_card("AAAA-BBBB-CCCC-DDDD") is None
    assert await shop.get_card("---") is None
    assert await shop.get_recharge("DD2099010199999") is None


async def test_times_stay_relative_to_the_clock(shop: DemoShop, clock: FakeClock) -> None:
    clock.advance(timedelta(days=3))
    recharge = await shop.get_recharge(DEMO_ORDER_NOS["processing_topup"])
    assert recharge is not None
    assert clock.now() - recharge.submitted_at == timedelta(minutes=5)


async def test_data_is_stable_across_reopen(db_path: Path, clock: FakeClock) -> None:
    first = DemoShop(db_path, clock=clock)
    before = [await first.get_order(no) for no in DEMO_ORDER_NOS.values()]
    cards_before = [await first.get_card(key) for key in DEMO_CARD_KEYS.values()]
    await first.close()
    second = DemoShop(db_path, clock=clock)
    after = [await second.get_order(no) for no in DEMO_ORDER_NOS.values()]
    cards_after = [await second.get_card(key) for key in DEMO_CARD_KEYS.values()]
    await second.close()
    assert before == after and cards_before == cards_after


# --- card keys ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "XH7K-9P2M-4Q8R-1T6W",
        "xh7k9p2m4q8r1t6w",
        " XH7K 9P2M 4Q8R 1T6W ",
        "ｘｈ７ｋ－９ｐ２ｍ－４ｑ８ｒ－１ｔ６ｗ",  # full-width, as some IMEs type it
    ],
)
async def test_card_lookup_ignores_case_spaces_and_dashes(shop: DemoShop, typed: str) -> None:
    card = await shop.get_card(typed)
    assert card is not None and card.status is CardStatus.UNUSED


async def test_partial_or_masked_key_is_not_found(shop: DemoShop) -> None:
    key = DEMO_CARD_KEYS["unused"]
    assert await shop.get_card(key[:-2]) is None
    assert await shop.get_card(mask_card_key(key)) is None


async def test_card_keys_are_masked_everywhere(shop: DemoShop) -> None:
    shown: list[str] = []
    for key in DEMO_CARD_KEYS.values():
        card = await shop.get_card(key)
        assert card is not None and card.masked_key == mask_card_key(key)
        shown.append(repr(card))
    for order_no in DEMO_ORDER_NOS.values():
        order = await shop.get_order(order_no)
        assert order is not None
        if order.card_key_masked:
            visible = order.card_key_masked.replace("*", "")
            assert len(visible) <= 6
        shown.append(repr(order))
    text = "\n".join(shown)
    for key in DEMO_CARD_KEYS.values():
        assert key not in text and normalize_card_key(key) not in text


# --- reissue --------------------------------------------------------------------------


async def test_topup_reissue_once_per_key_and_once_per_order(
    shop: DemoShop, clock: FakeClock
) -> None:
    order_no = DEMO_ORDER_NOS["failed_topup_eligible"]
    first = await shop.request_reissue(order_no, idempotency_key="reissue-1")
    assert first.accepted and re.fullmatch(r"SHOP-R-\d{6}", first.reference)
    assert await shop.request_reissue(order_no, idempotency_key="reissue-1") == first

    second = await shop.request_reissue(order_no, idempotency_key="reissue-2")
    assert not second.accepted and second.reference == ""
    assert first.reference in second.message and "已补发过" in second.message

    order = await shop.get_order(order_no)
    recharge = await shop.get_recharge(order_no)
    assert order is not None and order.status is OrderStatus.PROCESSING
    assert not order.reissue_eligible
    assert recharge is not None and recharge.status is RechargeStatus.PROCESSING
    assert recharge.submitted_at == clock.now() and recharge.failure_reason == ""


async def test_card_reissue_delivers_a_new_key(shop: DemoShop) -> None:
    order_no = DEMO_ORDER_NOS["failed_card_eligible"]
    result = await shop.request_reissue(order_no, idempotency_key="card-1")
    assert result.accepted
    new_key = reissued_card_key(order_no)
    assert new_key not in result.message
    order = await shop.get_order(order_no)
    assert order is not None and order.status is OrderStatus.DELIVERED
    assert order.card_key_masked == mask_card_key(new_key) and order.delivered_at is not None
    card = await shop.get_card(new_key)
    assert card is not None and card.status is CardStatus.UNUSED and card.order_no == order_no


@pytest.mark.parametrize(
    "name", ["failed_topup", "delivered_card", "processing_topup", "refunded", "pending"]
)
async def test_reissue_refused_for_ineligible_orders(shop: DemoShop, name: str) -> None:
    order_no = DEMO_ORDER_NOS[name]
    before = await shop.get_order(order_no)
    result = await shop.request_reissue(order_no, idempotency_key=f"k-{name}")
    assert not result.accepted and result.message
    assert await shop.get_order(order_no) == before


async def test_reissue_of_unknown_order(shop: DemoShop) -> None:
    result = await shop.request_reissue("DD2099010199999", idempotency_key="k")
    assert not result.accepted and "DD2099010199999" in result.message


async def test_concurrent_reissues_execute_once(shop: DemoShop) -> None:
    order_no = DEMO_ORDER_NOS["failed_topup_eligible"]
    same = await asyncio.gather(
        *(shop.request_reissue(order_no, idempotency_key="same") for _ in range(5))
    )
    assert len(set(same)) == 1 and same[0].accepted
    others = await asyncio.gather(
        *(shop.request_reissue(order_no, idempotency_key=f"other-{i}") for i in range(5))
    )
    assert not any(r.accepted for r in others)


async def test_reissue_is_remembered_across_reopen(db_path: Path, clock: FakeClock) -> None:
    order_no = DEMO_ORDER_NOS["failed_topup_eligible"]
    first_shop = DemoShop(db_path, clock=clock)
    first = await first_shop.request_reissue(order_no, idempotency_key="persist")
    await first_shop.close()
    reopened = DemoShop(db_path, clock=clock)
    try:
        assert await reopened.request_reissue(order_no, idempotency_key="persist") == first
        again = await reopened.request_reissue(order_no, idempotency_key="persist-2")
        assert not again.accepted
        order = await reopened.get_order(order_no)
        assert order is not None and order.status is OrderStatus.PROCESSING
    finally:
        await reopened.close()


# --- tickets --------------------------------------------------------------------------


async def test_push_ticket_is_idempotent_per_key(shop: DemoShop) -> None:
    ref = await shop.push_ticket(ticket(), idempotency_key="T-000001:created")
    assert ref == "SHOP-T-000001"
    assert await shop.push_ticket(ticket(), idempotency_key="T-000001:created") == ref
    assert await shop.count_ticket_events() == 1

    update = ticket(event="updated", status="in_progress")
    assert await shop.push_ticket(update, idempotency_key="T-000001:updated:1") == ref
    assert await shop.count_ticket_events() == 2

    other = await shop.push_ticket(ticket("T-000002"), idempotency_key="T-000002:created")
    assert other == "SHOP-T-000002"


async def test_concurrent_pushes_with_one_key_store_one_row(shop: DemoShop) -> None:
    refs = await asyncio.gather(
        *(shop.push_ticket(ticket(), idempotency_key="dup") for _ in range(5))
    )
    assert set(refs) == {"SHOP-T-000001"}
    assert await shop.count_ticket_events() == 1


async def test_ticket_references_survive_reopen(db_path: Path, clock: FakeClock) -> None:
    first = DemoShop(db_path, clock=clock)
    ref = await first.push_ticket(ticket(), idempotency_key="k1")
    await first.close()
    second = DemoShop(db_path, clock=clock)
    try:
        assert await second.push_ticket(ticket(), idempotency_key="k1") == ref
        assert await second.count_ticket_events() == 1
    finally:
        await second.close()


# --- factory --------------------------------------------------------------------------


async def test_factory_builds_the_demo_shop(tmp_path: Path) -> None:
    shop = create_shop(ShopConfig(backend="demo"), data_dir=tmp_path)
    assert isinstance(shop, DemoShop) and shop.path == tmp_path / "demo_shop.db"
    try:
        assert await shop.get_order(DEMO_ORDER_NOS["paid"]) is not None
    finally:
        await shop.close()
    assert (tmp_path / "demo_shop.db").is_file()


async def test_the_app_opens_the_demo_shop_at_start_up(tmp_path: Path) -> None:
    """Creating and seeding the file must not happen inside the first buyer's lookup, which
    runs in a bot event holding the bot's database lock."""
    import sqlite3

    from adapters.shop.factory import DEMO_DB_NAME
    from bots.app import build_app
    from tests.conftest import make_config

    config = make_config(
        f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", shop={"demo_data_dir": str(tmp_path)}
    )
    app = await build_app(config)
    try:
        with sqlite3.connect(tmp_path / DEMO_DB_NAME) as shop_file:  # seeded before any lookup
            (orders,) = shop_file.execute("SELECT count(*) FROM demo_orders").fetchone()
        assert orders == len(DEMO_ORDER_NOS)
        assert await app.services.shop.get_order(DEMO_ORDER_NOS["delivered_card"]) is not None
    finally:
        await app.close()
