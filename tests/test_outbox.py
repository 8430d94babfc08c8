"""Tickets reach the shop exactly once, whatever the shop does: the transactional outbox
with the real HTTP client against the fake shop server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bots.app import App
from core.clock import FakeClock
from core.outbox import KIND_TICKET_PUSH, _push_from
from core.storage.tables import OutboxRow, TicketRow
from tests.conftest import AppFactory
from tests.fakes.shop_server import FakeShopServer
from tests.helpers import event, texts

ORDER = "DD2026112000001"  # a delivered Steam card order in the fake shop


@pytest.fixture
async def shop_server() -> AsyncIterator[FakeShopServer]:
    async with FakeShopServer() as server:
        yield server


@pytest.fixture
async def http_app(
    app_factory: AppFactory, shop_server: FakeShopServer, monkeypatch: pytest.MonkeyPatch
) -> App:
    monkeypatch.setenv("KAMENG_TEST_SHOP_KEY", shop_server.api_key)
    monkeypatch.setenv("KAMENG_TEST_SHOP_SECRET", shop_server.hmac_secret)
    app: App = await app_factory(
        shop={
            "backend": "http",
            "base_url": shop_server.base_url,
            "api_key_env": "KAMENG_TEST_SHOP_KEY",
            "hmac_secret_env": "KAMENG_TEST_SHOP_SECRET",
            "timeout_seconds": 1,
        }
    )
    return app


async def complain(app: App) -> str:
    out = ""
    for answer in ("/complain", "1", ORDER, "刚才", "卡密已被使用", "跳过", "确认"):
        out = texts(await app.engine.handle(event(answer)))
    return out


async def outbox_rows(app: App) -> list[OutboxRow]:
    async with app.db.transaction() as session:
        return list((await session.execute(select(OutboxRow))).scalars())


async def ticket(app: App) -> TicketRow:
    async with app.db.transaction() as session:
        return (await session.execute(select(TicketRow))).scalar_one()


async def test_shop_down_ticket_saved_then_pushed_exactly_once_when_back(
    http_app: App, shop_server: FakeShopServer, clock: FakeClock
) -> None:
    await shop_server.set_down(True)
    created = await complain(http_app)
    assert "已提交工单" in created  # the flow went on without the shop
    saved = await ticket(http_app)
    assert saved.fields["order_unverified"] is True
    assert await http_app.outbox.run_once() == 0  # still down: nothing delivered
    [item] = await outbox_rows(http_app)
    assert item.sent_at is None and item.attempts == 1 and item.last_error
    await shop_server.set_down(False)
    clock.advance(timedelta(minutes=1))
    assert await http_app.outbox.run_once() == 1
    clock.advance(timedelta(minutes=30))
    assert await http_app.outbox.run_once() == 0  # delivered items are not sent again
    assert shop_server.ticket_count == 1
    assert (await ticket(http_app)).shop_ref != ""


async def test_500s_are_retried_later_and_delivered_once(
    http_app: App, shop_server: FakeShopServer, clock: FakeClock
) -> None:
    await complain(http_app)
    shop_server.fail_next(10, status=500)
    assert await http_app.outbox.run_once() == 0
    shop_server.fail_next(0)
    clock.advance(timedelta(minutes=5))
    delivered = 0
    for _ in range(5):
        delivered += await http_app.outbox.run_once()
        clock.advance(timedelta(minutes=10))
    assert delivered == 1 and shop_server.ticket_count == 1


async def test_malformed_answers_are_retried_not_lost(
    http_app: App, shop_server: FakeShopServer, clock: FakeClock
) -> None:
    await complain(http_app)
    shop_server.malformed_next(2)
    results = []
    for _ in range(4):
        results.append(await http_app.outbox.run_once())
        clock.advance(timedelta(minutes=10))
    assert results == [0, 0, 1, 0]
    assert shop_server.ticket_count == 1


async def test_a_4xx_is_not_retried(
    http_app: App, shop_server: FakeShopServer, clock: FakeClock
) -> None:
    await complain(http_app)
    shop_server.fail_next(1, status=422)
    before = shop_server.request_count
    assert await http_app.outbox.run_once() == 0
    assert shop_server.request_count == before + 1  # one call, no retry
    [item] = await outbox_rows(http_app)
    assert item.failed_at is not None and "422" in item.last_error
    clock.advance(timedelta(hours=1))
    assert await http_app.outbox.run_once() == 0
    assert shop_server.request_count == before + 1


async def test_crash_between_push_and_bookkeeping_does_not_double(
    http_app: App, shop_server: FakeShopServer, clock: FakeClock
) -> None:
    """The process pushed the ticket and died before recording it: after the lease the
    worker pushes again with the same idempotency key and the shop keeps one ticket."""
    await complain(http_app)
    [item] = await outbox_rows(http_app)
    assert item.kind == KIND_TICKET_PUSH
    await http_app.services.shop.push_ticket(
        _push_from(item.payload), idempotency_key=item.idempotency_key
    )
    assert shop_server.ticket_count == 1
    clock.advance(timedelta(minutes=2))
    assert await http_app.outbox.run_once() == 1
    assert shop_server.ticket_count == 1
    [item] = await outbox_rows(http_app)
    assert item.sent_at is not None


async def test_a_claimed_item_is_left_alone_until_its_lease_expires(
    http_app: App, shop_server: FakeShopServer, clock: FakeClock
) -> None:
    await complain(http_app)
    await shop_server.set_down(True)
    await http_app.outbox.run_once()  # claims, fails, reschedules with back-off
    await shop_server.set_down(False)
    assert await http_app.outbox.run_once() == 0  # not due yet
    clock.advance(timedelta(minutes=1))
    assert await http_app.outbox.run_once() == 1


async def test_demo_shop_receives_the_ticket(app: App) -> None:
    await complain(app)
    assert await app.outbox.pending() == 1
    assert await app.outbox.run_once() == 1
    assert await app.outbox.pending() == 0
    assert (await ticket(app)).shop_ref.startswith("SHOP-T-")


async def test_lookups_when_the_shop_is_down_say_so_and_offer_a_complaint(
    http_app: App, shop_server: FakeShopServer
) -> None:
    await shop_server.set_down(True)
    for command in (f"/order {ORDER}", "/card XH7K-9P2M-4Q8R-1T6W", f"/recharge {ORDER}"):
        actions = await http_app.engine.handle(event(command))
        assert "暂时无法查询" in texts(actions)
        assert any(
            b.payload == "complain"
            for a in actions
            for row in getattr(a, "buttons", ())
            for b in row
        )
    registry = http_app.services.metrics.registry
    for operation in ("order", "card", "recharge"):
        assert (
            registry.get_sample_value("kameng_shop_errors_total", {"operation": operation}) == 1.0
        )
