"""Offline trainer for the intent model: ``python -m core.nlu.train [--check] [--folds K]``.

Reads ``data/train.jsonl`` and writes ``data/pinyin.txt`` (the character → pinyin table, from
pypinyin) and ``data/model.json`` (the weights). The model records a fingerprint of its inputs;
``IntentClassifier.default()`` compares it and retrains in-process (slowly, with a warning) if
someone edited the training data without re-running this command. ``--check`` only verifies
that the shipped files are current (exit code 1 if not), for CI.

Training is plain stochastic gradient descent on the multinomial logistic loss with L2
shrinkage, in pure Python: a few seconds for ~1,500 messages. Before training, the data is
augmented so the model learns what buyers do but the hand-written examples cannot all show:

* a pinyin-only copy of every short message ("shouhou zainali"), so pinyin features alone
  carry enough weight for Latin-typed questions;
* a copy of some messages wrapped in neutral filler ("不好意思打扰一下，… 在线等"), so polite
  padding and narrative openings do not sway the intent.

A K-fold cross-validation (augmentation inside each training fold only) estimates accuracy
and fits the softmax temperature on out-of-fold predictions, so scores are calibrated.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from operator import add
from pathlib import Path

from core.nlu.features import (
    DATA_DIR,
    FEATURE_VERSION,
    PINYIN_TABLE_PATH,
    FeatureExtractor,
    PinyinTable,
)
from core.nlu.intents import ALL_INTENTS
from core.nlu.lexicon import ENGLISH_LEXICON, VARIANT_FOLDS
from core.nlu.model import LinearModel, softmax

__all__ = [
    "MODEL_PATH",
    "TRAIN_PATH",
    "Example",
    "TrainConfig",
    "build_pinyin_mapping",
    "fingerprint",
    "load_examples",
    "train_model",
]

TRAIN_PATH = DATA_DIR / "train.jsonl"
MODEL_PATH = DATA_DIR / "model.json"

# Readings that differ from pypinyin's first reading in this domain (多长时间, 重新充值).
_PINYIN_OVERRIDES = {"长": "chang", "重": "chong"}

_FILLER_PREFIXES = (
    "你好，",
    "您好，",
    "不好意思打扰一下，",
    "麻烦问一下，",
    "请问一下，",
    "我是老顾客了，",
    "帮朋友问一下，",
    "在吗？",
    "hello，",
    "我想问问，",
    "那个，",
    "打扰了，",
)
_FILLER_SUFFIXES = (
    "，谢谢",
    "，在线等",
    "，急",
    "，麻烦了",
    "🙏",
    "！！",
    "，谢谢啦",
    "？",
    "，辛苦了",
    "。",
)


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled message."""

    text: str
    intent: str


@dataclass(frozen=True, slots=True)
class TrainConfig:
    """Hyper-parameters (chosen by cross-validation on the training data)."""

    epochs: int = 50
    learning_rate: float = 1.0
    decay: float = 1e-4
    l2: float = 3e-3
    min_df: int = 2
    prune_below: float = 0.003
    pinyin_copy_max_chars: int = 16
    filler_share: float = 0.35
    class_balance: float = 0.5
    seed: int = 20240601


def load_examples(path: Path) -> list[Example]:
    """Read a JSONL file of ``{"text", "intent"}`` objects (blank lines ignored)."""
    out: list[Example] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                text, intent = obj["text"], obj["intent"]
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{lineno}: bad line: {exc}") from exc
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"{path}:{lineno}: empty text")
            if intent not in ALL_INTENTS:
                raise ValueError(f"{path}:{lineno}: unknown intent {intent!r}")
            out.append(Example(text, intent))
    return out


def fingerprint(train_path: Path | None = None, table_path: Path | None = None) -> str:
    """Hash of everything the weights depend on: data, pinyin table, lexicon, feature version.

    Paths default to the module's ``TRAIN_PATH`` and ``PINYIN_TABLE_PATH`` at call time.
    """
    digest = hashlib.sha256(f"features-v{FEATURE_VERSION}\n".encode())
    for path in (train_path or TRAIN_PATH, table_path or PINYIN_TABLE_PATH):
        digest.update(path.read_bytes())
    lexicon = json.dumps([VARIANT_FOLDS, ENGLISH_LEXICON], ensure_ascii=False, sort_keys=True)
    digest.update(lexicon.encode())
    return digest.hexdigest()


def build_pinyin_mapping(extra_text: str = "") -> dict[str, str]:
    """Character → toneless pinyin for GB2312's 6,763 Han characters plus ``extra_text``."""
    from pypinyin import Style, pinyin  # heavy import, training time only

    chars: set[str] = set()
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    chars.update(ch for ch in extra_text if "\u3400" <= ch <= "\u9fff")
    mapping: dict[str, str] = {}
    for ch in sorted(chars):
        reading = pinyin(ch, style=Style.NORMAL, heteronym=False, errors="ignore")
        if reading and reading[0] and reading[0][0].isascii() and reading[0][0].isalpha():
            mapping[ch] = reading[0][0]
    mapping.update(_PINYIN_OVERRIDES)
    return mapping


def augment(
    examples: Sequence[Example], extractor: FeatureExtractor, config: TrainConfig, seed: int
) -> list[Example]:
    """The examples plus pinyin-only and filler-wrapped copies (see module docstring)."""
    rng = random.Random(seed)
    out = list(examples)
    for ex in examples:
        han = sum(1 for kind, _ in extractor.units(ex.text) if kind == "h")
        if 2 <= han <= config.pinyin_copy_max_chars:
            typed = extractor.pinyin_text(ex.text)
            if typed and typed != ex.text:
                out.append(Example(typed, ex.intent))
        if rng.random() < config.filler_share:
            prefix = rng.choice(_FILLER_PREFIXES) if rng.random() < 0.7 else ""
            suffix = rng.choice(_FILLER_SUFFIXES) if not prefix or rng.random() < 0.4 else ""
            out.append(Example(prefix + ex.text + suffix, ex.intent))
    return out


def _vectorise(
    examples: Sequence[Example], extractor: FeatureExtractor, min_df: int
) -> tuple[list[str], list[list[int]]]:
    feature_sets = [extractor.features(ex.text) for ex in examples]
    df: Counter[str] = Counter()
    for feats in feature_sets:
        df.update(feats)
    vocab = sorted(f for f, n in df.items() if n >= min_df)
    index = {f: i for i, f in enumerate(vocab)}
    rows = [sorted(index[f] for f in feats if f in index) for feats in feature_sets]
    return vocab, rows


def _sgd(
    rows: Sequence[list[int]],
    targets: Sequence[int],
    n_features: int,
    n_classes: int,
    config: TrainConfig,
    seed: int,
) -> tuple[list[float], list[list[float]]]:
    weights = [[0.0] * n_classes for _ in range(n_features)]
    bias = [0.0] * n_classes
    order = list(range(len(rows)))
    rng = random.Random(seed)
    step_count = 0
    # Per-class loss weights (n_mean / n_class) ** class_balance: 0 = none, 1 = fully balanced.
    counts = Counter(targets)
    mean = len(targets) / len(counts)
    class_weight = [
        (mean / counts[k]) ** config.class_balance if counts[k] else 1.0 for k in range(n_classes)
    ]
    for _epoch in range(config.epochs):
        rng.shuffle(order)
        for i in order:
            feats = rows[i]
            acc = [0.0] * n_classes
            for f in feats:
                acc = list(map(add, acc, weights[f]))
            scale = 1.0 / math.sqrt(len(feats)) if feats else 0.0
            grad = softmax([b + scale * a for b, a in zip(bias, acc, strict=True)])
            grad[targets[i]] -= 1.0
            eta = class_weight[targets[i]] * config.learning_rate
            eta /= 1.0 + config.decay * step_count
            step_count += 1
            bias = [b - eta * g for b, g in zip(bias, grad, strict=True)]
            step = [eta * scale * g for g in grad]
            shrink = 1.0 - eta * config.l2
            for f in feats:
                weights[f] = [w * shrink - s for w, s in zip(weights[f], step, strict=True)]
    return bias, weights


def _fit(
    examples: Sequence[Example], extractor: FeatureExtractor, config: TrainConfig, seed: int
) -> LinearModel:
    labels = ALL_INTENTS
    label_index = {lab: i for i, lab in enumerate(labels)}
    data = augment(examples, extractor, config, seed)
    vocab, rows = _vectorise(data, extractor, config.min_df)
    targets = [label_index[ex.intent] for ex in data]
    bias, weights = _sgd(rows, targets, len(vocab), len(labels), config, seed)
    kept = {
        feat: tuple(row)
        for feat, row in zip(vocab, weights, strict=True)
        if max(abs(w) for w in row) >= config.prune_below
    }
    return LinearModel(labels=labels, bias=tuple(bias), weights=kept)


def cross_validate(
    examples: Sequence[Example], extractor: FeatureExtractor, config: TrainConfig, folds: int
) -> tuple[float, float, list[tuple[Example, str]]]:
    """Stratified K-fold: (accuracy, best temperature, misclassified (example, predicted))."""
    rng = random.Random(config.seed)
    by_label: dict[str, list[int]] = {}
    for i, ex in enumerate(examples):
        by_label.setdefault(ex.intent, []).append(i)
    fold_of = [0] * len(examples)
    for indices in by_label.values():
        rng.shuffle(indices)
        for pos, i in enumerate(indices):
            fold_of[i] = pos % folds
    oof: list[tuple[list[float], int]] = []
    errors: list[tuple[Example, str]] = []
    correct = 0
    for k in range(folds):
        train = [ex for i, ex in enumerate(examples) if fold_of[i] != k]
        model = _fit(train, extractor, config, config.seed + k)
        for i, ex in enumerate(examples):
            if fold_of[i] != k:
                continue
            logits = model.logits(extractor.features(ex.text))
            gold = model.labels.index(ex.intent)
            oof.append((logits, gold))
            pred = max(range(len(logits)), key=logits.__getitem__)
            if pred == gold:
                correct += 1
            else:
                errors.append((ex, model.labels[pred]))
    temperature = _fit_temperature(oof)
    return correct / len(examples), temperature, errors


def _fit_temperature(oof: Sequence[tuple[list[float], int]]) -> float:
    best_t, best_nll = 1.0, math.inf
    for step in range(5, 61):
        t = step / 20
        nll = -sum(math.log(max(softmax(lg, t)[gold], 1e-12)) for lg, gold in oof)
        if nll < best_nll:
            best_t, best_nll = t, nll
    return best_t


def train_model(
    examples: Sequence[Example],
    extractor: FeatureExtractor,
    config: TrainConfig = TrainConfig(),
    *,
    temperature: float = 1.0,
    train_fingerprint: str = "",
) -> LinearModel:
    """Train on all ``examples`` and return the model (weights pruned, metadata filled)."""
    model = _fit(examples, extractor, config, config.seed)
    model.temperature = temperature
    model.meta = {
        "fingerprint": train_fingerprint,
        "examples": len(examples),
        "features": len(model.weights),
        "config": {k: getattr(config, k) for k in config.__slots__},
    }
    return model


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--folds", type=int, default=5, help="CV folds (0: skip, T=1)")
    parser.add_argument("--check", action="store_true", help="only check files are current")
    parser.add_argument("--errors", action="store_true", help="print CV errors")
    args = parser.parse_args(argv)

    if args.check:
        try:
            shipped = LinearModel.load(MODEL_PATH).meta.get("fingerprint")
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 1
        if shipped != fingerprint():
            print("model.json is stale: run `python -m core.nlu.train`", file=sys.stderr)
            return 1
        print("model.json is current")
        return 0

    examples = load_examples(TRAIN_PATH)
    mapping = build_pinyin_mapping("".join(ex.text for ex in examples) + str(VARIANT_FOLDS))
    PinyinTable.dump(mapping, PINYIN_TABLE_PATH)
    extractor = FeatureExtractor(PinyinTable.load(PINYIN_TABLE_PATH))
    counts = Counter(ex.intent for ex in examples)
    print(f"{len(examples)} examples: " + ", ".join(f"{k}={counts[k]}" for k in ALL_INTENTS))

    config = TrainConfig()
    temperature = 1.0
    if args.folds > 1:
        started = time.perf_counter()
        accuracy, temperature, errors = cross_validate(examples, extractor, config, args.folds)
        took = time.perf_counter() - started
        print(
            f"{args.folds}-fold CV accuracy {accuracy:.4f}, temperature {temperature} ({took:.1f}s)"
        )
        if args.errors:
            for ex, pred in errors:
                print(f"  {ex.intent:>18} -> {pred:<18} {ex.text}")
    started = time.perf_counter()
    model = train_model(
        examples, extractor, config, temperature=temperature, train_fingerprint=fingerprint()
    )
    model.save(MODEL_PATH)
    print(
        f"wrote {MODEL_PATH} ({len(model.weights)} features, {time.perf_counter() - started:.1f}s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
