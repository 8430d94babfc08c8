"""Engine benchmarks without any platform: throughput and latency per event, memory with many
conversations open mid-flow, and how the cost behaves as stored history grows.

Used by ``bench/run.py``; runnable alone: ``python bench/engine_bench.py [--quick] [--json]``.
The event mix is what a busy shop group produces: support questions, FAQ questions,
complaint-flow steps, lookups and group chatter, from many users at once.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import tomllib  # noqa: E402

from sqlalchemy import func, insert, select  # noqa: E402

from bots.app import App, build_app  # noqa: E402
from core.config import parse_config  # noqa: E402
from core.model import Chat, Event, EventKind, User  # noqa: E402
from core.storage.tables import ConversationRow, TicketRow  # noqa: E402

_ids = itertools.count(1)

PRIVATE_SCRIPT = [
    "售后在哪",
    "卡密怎么兑换",
    "/complain",
    "1",
    "DD2026112000002",
    "昨天下午3点",
    "卡密已被使用",
    "跳过",
    "确认",
    "充值多久到账",
    "/order DD2026112000015",
]
GROUP_SCRIPT = ["今晚谁一起开黑", "售后在哪里", "这游戏更新了吗", "哈哈哈", "/support"]


def make_event(user: User, text: str, *, group: bool) -> Event:
    chat = Chat(platform="bench", id="g1" if group else f"dm{user.id}", is_private=not group)
    event_id = f"b{next(_ids)}"
    if text.startswith("/"):
        head, _, args = text[1:].partition(" ")
        return Event(kind=EventKind.COMMAND, event_id=event_id, user=user, chat=chat, text=text,
                     command=head, args=args, is_to_me=True)  # fmt: skip
    return Event(
        kind=EventKind.MESSAGE,
        event_id=event_id,
        user=user,
        chat=chat,
        text=text,
        is_to_me=not group,
    )


def user_events(user: User, count: int) -> list[Event]:
    """A realistic stream for one user: mostly private support, some group chatter. The
    private script runs in order (its complaint steps end in a ticket) whatever the chatter
    between its lines."""
    events = []
    private = group = 0
    for i in range(count):
        if i % 4 == 3:
            events.append(make_event(user, GROUP_SCRIPT[group % len(GROUP_SCRIPT)], group=True))
            group += 1
        else:
            text = PRIVATE_SCRIPT[private % len(PRIVATE_SCRIPT)]
            events.append(make_event(user, text, group=False))
            private += 1
    return events


async def open_app(db_url: str, workdir: Path) -> App:
    data = tomllib.loads((REPO_ROOT / "config.toml").read_text(encoding="utf-8"))
    data["database"] = {"url": db_url}
    data.setdefault("shop", {})["demo_data_dir"] = str(workdir)
    data["logging"] = {"level": "WARNING"}
    # Lookups are rate-limited per user; a benchmark user makes many on purpose.
    data["self_service"] = {**data.get("self_service", {}), "lookups_per_window": 1_000_000}
    # Every complaint in the script ends in a ticket; a benchmark user files many.
    data["tickets"] = {"max_open_per_user": 1_000_000}
    return await build_app(parse_config(data, source="bench"))


async def reset_postgres(url: str) -> None:
    """Wipe the benchmark's PostgreSQL database (it is the benchmark's own)."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def count_tickets(app: App) -> int:
    async with app.db.transaction() as session:
        return int((await session.execute(select(func.count(TicketRow.id)))).scalar_one())


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def throughput(
    app: App, *, users: int, per_user: int, concurrency: int = 32
) -> dict[str, float]:
    """Events/s with ``concurrency`` users active at once; latency of every event."""
    streams = [
        user_events(User(platform="bench", id=f"u{next(_ids)}", display_name="玩家"), per_user)
        for _ in range(users)
    ]
    latencies: list[float] = []
    queue: asyncio.Queue[list[Event]] = asyncio.Queue()
    for stream in streams:
        queue.put_nowait(stream)

    async def worker() -> None:
        while not queue.empty():
            stream = queue.get_nowait()
            for event in stream:
                start = time.perf_counter()
                await app.engine.handle(event)
                latencies.append(time.perf_counter() - start)

    await app.engine.handle(make_event(User(platform="bench", id="warm"), "售后在哪", group=False))
    tickets_before = await count_tickets(app)
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return {
        "events": len(latencies),
        # Counted, not assumed: the mix's complaints must end in tickets.
        "tickets_created": await count_tickets(app) - tickets_before,
        "events_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 3),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 3),
    }


def _history_rows(
    first: int, count: int, now: datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    conversations: list[dict[str, Any]] = []
    tickets: list[dict[str, Any]] = []
    for n in range(first, first + count):
        key = f"hist:{n}"
        conversations.append(
            {"user_key": key, "platform": "hist", "data": {}, "updated_at": now, "version": 1}
        )
        tickets.append(
            {
                "ticket_no": f"H-{n}",
                "user_key": key,
                "platform": "hist",
                "category": "card_invalid",
                "complexity": "simple",
                "status": "closed" if n % 10 else "open",
                "summary": "历史工单",
                "fields": {},
                "transcript": [],
                "created_at": now - timedelta(days=30),
                "updated_at": now,
                "due_at": now + timedelta(days=365),
            }
        )
    return conversations, tickets


async def seed_history(app: App, count: int) -> None:
    """``count`` more stored tickets and conversations, inserted in bulk."""
    now = datetime.now(UTC)
    async with app.db.transaction() as session:
        first = int(
            (await session.execute(select(func.count()).select_from(TicketRow))).scalar_one()
        )
        conversations, tickets = _history_rows(first, count, now)
        await session.execute(insert(ConversationRow), conversations)
        await session.execute(insert(TicketRow), tickets)


def checkpoint(path: Path) -> None:
    """Move everything in the SQLite file's write-ahead log into the database file."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


async def memory_with_open_flows(app: App, conversations: int) -> dict[str, float]:
    users = [
        User(platform="bench", id=f"m{next(_ids)}", display_name="玩家")
        for _ in range(conversations)
    ]
    for step in ("/complain", "1"):
        for batch in range(0, len(users), 200):
            await asyncio.gather(
                *(
                    app.engine.handle(make_event(u, step, group=False))
                    for u in users[batch : batch + 200]
                )
            )
    return {"open_conversations": conversations, "peak_rss_mb": rss_mb()}


async def run_all(*, quick: bool, postgres_url: str = "") -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        app = await open_app(f"sqlite+aiosqlite:///{workdir / 'bench.db'}", workdir)
        try:
            users, per_user = (100, 20) if quick else (300, 40)
            results["engine_sqlite"] = await throughput(app, users=users, per_user=per_user)
            # Service time per event without queueing: one user at a time.
            results["engine_sqlite_one_at_a_time"] = await throughput(
                app, users=20, per_user=25, concurrency=1
            )
            results["memory"] = await memory_with_open_flows(app, 2_000 if quick else 10_000)
            scaling = {}
            stored = 0
            for target in (1_000, 10_000) if quick else (1_000, 10_000, 100_000):
                await seed_history(app, target - stored)
                # Part of the set-up: copy the bulk insert out of the WAL now, not in the first
                # commit of the measured window.
                checkpoint(workdir / "bench.db")
                stored = target
                scaling[str(target)] = (await throughput(app, users=50, per_user=60))[
                    "events_per_s"
                ]
            results["scaling_events_per_s"] = scaling
        finally:
            await app.close()
        if postgres_url:
            await reset_postgres(postgres_url)
            app = await open_app(postgres_url, workdir)
            try:
                users, per_user = (100, 20) if quick else (300, 40)
                results["engine_postgresql"] = await throughput(app, users=users, per_user=per_user)
            finally:
                await app.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    postgres = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_POSTGRES_URL", "")
    results = asyncio.run(run_all(quick=args.quick, postgres_url=postgres))
    print(json.dumps(results, ensure_ascii=False, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
