"""The Telegram benchmark and its breakdown still run end to end (tiny sizes, no figures
checked beyond their consistency): they import the adapter, the fake Bot API and the app,
so a change there could otherwise break them unnoticed."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import telegram_bench  # noqa: E402
import telegram_breakdown  # noqa: E402

UPDATES = 24  # 18 private "售后在哪" and 6 group chatter messages, one per user


async def test_the_comparison_reports_the_median_of_alternating_rounds() -> None:
    result = await telegram_bench.compare(UPDATES, rounds=3)
    rounds = result["rounds"]
    assert len(rounds) == 3
    assert result["telegram_vs_bare_ptb"] == round(
        statistics.median(r["ours"] / r["bare_ptb"] for r in rounds), 3
    )
    # The bare bot echoes every update; ours answers all but the group chatter.
    assert result["bare_ptb"]["replies"] == UPDATES
    assert 0 < result["ours"]["replies"] < UPDATES
    assert result["ours"]["updates_per_s"] == sorted(r["ours"] for r in rounds)[1]


async def test_the_breakdown_replays_the_engines_answers() -> None:
    replies: dict[str, int] = {}
    original = telegram_bench.measure

    async def counting(api: object, updates: int) -> dict[str, float]:
        result = await original(api, updates)  # type: ignore[arg-type]
        replies[f"run{len(replies)}"] = int(result["replies"])
        return result

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(telegram_bench, "measure", counting)
        result = await telegram_breakdown.breakdown(UPDATES, rounds=1)
    assert set(result["updates_per_s"]) == {*telegram_breakdown.VARIANTS, "bare_ptb"}
    # The recording run and the four variants of ours send the same replies.
    ours = [count for count in replies.values() if count != UPDATES]
    assert len(ours) == 1 + len(telegram_breakdown.VARIANTS)
    assert len(set(ours)) == 1
