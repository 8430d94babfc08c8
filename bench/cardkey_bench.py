"""Benchmark of the card-key detector: precision and recall on the labelled set, and the time
to mask a 4,096-character message, worst cases included.

Usage: ``python bench/cardkey_bench.py [--json] [--length N] [--repeat N]``

* accuracy on ``tests/data/card_keys_labelled.jsonl`` with the default formats: a line counts
  as detected when the detector would delete it in a group; recall per line and per key (the
  canonical keys found must be the labelled ones), precision, and the non-key lines that
  would be deleted (must be none);
* time: ``mask`` (the precise matches plus the masking safety net, the costlier path) on
  messages of N characters (default 4,096), adversarial ones first (long runs of ``A-A-A…``,
  digits, mixed letters and separators, group-sized tokens, full width, many keys); p50 and
  max over the repetitions of each, and the worst of all.

With ``--json`` the last line is one JSON object with all the numbers.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from machine import machine  # noqa: E402

from core.cardkeys import CardKeyDetector  # noqa: E402
from core.config import ShopConfig  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "card_keys_labelled.jsonl"
CHAT_WITH_KEY = "我的卡密 XH7K 9P2M 4Q8R 1T6W 用不了，订单 DD2026112000001。"


def default_detector() -> CardKeyDetector:
    return CardKeyDetector(order_pattern=ShopConfig().order_pattern)


def load_labelled(path: Path = LABELLED) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def score_labelled(detector: CardKeyDetector, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Precision and recall of deletion on labelled lines; the misses and false deletions."""
    tp = fn = fp = tn = 0
    keys_total = keys_found = 0
    misses: list[str] = []
    false_deletions: list[str] = []
    for row in rows:
        found = [match.key for match in detector.find(row["text"])]
        if row["is_key"]:
            expected = row.get("keys", [])
            keys_total += len(expected)
            keys_found += sum(key in found for key in expected)
            if found:
                tp += 1
            else:
                fn += 1
            if found != expected:
                misses.append(row["text"])
        elif found:
            fp += 1
            false_deletions.append(row["text"])
        else:
            tn += 1
    return {
        "lines": len(rows),
        "key_lines": tp + fn,
        "precision": round(tp / max(1, tp + fp), 4),
        "recall": round(tp / max(1, tp + fn), 4),
        "key_recall": round(keys_found / max(1, keys_total), 4),
        "false_deletions": false_deletions,
        "misses": misses,
    }


def adversarial_messages(length: int = 4096) -> dict[str, str]:
    """Messages of ``length`` characters built to make a matcher work hard."""
    rng = random.Random(4096)

    def fill(unit: str) -> str:
        return (unit * (length // len(unit) + 1))[:length]

    keys = " ".join(
        "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(4))
        for _ in range(length // 5 + 1)
    )
    return {
        "A-A-A…": fill("A-"),
        "digits": fill("1"),
        "A1A1… one token": fill("A1"),
        "A1-A1-…": fill("A1-"),
        "mixed letters and separators": "".join(rng.choice("AB12- _.") for _ in range(length)),
        "AB12 AB12 … (rejected key shapes)": fill("AB12 "),
        "ABCD-ABCD-… (glued groups)": fill("ABCD-"),
        "random groups, spaced (keys everywhere)": keys[:length],
        "full width ＸＨ７Ｋ－…": fill("ＸＨ７Ｋ－９Ｐ２Ｍ－"),
        "a.a.a.… (link-like)": fill("a."),
        "https://a.a.a…": "https://" + fill("a.")[: length - 8],
        "1 - 1 - …": fill("1 - "),
        "Chinese chat with a key": fill(CHAT_WITH_KEY),
    }


def time_messages(
    detector: CardKeyDetector, messages: dict[str, str], repeat: int
) -> dict[str, Any]:
    """p50 and max milliseconds of ``detector.mask`` per message, after one warm-up call."""
    detector.mask("ＸＨ７Ｋ warm-up: builds the folding table once")
    cases: dict[str, dict[str, float]] = {}
    gc.collect()
    for name, text in messages.items():
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            detector.mask(text)
            times.append((time.perf_counter() - start) * 1000)
        cases[name] = {
            "p50_ms": round(statistics.median(times), 3),
            "max_ms": round(max(times), 3),
        }
    return {
        "length": max((len(text) for text in messages.values()), default=0),
        "repeat": repeat,
        "cases": cases,
        "worst_p50_ms": max((c["p50_ms"] for c in cases.values()), default=0.0),
        "worst_max_ms": max((c["max_ms"] for c in cases.values()), default=0.0),
    }


def run(length: int = 4096, repeat: int = 50, path: Path = LABELLED) -> dict[str, Any]:
    detector = default_detector()
    return {
        "machine": machine(),
        "accuracy": score_labelled(detector, load_labelled(path)),
        "timing": time_messages(detector, adversarial_messages(length), repeat),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument("--length", type=int, default=4096, help="characters per message")
    parser.add_argument("--repeat", type=int, default=50, help="timed calls per message")
    args = parser.parse_args(argv)
    result = run(args.length, args.repeat)
    acc, timing = result["accuracy"], result["timing"]
    print(f"card-key detector on {result['machine']}")
    print(
        f"labelled set: {acc['lines']} lines ({acc['key_lines']} with keys): "
        f"precision {acc['precision']:.4f}, recall {acc['recall']:.4f} "
        f"(per key {acc['key_recall']:.4f}), false deletions {len(acc['false_deletions'])}"
    )
    for text in acc["misses"]:
        print(f"  missed: {text!r}")
    for text in acc["false_deletions"]:
        print(f"  deleted but not a key: {text!r}")
    print(f"mask() on {timing['length']}-character messages, {timing['repeat']} calls each:")
    width = max(len(name) for name in timing["cases"])
    for name, case in timing["cases"].items():
        print(f"  {name:<{width}}  p50 {case['p50_ms']:7.3f} ms  max {case['max_ms']:7.3f} ms")
    print(f"worst: p50 {timing['worst_p50_ms']} ms, max {timing['worst_max_ms']} ms")
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
