"""Benchmark: another user's latency while lookups wait on a slow shop.

Eight buyers look up orders on a shop that takes 2 s to answer; meanwhile another user asks
``/support`` again and again. Before shop calls left the event's transaction, that user
waited for the shop (SQLite: the writer lock; PostgreSQL: the pool). The goal is under
100 ms. Runs on SQLite, and on PostgreSQL when ``BENCH_POSTGRES_URL`` is set (that database
is wiped).

Usage: ``python bench/slow_shop_bench.py [--delay 2] [--lookups 8] [--json]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from engine_bench import open_app, percentile, reset_postgres  # noqa: E402
from machine import machine  # noqa: E402

from adapters.shop.demo_data import DEMO_ORDER_NOS  # noqa: E402
from core.model import Chat, Event, EventKind, User  # noqa: E402
from core.shop import Order  # noqa: E402
from core.shopcalls import GuardedShop  # noqa: E402

_seq = iter(range(1, 10**9))


def command(user: User, text: str) -> Event:
    head, _, args = text[1:].partition(" ")
    return Event(
        kind=EventKind.COMMAND,
        event_id=f"s{next(_seq)}",
        user=user,
        chat=Chat(platform="bench", id=f"dm{user.id}", is_private=True),
        text=text,
        command=head,
        args=args,
        is_to_me=True,
    )


class SlowShop:
    """The demo backend, answering order lookups after ``delay`` seconds."""

    def __init__(self, backend: Any, delay: float) -> None:
        self.backend = backend
        self.delay = delay

    def __getattr__(self, name: str) -> Any:
        return getattr(self.backend, name)

    async def get_order(self, order_no: str) -> Order | None:
        await asyncio.sleep(self.delay)
        result: Order | None = await self.backend.get_order(order_no)
        return result


async def measure(db_url: str, workdir: Path, *, delay: float, lookups: int) -> dict[str, Any]:
    app = await open_app(db_url, workdir)
    try:
        guarded = app.services.shop
        assert isinstance(guarded, GuardedShop)
        guarded.inner = SlowShop(guarded.inner, delay)  # type: ignore[assignment]
        order = DEMO_ORDER_NOS["delivered_card"]
        buyers = [User(platform="bench", id=f"b{n}", display_name="买家") for n in range(lookups)]
        waiting = [
            asyncio.create_task(app.engine.handle(command(b, f"/order {order}"))) for b in buyers
        ]
        await asyncio.sleep(0.05)  # the lookups are at the shop
        other = User(platform="bench", id="other", display_name="路人")
        latencies: list[float] = []
        started = time.perf_counter()
        while time.perf_counter() - started < delay * 0.8:
            t0 = time.perf_counter()
            await app.engine.handle(command(other, "/support"))
            latencies.append((time.perf_counter() - t0) * 1000)
            await asyncio.sleep(0.02)
        await asyncio.gather(*waiting)
        return {
            "support_p50_ms": round(percentile(latencies, 0.5), 2),
            "support_max_ms": round(max(latencies), 2),
            "samples": len(latencies),
        }
    finally:
        await app.close()


async def main_async(delay: float, lookups: int) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": machine(), "delay_s": delay, "lookups": lookups}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = await measure(
            f"sqlite+aiosqlite:///{tmp}/bot.db", Path(tmp), delay=delay, lookups=lookups
        )
    pg = os.environ.get("BENCH_POSTGRES_URL", "")
    if pg:
        await reset_postgres(pg)
        with tempfile.TemporaryDirectory() as tmp:
            results["postgresql"] = await measure(pg, Path(tmp), delay=delay, lookups=lookups)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=2.0)
    parser.add_argument("--lookups", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = asyncio.run(main_async(args.delay, args.lookups))
    print(f"machine: {results['machine']}")
    for backend in ("sqlite", "postgresql"):
        if backend in results:
            row = results[backend]
            print(
                f"{backend}: /support while {args.lookups} lookups wait on a {args.delay:g} s "
                f"shop: p50 {row['support_p50_ms']} ms, max {row['support_max_ms']} ms "
                f"({row['samples']} samples)"
            )
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
