"""Where our Telegram run's extra time goes: the same updates with parts of the engine left
out, next to the full bot and the bare PTB echo bot.

Variants of our bot (the adapter, PTB, HTTP and the fake Bot API always do all their work):

* ``full``: as in ``telegram_bench.py``.
* ``no_engine``: the engine's answers, recorded during a ``full`` run of the same updates,
  are handed back without any engine work: the cost of everything around the engine.
* ``empty_transaction``: recorded answers plus an empty database transaction per event.
* ``transaction``: recorded answers plus the engine's own statements per event (claim the
  event, load the conversation, save it), without the handlers.

Rounds alternate the order of the variants; medians are printed. A diagnostic, not part of
``run.py``: ``python bench/telegram_breakdown.py [--updates N] [--rounds R] [--json]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
for path in (str(BENCH.parent), str(BENCH)):
    if path not in sys.path:
        sys.path.insert(0, path)

from telegram_bench import run_bare, run_ours  # noqa: E402

from bots.app import App  # noqa: E402
from core.engine import Engine  # noqa: E402
from core.model import Action, Event  # noqa: E402

Recorded = dict[tuple[str, str, str, int], list[Action]]


class _Occurrences:
    """Keys the same message from the same user in the same chat by its occurrence."""

    def __init__(self) -> None:
        self.seen: Counter[tuple[str, str, str]] = Counter()

    def key(self, event: Event) -> tuple[str, str, str, int]:
        base = (event.user.key, event.chat.key, event.text)
        self.seen[base] += 1
        return (*base, self.seen[base])


class _Recording(Engine):
    def __init__(self, engine: Engine, recorded: Recorded) -> None:
        super().__init__(engine.services, engine.router)
        self.recorded = recorded
        self.occurrences = _Occurrences()

    async def handle(self, event: Event) -> list[Action]:
        actions = await super().handle(event)
        self.recorded[self.occurrences.key(event)] = actions
        return actions


class _StandIn(Engine):
    """Answers with the recorded actions, doing only the database work ``mode`` names."""

    def __init__(self, engine: Engine, recorded: Recorded, mode: str) -> None:
        super().__init__(engine.services, engine.router)
        self.recorded = recorded
        self.mode = mode
        self.occurrences = _Occurrences()

    async def handle(self, event: Event) -> list[Action]:
        actions = self.recorded[self.occurrences.key(event)]
        if self.mode == "no_engine":
            return actions
        services = self.services
        async with services.db.event() as store:
            if self.mode == "transaction":
                now = services.clock.now()
                await store.claim_event(event.platform, event.event_id, now)
                conversation, _ = await store.lock_conversation(event.user, now)
                conversation.touch_identity(event.user.display_name, event.user.username)
                await store.save_conversation(conversation)
        return actions


VARIANTS = ("full", "no_engine", "empty_transaction", "transaction")


async def _run(updates: int, prepare: Callable[[App], None]) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        result = await run_ours(updates, Path(tmp), prepare)
    return result["updates_per_s"]


async def breakdown(updates: int, rounds: int) -> dict[str, Any]:
    recorded: Recorded = {}

    def record(app: App) -> None:
        app.runtime.engine = _Recording(app.engine, recorded)

    await _run(updates, record)
    rates: dict[str, list[float]] = {name: [] for name in (*VARIANTS, "bare_ptb")}
    order = [*VARIANTS, "bare_ptb"]
    for round_no in range(rounds):
        for name in order if round_no % 2 == 0 else reversed(order):
            if name == "bare_ptb":
                rates[name].append((await run_bare(updates))["updates_per_s"])
                continue

            def prepare(app: App, mode: str = name) -> None:
                if mode != "full":
                    app.runtime.engine = _StandIn(app.engine, recorded, mode)

            rates[name].append(await _run(updates, prepare))
    medians = {name: round(statistics.median(values), 1) for name, values in rates.items()}
    base = medians["no_engine"]
    return {
        "updates": updates,
        "updates_per_s": medians,
        "ms_per_update_over_no_engine": {
            name: round(1000 / rate - 1000 / base, 3) for name, rate in medians.items()
        },
        "rounds": rates,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = asyncio.run(breakdown(args.updates, args.rounds))
    print(json.dumps(result, ensure_ascii=False, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
