"""The console channel as an operator runs it: a real ``python -m bots chat`` process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

CHANNEL_VALUES = [
    "https://www.xinghe-kameng.example/support",
    "https://www.xinghe-kameng.example/tickets",
    "400-800-1234",
    "support@xinghe-kameng.example",
]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A working directory with the demo config, as a fresh install has."""
    (tmp_path / "config.toml").write_text(
        (REPO / "config.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return tmp_path


def chat(workdir: Path, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bots", "chat", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=workdir,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def test_piped_support_questions_print_every_official_channel(workdir: Path) -> None:
    result = chat(workdir, "售后在哪\n/support\n")
    assert result.returncode == 0, result.stderr
    for value in CHANNEL_VALUES:
        assert result.stdout.count(value) >= 2  # once per question
    assert "Traceback" not in result.stderr
    assert (workdir / "data" / "bot.db").exists()  # the embedded default database


def test_group_mode_answers_briefly_and_the_private_button_works(workdir: Path) -> None:
    result = chat(workdir, "售后在哪\n#1\n", "--group", "--name", "小王")
    assert result.returncode == 0, result.stderr
    first, _, rest = result.stdout.partition("\n\n")
    assert "私聊获取帮助" in first and len(first.splitlines()) <= 4
    assert "【私聊】" not in first
    assert rest.startswith("【私聊】") and "售后助手" in rest  # the deep link opened the DM
    assert CHANNEL_VALUES[2] in rest


def test_empty_input_exits_cleanly(workdir: Path) -> None:
    result = chat(workdir, "")
    assert result.returncode == 0 and result.stdout == ""
