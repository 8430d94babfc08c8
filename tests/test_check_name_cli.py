"""`python -m bots check-name` over the shared dev names: 100% recall, 0% false positives."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import IN_CI, SHARED_EVAL
from tests.helpers import json_lines

DEV_NAMES = SHARED_EVAL / "impostor_names_dev.jsonl"
GUARD_CONFIG = SHARED_EVAL / "guard_config.toml"


def _check_names(names: list[str]) -> list[dict[str, Any]]:
    return json_lines("check-name", "--config", str(GUARD_CONFIG), lines=names)


def test_check_name_cli_on_the_dev_set() -> None:
    if not DEV_NAMES.exists():
        if IN_CI:
            pytest.fail(f"{DEV_NAMES} is missing in CI")
        pytest.skip(f"{DEV_NAMES} not present (shared/ is not beside the repo)")
    rows = [json.loads(line) for line in DEV_NAMES.read_text(encoding="utf-8").splitlines() if line]
    verdicts = _check_names([row["name"] for row in rows])
    assert len(verdicts) == len(rows)
    for row, verdict in zip(rows, verdicts, strict=True):
        assert verdict["name"] == row["name"]  # invisible characters survive the round trip
        assert set(verdict) == {"name", "suspicious", "score", "reason"}
        assert isinstance(verdict["score"], float) and verdict["reason"]
    missed = [
        r["name"]
        for r, v in zip(rows, verdicts, strict=True)
        if r["impostor"] and not v["suspicious"]
    ]
    false_alarms = [
        r["name"]
        for r, v in zip(rows, verdicts, strict=True)
        if not r["impostor"] and v["suspicious"]
    ]
    assert missed == [], f"impostors not caught: {missed}"
    assert false_alarms == [], f"benign names flagged: {false_alarms}"
