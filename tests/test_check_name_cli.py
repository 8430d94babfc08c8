"""`python -m bots check-name` over the shared dev names: 100% recall, 0% false positives;
and the same rules as `NameGuard` (issue 20, finding 5) with the repository's config."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import IN_CI, REPO, SHARED_EVAL
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


def test_check_name_cli_applies_the_bidi_decoration_and_weak_word_rules() -> None:
    names = {
        "\u202e服客方官盟卡河星": True,  # right-to-left override, judged as displayed
        "星河卡盟官方客服(假冒必究)": True,  # a disclaimer does not cancel the claim
        "星河卡盟售后-您的专属顾问": True,
        "星河卡盟人工": True,  # weak and English role words next to the brand
        "Xinghe Customer Care": True,
        "xinghe_help": True,
        "GF星河": True,
        "星河老玩家": False,  # fans and ordinary names
        "Staffy_Dog": False,
        "Guanfang Lake Trip": False,
        "help me": False,
    }
    verdicts = json_lines("check-name", "--config", str(REPO / "config.toml"), lines=list(names))
    got = {v["name"]: v["suspicious"] for v in verdicts}
    assert got == names
    assert "[bidi-visual]" in verdicts[0]["reason"]
