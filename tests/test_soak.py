"""Soak: 10,000 concurrent conversations through the engine, on SQLite and on PostgreSQL.

10,000 distinct users each open a complaint in private and answer its first steps (issue
type, order number), so that all 10,000 flows are open at the same time; every tenth user
then goes on to the end and files a ticket. Events are driven with bounded concurrency
(``CONCURRENCY`` events in flight at once, interleaved across all users, each user's own
events in order), the way a busy shop's platforms deliver them.

Asserted: no event failed (the engine's error counter stays 0 and no reply is the apology),
every event got the answer its step expects, the database holds exactly one conversation
per user in exactly the expected state, exactly one ticket (and one queued shop push) per
completing user, and the process's resident memory grew by less than ``RSS_BOUND_MB``.

The figures (events, events/s, latency, memory) are printed; ``pytest -s tests/test_soak.py``
shows them.
"""

from __future__ import annotations

import asyncio
import gc
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Select, distinct, func, select

from adapters.shop.demo_data import DEMO_ORDER_NOS
from bots.app import App
from core.model import Chat, User
from core.storage.tables import ConversationRow, OutboxRow, ProcessedEventRow, TicketRow
from core.texts import Texts
from tests.conftest import AppFactory
from tests.helpers import event, texts

USERS = 10_000
COMPLETE_EVERY = 10  # every tenth user files a ticket: 1,000 tickets
CONCURRENCY = 128  # events in flight at once
RSS_BOUND_MB = 150.0

ORDER = DEMO_ORDER_NOS["delivered_card_used"]
# (message, a piece of the reply it must get)
OPEN_STEPS = [
    ("/complain", "请选择你遇到的问题类型"),
    ("1", "请发送订单号"),
    (ORDER, "问题是什么时候发生的"),
]
FINISH_STEPS = [
    ("刚才", "屏幕上提示了什么"),
    ("卡密已被使用", "有截图的话请发送截图"),
    ("跳过", "请确认投诉内容"),
    ("确认", "已提交工单 T-"),
]
COMPLETERS = USERS // COMPLETE_EVERY
EXPECTED_EVENTS = USERS * len(OPEN_STEPS) + COMPLETERS * len(FINISH_STEPS)


def rss_mb() -> float:
    """This process's resident set size now (``VmRSS``), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS in /proc/self/status")


@dataclass
class Soak:
    app: App
    apology: str
    latencies: list[float] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)  # events without their expected reply
    apologies: int = 0
    peak_rss: float = 0.0

    async def user(self, n: int, semaphore: asyncio.Semaphore) -> None:
        """One user's events, in order; the semaphore bounds events in flight overall."""
        user = User(platform="telegram", id=f"soak-{n}", display_name=f"玩家{n}")
        chat = Chat(platform="telegram", id=f"soak-{n}", is_private=True)
        steps = OPEN_STEPS + (FINISH_STEPS if n % COMPLETE_EVERY == 0 else [])
        for text, expected in steps:
            async with semaphore:
                started = time.perf_counter()
                actions = await self.app.engine.handle(event(text, user=user, chat=chat))
                self.latencies.append(time.perf_counter() - started)
            reply = texts(actions)
            if self.apology in reply:
                self.apologies += 1
            if expected not in reply:
                self.wrong.append(f"user {n}, {text!r}: {reply[:120]!r}")

    async def sample_memory(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.peak_rss = max(self.peak_rss, rss_mb())
            await asyncio.sleep(0.1)


async def count(app: App, query: Select[Any]) -> int:
    async with app.db.transaction() as session:
        return int((await session.execute(query)).scalar_one())


def percentile_ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def test_10000_concurrent_conversations_without_errors_with_exact_counts_and_bounded_memory(
    app_factory: AppFactory, db_url: str
) -> None:
    backend = "postgresql" if db_url.startswith("postgresql") else "sqlite"
    app: App = await app_factory(logging={"level": "WARNING"})
    apology = Texts("zh").get("internal_error", "zh")
    soak = Soak(app, apology)

    # Warm-up (classifier, demo shop, connection pool), then the memory baseline.
    warm = User(platform="telegram", id="warm-up")
    warm_chat = Chat(platform="telegram", id="warm-up", is_private=True)
    for text, expected in OPEN_STEPS:
        assert expected in texts(await app.engine.handle(event(text, user=warm, chat=warm_chat)))
    gc.collect()
    baseline = rss_mb()
    soak.peak_rss = baseline

    stop = asyncio.Event()
    sampler = asyncio.create_task(soak.sample_memory(stop))
    semaphore = asyncio.Semaphore(CONCURRENCY)
    started = time.perf_counter()
    await asyncio.gather(*(soak.user(n, semaphore) for n in range(USERS)))
    elapsed = time.perf_counter() - started
    stop.set()
    await sampler
    soak.peak_rss = max(soak.peak_rss, rss_mb())

    registry = app.services.metrics.registry
    errors = registry.get_sample_value("kameng_handler_errors_total") or 0.0
    handled = sum(
        sample.value
        for metric in registry.collect()
        if metric.name == "kameng_events"
        for sample in metric.samples
        if sample.name == "kameng_events_total"
    )
    growth = soak.peak_rss - baseline
    print(
        f"\nsoak [{backend}]: {USERS:,} users, {len(soak.latencies):,} events in {elapsed:.1f} s "
        f"= {len(soak.latencies) / elapsed:,.0f} events/s with {CONCURRENCY} in flight; "
        f"p50 {percentile_ms(soak.latencies, 0.5):.1f} ms, "
        f"p99 {percentile_ms(soak.latencies, 0.99):.1f} ms; "
        f"RSS {baseline:.0f} MB → peak {soak.peak_rss:.0f} MB (+{growth:.0f} MB); "
        f"errors {errors:.0f}, apologies {soak.apologies}, wrong replies {len(soak.wrong)}"
    )

    assert errors == 0 and soak.apologies == 0
    assert soak.wrong == [], f"{len(soak.wrong)} wrong replies, e.g. {soak.wrong[:5]}"
    assert len(soak.latencies) == EXPECTED_EVENTS
    assert handled == EXPECTED_EVENTS + len(OPEN_STEPS)  # plus the warm-up

    soak_users = ConversationRow.user_key.like("telegram:soak-%")
    conversations = select(func.count()).select_from(ConversationRow)
    assert await count(app, conversations.where(soak_users)) == USERS
    mid_flow = conversations.where(
        soak_users, ConversationRow.flow == "complaint", ConversationRow.step == "when"
    )
    assert await count(app, mid_flow) == USERS - COMPLETERS
    assert await count(app, conversations.where(soak_users, ConversationRow.flow.is_(None))) == (
        COMPLETERS
    )
    tickets = select(func.count()).select_from(TicketRow)
    assert await count(app, tickets) == COMPLETERS
    assert await count(app, select(func.count(distinct(TicketRow.user_key)))) == COMPLETERS
    assert await count(app, select(func.count(distinct(TicketRow.ticket_no)))) == COMPLETERS
    completer_keys = [f"telegram:soak-{n}" for n in range(0, USERS, COMPLETE_EVERY)]
    assert await count(app, tickets.where(TicketRow.user_key.in_(completer_keys))) == COMPLETERS
    assert await count(app, tickets.where(TicketRow.ticket_no.like("T-%"))) == COMPLETERS
    assert await app.outbox.pending() == COMPLETERS  # one shop push queued per ticket
    assert await count(app, select(func.count()).select_from(OutboxRow)) == COMPLETERS
    processed = select(func.count()).select_from(ProcessedEventRow)
    assert await count(app, processed) == EXPECTED_EVENTS + len(OPEN_STEPS)

    assert growth < RSS_BOUND_MB, f"RSS grew by {growth:.0f} MB"
