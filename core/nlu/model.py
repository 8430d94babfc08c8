"""A sparse multinomial logistic-regression model (runtime side: load, save, predict).

The model is trained offline by ``python -m core.nlu.train`` and shipped as
``data/model.json``. Scoring a message costs one dictionary lookup and one 15-wide vector
addition per feature, i.e. tens of microseconds in pure Python.

Each message is a binary feature vector scaled to unit L2 length (only features the model
knows count), so a long narrative does not get more confident just by being long. Logits are
divided by a temperature fitted on cross-validated predictions, so the top probability is an
honest-ish confidence: the engine reads < 0.5 as "not sure".
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["MODEL_FORMAT", "LinearModel", "ModelFormatError"]

MODEL_FORMAT = 1


class ModelFormatError(ValueError):
    """The model file is missing, unreadable or of another format."""


@dataclass(slots=True)
class LinearModel:
    """Softmax over ``labels`` of ``bias + scale * sum(weights[f])``, divided by temperature."""

    labels: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    temperature: float = 1.0
    meta: dict[str, Any] = field(default_factory=dict)

    def logits(self, features: Iterable[str]) -> list[float]:
        """Raw (temperature-free) class scores for a set of features."""
        get = self.weights.get
        rows = [row for row in map(get, features) if row is not None]
        if not rows:
            return list(self.bias)
        scale = 1.0 / math.sqrt(len(rows))
        # Column sums: the per-label totals without building a 15-wide list per feature.
        columns = zip(*rows, strict=True)
        return [b + scale * sum(column) for b, column in zip(self.bias, columns, strict=True)]

    def probabilities(self, features: Iterable[str]) -> list[float]:
        """Class probabilities (same order as ``labels``)."""
        return softmax(self.logits(features), self.temperature)

    # -- persistence ---------------------------------------------------------------------

    def to_json(self) -> str:
        """Serialise (weights rounded to 4 decimals, one feature per line for readable diffs)."""
        head = {
            "format": MODEL_FORMAT,
            "labels": list(self.labels),
            "bias": [round(b, 4) for b in self.bias],
            "temperature": round(self.temperature, 4),
            "meta": self.meta,
        }
        lines = ["{", f'"head": {json.dumps(head, ensure_ascii=False, sort_keys=True)},']
        lines.append('"weights": {')
        rows = sorted(self.weights.items())
        for i, (feat, row) in enumerate(rows):
            sep = "," if i < len(rows) - 1 else ""
            values = ",".join(_fmt(w) for w in row)
            lines.append(f"{json.dumps(feat, ensure_ascii=False)}: [{values}]{sep}")
        lines.append("}}")
        return "\n".join(lines) + "\n"

    def save(self, path: Path) -> None:
        """Write the model to ``path`` (UTF-8 JSON)."""
        path.write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        """Read a model written by :meth:`save`; raises ModelFormatError on any problem."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            head = raw["head"]
            if head["format"] != MODEL_FORMAT:
                raise ModelFormatError(f"{path}: model format {head['format']!r} unsupported")
            labels = tuple(str(x) for x in head["labels"])
            weights = {str(k): tuple(v) for k, v in raw["weights"].items()}
            model = cls(
                labels=labels,
                bias=tuple(float(b) for b in head["bias"]),
                weights=weights,
                temperature=float(head["temperature"]),
                meta=dict(head.get("meta", {})),
            )
        except ModelFormatError:
            raise
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelFormatError(f"{path}: cannot read model: {exc}") from exc
        width = len(labels)
        if len(model.bias) != width or any(len(r) != width for r in weights.values()):
            raise ModelFormatError(f"{path}: weight rows do not match the {width} labels")
        return model


def softmax(logits: Sequence[float], temperature: float = 1.0) -> list[float]:
    """Numerically stable softmax of ``logits / temperature``."""
    top = max(logits)
    exps = [math.exp((x - top) / temperature) for x in logits]
    total = sum(exps)
    return [e / total for e in exps]


def _fmt(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
