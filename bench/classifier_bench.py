"""Benchmark of the intent classifier: accuracy, per-intent P/R/F1, load time, latency.

Usage::

    python bench/classifier_bench.py [--json] [--errors] [--repeat N] [--dev F] [--holdout F]

Prints accuracy on the shared dev set (``../shared/eval/intents_dev.jsonl``) and on the
project's held-out set (``tests/data/intents_holdout.jsonl``), a precision/recall/F1 table per
intent for each, the time to import and build the default classifier, and the median and p99
time per message over many repetitions. With ``--json`` the last line of output is a single
JSON object with the same figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

DEFAULT_DEV = REPO_ROOT.parent / "shared" / "eval" / "intents_dev.jsonl"
DEFAULT_HOLDOUT = REPO_ROOT / "tests" / "data" / "intents_holdout.jsonl"


def load_jsonl(path: Path) -> list[tuple[str, str]]:
    """(text, intent) pairs from a JSONL file."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                obj = json.loads(line)
                rows.append((str(obj["text"]), str(obj["intent"])))
    return rows


def per_intent_scores(
    gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]
) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support per label."""
    out: dict[str, dict[str, float]] = {}
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p == lab)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != lab and p == lab)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p != lab)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[lab] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": tp + fn,
        }
    return out


def print_table(name: str, scores: dict[str, dict[str, float]]) -> None:
    """A fixed-width P/R/F1 table."""
    print(f"\n{name}: per-intent precision / recall / F1")
    print(f"  {'intent':<18} {'prec':>6} {'recall':>6} {'F1':>6} {'n':>4}")
    for lab, s in scores.items():
        print(
            f"  {lab:<18} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} "
            f"{int(s['support']):>4}"
        )


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of an ascending sequence."""
    if not sorted_values:
        return 0.0
    rank = max(1, min(len(sorted_values), round(q / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; returns the process exit code."""
    parser = argparse.ArgumentParser(description="Intent classifier benchmark")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument("--errors", action="store_true", help="list misclassified lines")
    parser.add_argument("--repeat", type=int, default=100, help="timing passes over the data")
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--holdout", type=Path, default=DEFAULT_HOLDOUT)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    from core.nlu.classifier import IntentClassifier
    from core.nlu.intents import ALL_INTENTS

    imported = time.perf_counter()
    clf = IntentClassifier.default()
    built = time.perf_counter()
    import_ms = (imported - started) * 1000
    build_ms = (built - imported) * 1000
    print(
        f"load: {import_ms + build_ms:.1f} ms (imports {import_ms:.1f} ms, model {build_ms:.1f} ms)"
    )

    result: dict[str, Any] = {
        "load_ms": round(import_ms + build_ms, 1),
        "import_ms": round(import_ms, 1),
        "build_ms": round(build_ms, 1),
    }
    all_texts: list[str] = []
    for name, path in (("dev", args.dev), ("holdout", args.holdout)):
        if not path.exists():
            print(f"\n{name}: {path} not found, skipped")
            result[f"{name}_accuracy"] = None
            continue
        rows = load_jsonl(path)
        texts = [t for t, _ in rows]
        gold = [g for _, g in rows]
        preds = clf.classify_many(texts)
        pred = [p.intent for p in preds]
        correct = sum(1 for g, p in zip(gold, pred, strict=True) if g == p)
        accuracy = correct / len(rows)
        print(f"\n{name}: accuracy {accuracy:.4f} ({correct}/{len(rows)}) on {path}")
        if args.errors:
            for text, g, p in zip(texts, gold, preds, strict=True):
                if g != p.intent:
                    print(f"  {g:>18} -> {p.intent:<18} {p.score:.2f}  {text}")
        scores = per_intent_scores(gold, pred, ALL_INTENTS)
        print_table(name, scores)
        result[f"{name}_accuracy"] = round(accuracy, 4)
        result[f"{name}_size"] = len(rows)
        result[f"{name}_per_intent"] = scores
        all_texts.extend(texts)

    if all_texts:
        timings: list[float] = []
        # rank(text, 1) is classify without its memo: every call pays the full cost, as a
        # text seen for the first time does (repeated rounds would otherwise time the memo).
        rank = clf.rank
        clock = time.perf_counter_ns
        for _ in range(max(1, args.repeat)):
            for text in all_texts:
                t0 = clock()
                rank(text, 1)
                timings.append((clock() - t0) / 1000)
        timings.sort()
        median = statistics.median(timings)
        p99 = percentile(timings, 99)
        print(
            f"\nlatency over {len(timings)} calls: median {median:.1f} µs, "
            f"p99 {p99:.1f} µs, max {timings[-1]:.1f} µs"
        )
        result.update(
            us_per_message_median=round(median, 1),
            us_per_message_p99=round(p99, 1),
            timed_calls=len(timings),
        )
    if args.json:
        print(json.dumps(result, ensure_ascii=False, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
