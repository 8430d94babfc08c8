"""The console channel as an operator runs it: a real ``python -m bots chat`` process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.helpers import run_cli

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
    return run_cli("chat", *args, stdin=stdin, cwd=workdir)


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


def _read_until(proc: subprocess.Popen[str], marker: str, timeout: float = 60) -> str:
    """Read the process's stdout line by line until ``marker`` shows up."""
    import select
    import time

    assert proc.stdout is not None
    seen = ""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"timed out waiting for {marker!r}; got {seen!r}"
        ready, _, _ = select.select([proc.stdout], [], [], remaining)
        if ready:
            line = proc.stdout.readline()
            assert line, f"process ended before {marker!r}; got {seen!r}"
            seen += line
    return seen


def test_conversation_resumes_after_the_process_is_killed(workdir: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bots", "chat", "--user", "buyer-7"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=workdir,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert proc.stdin is not None
        proc.stdin.write("/verify\n")
        proc.stdin.flush()
        _read_until(proc, "请发送要核实")
    finally:
        proc.kill()  # SIGKILL: no shutdown code runs
        proc.wait(timeout=30)
    assert proc.returncode == -9
    resumed = chat(workdir, "@xinghe_support\n", "--user", "buyer-7")
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.startswith("✅") and "官方" in resumed.stdout


def test_scripted_complaint_creates_a_ticket_and_reaches_the_demo_shop(workdir: Path) -> None:
    from adapters.shop.demo_data import DEMO_ORDER_NOS

    script = "\n".join(
        [
            "/complain",
            "1",
            DEMO_ORDER_NOS["delivered_card_used"],
            "昨天下午3点",
            "卡密已被使用",
            "[图片] shot.png",
            "#1",
            "/ticket",
        ]
    )
    result = chat(workdir, script + "\n", "--user", "buyer-9")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "已查到你的订单" in out and "请确认投诉内容" in out and "已上传" in out
    assert "已提交工单 T-240001" in out and "T-240001 · 卡密无效" in out
    import sqlite3

    with sqlite3.connect(workdir / "data" / "demo_shop.db") as shop_db:
        # The outbox handed the ticket to the shop before the chat exited: exactly once.
        [(count,)] = shop_db.execute("SELECT COUNT(*) FROM demo_tickets").fetchall()
        assert count == 1


def test_console_reissue_once_and_card_key_removed_in_group(workdir: Path) -> None:
    from adapters.shop.demo_data import DEMO_CARD_KEYS, DEMO_ORDER_NOS

    order_no = DEMO_ORDER_NOS["failed_card_eligible"]
    result = chat(workdir, f"/order {order_no}\n#1\n#1\n", "--user", "gamer-1")
    assert result.stdout.count("已提交极速补发") == 1 and "不会重复补发" in result.stdout
    key = DEMO_CARD_KEYS["unused"]
    group = chat(workdir, f"帮我看看 {key}\n", "--user", "gamer-2", "--group")
    assert "(已删除消息 1)" in group.stdout and "已删除你在群里发的卡密" in group.stdout
    assert key not in group.stdout


def test_each_intent_leads_to_its_action_through_the_console(workdir: Path) -> None:
    """Piped into `python -m bots chat`, one message per intent family."""
    from adapters.shop.demo_data import DEMO_ORDER_NOS

    lines = {
        "find_support": ("售後在哪裡", "400-800-1234"),
        "complaint": ("我要投诉", "问题类型"),
        "cancel": ("/cancel", "已取消"),
        "ticket_status": ("我的工单进度怎么样了", "还没有工单"),
        "verify_official": ("有人加我说是官方客服,是真的吗", "请发送要核实"),
        "cancel2": ("/cancel", "已取消"),
        "card_usage": ("卡密在哪里兑换", "👍 解决了"),
        "recharge_progress": (f"充值多久到账 {DEMO_ORDER_NOS['processing_topup']}", "充值中"),
        "escalate": ("一直没人回,找你们主管", "没有处理中的工单"),
        "bulk_purchase": ("我们公司想批量采购,有企业对接吗", "王经理"),
        "other": ("今天天气真好", "/help"),
    }
    result = chat(
        workdir, "".join(text + "\n" for text, _ in lines.values()), "--user", "intents-1"
    )
    assert result.returncode == 0, result.stderr
    blocks = [b for b in result.stdout.split("\n\n") if b.strip()]
    position = 0
    for name, (_, expected) in lines.items():
        found = next((i for i in range(position, len(blocks)) if expected in blocks[i]), None)
        assert found is not None, f"{name}: {expected!r} not answered after block {position}"
        position = found + 1
