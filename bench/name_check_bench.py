"""Benchmark of the impostor name guard: names/second cold and warm, accuracy on the dev set.

Usage: ``python bench/name_check_bench.py [--json] [--names N]``

* cold: N unique names, each checked once by a fresh guard with the normalisation cache
  cleared (every name is normalised, segmented and compared from scratch);
* warm: the same names again (answered from the verdict cache);
* accuracy: recall and false-positive rate on ``../shared/eval/impostor_names_dev.jsonl``
  (judged against ``guard_config.toml`` there) and on ``tests/data/names_holdout.jsonl``.

With ``--json`` the last line is one JSON object with all the numbers.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.guard import NameGuard  # noqa: E402
from core.guard.normalize import normalize_name  # noqa: E402

EVAL_DIR = ROOT.parent / "shared" / "eval"
HOLDOUT = ROOT / "tests" / "data" / "names_holdout.jsonl"


@dataclass(frozen=True)
class Account:
    platform: str
    user_id: str
    username: str = ""
    display_name: str = ""
    role: str = "客服"


FALLBACK_BRAND = "星河卡盟"
FALLBACK_ACCOUNTS = (
    Account("telegram", "100001", "xinghe_support", "星河卡盟官方客服", "客服"),
    Account("telegram", "100002", "xinghe_aftersales", "星河售后-小雅", "售后"),
    Account("discord", "200001", "xinghe.support", "XingHe Support", "客服"),
    Account("feishu", "ou_1", "", "星河卡盟售后", "售后"),
)


def _config() -> tuple[str, list[Account], list[str] | None]:
    path = EVAL_DIR / "guard_config.toml"
    if not path.is_file():
        return FALLBACK_BRAND, list(FALLBACK_ACCOUNTS), None
    with path.open("rb") as f:
        cfg = tomllib.load(f)
    accounts = [
        Account(
            a["platform"],
            str(a["user_id"]),
            a.get("username", ""),
            a.get("display_name", ""),
            a.get("role", "客服"),
        )
        for a in cfg["official"]["accounts"]
    ]
    return cfg["brand"]["name"], accounts, cfg.get("guard", {}).get("role_words")


def _guard() -> NameGuard:
    brand, accounts, role_words = _config()
    if role_words:
        return NameGuard(brand=brand, official_accounts=accounts, role_words=role_words)
    return NameGuard(brand=brand, official_accounts=accounts)


_POOL = (
    "星河卡盟官方客服售后小雅王李张刘陈游戏玩家快乐的鱼一只猫月下独酌夜雨声烦"
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 _-.🌟\u200b"
)


def _unique_names(count: int) -> list[str]:
    rng = random.Random(20241124)
    seen: dict[str, None] = {}
    while len(seen) < count:
        length = rng.randint(2, 16)
        seen["".join(rng.choice(_POOL) for _ in range(length))] = None
    return list(seen)


def _accuracy(guard: NameGuard, path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    tp = fn = fp = tn = 0
    for row in rows:
        suspicious = guard.check(row["name"]).suspicious
        if row["impostor"]:
            tp += suspicious
            fn += not suspicious
        else:
            fp += suspicious
            tn += not suspicious
    return {
        "names": len(rows),
        "recall": round(tp / max(1, tp + fn), 4),
        "false_positive_rate": round(fp / max(1, fp + tn), 4),
        "accuracy": round((tp + tn) / max(1, len(rows)), 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument("--names", type=int, default=20000, help="unique names to check")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    guard = _guard()
    guard.check("warm up: load pinyin and OpenCC dictionaries")
    setup_s = time.perf_counter() - start

    names = _unique_names(args.names)
    normalize_name.cache_clear()
    guard.cache_clear()
    start = time.perf_counter()
    for name in names:
        guard.check(name)
    cold_s = time.perf_counter() - start

    rounds = 5
    start = time.perf_counter()
    for _ in range(rounds):
        for name in names:
            guard.check(name)
    warm_s = time.perf_counter() - start

    result: dict[str, Any] = {
        "setup_seconds": round(setup_s, 3),
        "unique_names": len(names),
        "cold_names_per_second": round(len(names) / cold_s),
        "cold_microseconds_per_name": round(cold_s / len(names) * 1e6, 1),
        "warm_names_per_second": round(rounds * len(names) / warm_s),
        "warm_microseconds_per_name": round(warm_s / (rounds * len(names)) * 1e6, 2),
        "dev": _accuracy(_guard(), EVAL_DIR / "impostor_names_dev.jsonl"),
        "holdout": _accuracy(_guard(), HOLDOUT),
    }
    print(f"setup (guard + dictionaries): {result['setup_seconds']} s")
    print(
        f"cold: {result['cold_names_per_second']:,} names/s "
        f"({result['cold_microseconds_per_name']} µs/name, {len(names)} unique names)"
    )
    print(
        f"warm: {result['warm_names_per_second']:,} names/s "
        f"({result['warm_microseconds_per_name']} µs/name, cached)"
    )
    for label in ("dev", "holdout"):
        acc = result[label]
        if acc is None:
            print(f"{label}: file not found")
        else:
            print(
                f"{label}: {acc['names']} names, recall {acc['recall']:.2%}, "
                f"false positives {acc['false_positive_rate']:.2%}, accuracy {acc['accuracy']:.2%}"
            )
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
