"""The guard's generated pinyin table: current, equal to pypinyin's reading, and the only
pinyin source of a running bot (pypinyin's dictionary is not loaded at run time)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
import regex
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT

from core.guard.pinyin import TABLE_PATH, build_table_text, han_pinyin, table

REPO = Path(__file__).resolve().parents[1]
HAN_RUN = regex.compile(r"\p{Han}+")


def test_the_shipped_table_is_current() -> None:
    assert TABLE_PATH.read_text(encoding="utf-8") == build_table_text(), (
        "core/guard/data/pinyin.tsv is stale: run `python -m core.guard.pinyin`"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("银行客服", ["yin", "hang", "ke", "fu"]),  # 行 in a phrase
        ("行", ["xing"]),  # and alone
        ("重庆", ["chong", "qing"]),
        ("音乐", ["yin", "yue"]),
        ("官芳客服", ["guan", "fang", "ke", "fu"]),
        ("售后", ["shou", "hou"]),
        ("女", ["nv"]),
    ],
)
def test_readings_in_phrase_context(text: str, expected: list[str]) -> None:
    assert han_pinyin(text) == expected


def _han_runs_of_eval_and_holdout_names() -> list[str]:
    runs: list[str] = []
    for path in (
        REPO.parent / "shared" / "eval" / "impostor_names_dev.jsonl",
        REPO / "tests" / "data" / "names_holdout.jsonl",
    ):
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    runs += HAN_RUN.findall(json.dumps(json.loads(line), ensure_ascii=False))
    return runs


def test_same_reading_as_pypinyin_on_names_and_random_phrase_chains() -> None:
    rng = random.Random(20261124)
    phrases = sorted(PHRASES_DICT)
    chars = sorted(table().chars)
    chains = [
        "".join(
            rng.choice(phrases) if rng.random() < 0.7 else rng.choice(chars)
            for _ in range(rng.randint(1, 4))
        )
        for _ in range(5000)
    ]
    runs = _han_runs_of_eval_and_holdout_names() + chains
    assert len(runs) > 5000
    differing = [r for r in runs if han_pinyin(r) != lazy_pinyin(r, style=Style.NORMAL)]
    assert differing == []


def test_a_running_guard_does_not_load_pypinyin() -> None:
    code = (
        "import sys\n"
        "import bots.app, bots.cli\n"
        "from core.guard import normalize_name\n"
        "assert normalize_name('银行客服').pinyin == 'yinhangkefu'\n"
        "print('pypinyin' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
