"""All benchmarks in one run: ``python bench/run.py [--quick] [--json]``.

Prints a table of: Telegram end to end against a bare PTB echo bot (key
``telegram_vs_bare_ptb``), the engine alone on SQLite (and PostgreSQL when
``BENCH_POSTGRES_URL`` or ``TEST_POSTGRES_URL`` is set: that database is wiped), the
classifier, the name check, the card-key detector (labelled set and 4,096-character worst
cases), memory with many conversations open mid-flow, and throughput
as stored history grows.
With ``--json`` the last line is one JSON object with every figure. ``--quick`` finishes in
under a minute; the full run in a few minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO_ROOT = BENCH.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import telegram_bench  # noqa: E402
from machine import machine  # noqa: E402

TARGETS = {
    "telegram_vs_bare_ptb": "≥ 0.8",
    "engine_events_per_s": "≥ 2000",
    "engine_p99_ms": "≤ 5",
    "memory_mb": "≤ 200",
    "card_key_recall": "≥ 0.99",
    "card_key_4096_ms": "< 5",
    "support_while_shop_slow_ms": "< 100",
}


def _script_json(name: str, *args: str) -> dict[str, Any]:
    """Run one of the standalone benchmark scripts and read its JSON last line."""
    result = subprocess.run(
        [sys.executable, str(BENCH / name), "--json", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    parsed: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return parsed


def collect(quick: bool) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": machine(), "quick": quick}
    # Quick keeps all 2,000 updates (fewer would stop the private users short of their
    # tickets, a kinder mix) and runs one round instead of three.
    results["telegram"] = asyncio.run(telegram_bench.compare(2000, rounds=1 if quick else 3))
    results["telegram_vs_bare_ptb"] = results["telegram"]["telegram_vs_bare_ptb"]
    # In its own process, so the peak-memory figure is the engine's alone.
    results["engine"] = _script_json("engine_bench.py", *(["--quick"] if quick else []))
    results["classifier"] = _script_json(
        "classifier_bench.py", *(["--repeat", "20"] if quick else [])
    )
    results["name_check"] = _script_json(
        "name_check_bench.py", *(["--names", "2000"] if quick else [])
    )
    results["card_keys"] = _script_json("cardkey_bench.py", *(["--repeat", "10"] if quick else []))
    # BENCH_POSTGRES_URL (inherited) adds the PostgreSQL row.
    results["slow_shop"] = _script_json("slow_shop_bench.py")
    return results


def print_table(results: dict[str, Any]) -> None:
    tg = results["telegram"]
    engine = results["engine"]
    sqlite = engine["engine_sqlite"]
    single = engine["engine_sqlite_one_at_a_time"]
    classifier = results["classifier"]
    names = results["name_check"]
    rows = [
        ("Telegram e2e, ours (updates/s)", tg["ours"]["updates_per_s"], ""),
        ("Telegram e2e, bare PTB echo (updates/s)", tg["bare_ptb"]["updates_per_s"], ""),
        ("telegram_vs_bare_ptb", results["telegram_vs_bare_ptb"], TARGETS["telegram_vs_bare_ptb"]),
        (
            "engine SQLite, 32 users (events/s)",
            sqlite["events_per_s"],
            TARGETS["engine_events_per_s"],
        ),
        ("engine SQLite p50 / p99 (ms)", f"{sqlite['p50_ms']} / {sqlite['p99_ms']}", ""),
        ("engine SQLite tickets created by the mix", sqlite.get("tickets_created", "—"), "> 0"),
        (
            "engine SQLite one at a time p50 / p99 (ms)",
            f"{single['p50_ms']} / {single['p99_ms']}",
            TARGETS["engine_p99_ms"],
        ),
    ]
    if "engine_postgresql" in engine:
        pg = engine["engine_postgresql"]
        rows.append(("engine PostgreSQL, 32 users (events/s)", pg["events_per_s"], ""))
        rows.append(("engine PostgreSQL p50 / p99 (ms)", f"{pg['p50_ms']} / {pg['p99_ms']}", ""))
    memory = engine["memory"]
    rows.append(
        (
            f"peak RSS, {memory['open_conversations']} open flows (MB)",
            memory["peak_rss_mb"],
            TARGETS["memory_mb"],
        )
    )
    for stored, rate in engine["scaling_events_per_s"].items():
        rows.append((f"events/s with {stored} stored tickets", rate, ""))
    rows.append(
        ("classifier accuracy, dev set", classifier["dev_accuracy"] or "no dev set", "≥ 0.95")
    )
    rows.append(("classifier accuracy, own holdout", classifier["holdout_accuracy"], ""))
    rows.append(
        (
            "classifier µs per message (p50 / p99)",
            f"{classifier['us_per_message_median']} / {classifier['us_per_message_p99']}",
            "",
        )
    )
    rows.append(
        (
            "name check names/s (cold / cached)",
            f"{names['cold_names_per_second']} / {names['warm_names_per_second']}",
            "",
        )
    )
    dev = names.get("dev")  # None when ../shared is not beside the repo
    rows.append(
        (
            "name check dev recall / false positives",
            f"{dev['recall']} / {dev['false_positive_rate']}" if dev else "no dev set",
            "",
        )
    )
    cards = results["card_keys"]
    rows.append(
        (
            "card keys: precision / recall, labelled set",
            f"{cards['accuracy']['precision']} / {cards['accuracy']['recall']}",
            TARGETS["card_key_recall"],
        )
    )
    rows.append(
        (
            "card keys: 4,096 chars, worst p50 / max (ms)",
            f"{cards['timing']['worst_p50_ms']} / {cards['timing']['worst_max_ms']}",
            TARGETS["card_key_4096_ms"],
        )
    )
    slow = results["slow_shop"]
    for backend in ("sqlite", "postgresql"):
        if backend in slow:
            rows.append(
                (
                    f"/support while {slow['lookups']} lookups wait on a "
                    f"{slow['delay_s']:g} s shop, {backend} p50 / max (ms)",
                    f"{slow[backend]['support_p50_ms']} / {slow[backend]['support_max_ms']}",
                    TARGETS["support_while_shop_slow_ms"],
                )
            )
    width = max(len(name) for name, _, _ in rows)
    print(f"Benchmarks on {results['machine']}{' (quick)' if results['quick'] else ''}")
    for name, value, target in rows:
        print(f"  {name:<{width}}  {value!s:>14}  {target}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller runs, under a minute")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args(argv)
    results = collect(args.quick)
    try:
        print_table(results)
    finally:  # the figures are never lost to a table that cannot be printed
        if args.json:
            print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
