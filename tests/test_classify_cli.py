"""`python -m bots classify` over the shared dev set: one JSON line per input, ≥95% right."""

from __future__ import annotations

import json
from typing import Any

import pytest

from core.nlu.intents import ALL_INTENTS
from tests.conftest import IN_CI, SHARED_EVAL
from tests.helpers import json_lines

DEV = SHARED_EVAL / "intents_dev.jsonl"


def classify(lines: list[str]) -> list[dict[str, Any]]:
    return json_lines("classify", lines=lines)


def test_classify_cli_on_the_dev_set() -> None:
    if not DEV.exists():
        if IN_CI:
            pytest.fail(f"{DEV} is missing in CI")
        pytest.skip(f"{DEV} not present (shared/ is not beside the repo)")
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    results = classify([row["text"] for row in rows])
    assert len(results) == len(rows)
    assert all(r["intent"] in ALL_INTENTS and 0 <= float(r["score"]) <= 1 for r in results)  # type: ignore[arg-type]
    correct = sum(r["intent"] == row["intent"] for r, row in zip(results, rows, strict=True))
    assert correct / len(rows) >= 0.95, f"accuracy {correct}/{len(rows)}"
    others = [r for r, row in zip(results, rows, strict=True) if row["intent"] == "other"]
    assert others and all(r["intent"] == "other" for r in others)


def test_out_of_scope_lines_are_other() -> None:
    results = classify(["你好", "今天天气怎么样", "晚上吃什么", "哈哈哈哈", "周末一起打游戏吗"])
    assert [r["intent"] for r in results] == ["other"] * 5
