"""One console run plays every party (issue 21 item 9), and piping into ``head`` exits quietly
(item 10)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.console.channel import ConsoleChannel
from adapters.shop.demo_data import DEMO_ORDER_NOS
from bots.app import App
from tests.conftest import REPO, AppFactory
from tests.helpers import run_cli
from tests.test_console_cli import chat, workdir  # noqa: F401 - the fixture is used by name

DEMO = f"""\
# 阿狸 complains in private, 客服小雅 answers from the staff chat, 阿狸 rates.
/as buyer
/complain
#卡密无效
{DEMO_ORDER_NOS["delivered_card_used"]}
刚才
卡密已被使用
跳过
#确认提交
/as staff
#接单
/reply T-240001 请问是在哪个平台兑换的？
/as buyer
在官网兑换的
/as staff
/close T-240001 已补发新卡密
/as buyer
#⭐⭐⭐⭐⭐
"""


def blocks(out: str) -> list[str]:
    """The printed messages (a message may itself contain a blank line), typed lines left out."""
    typed = "".join(line for line in out.splitlines(keepends=True) if not line.startswith("» "))
    return [b.strip() for b in typed.split("\n\n") if b.strip()]


def test_a_script_shows_both_sides_each_on_its_screen(workdir: Path) -> None:  # noqa: F811
    (workdir / "demo.txt").write_text(DEMO, encoding="utf-8")
    result = run_cli("chat", "--script", "demo.txt", cwd=workdir)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "» 阿狸（私聊）：/complain" in out and "» 客服小雅（客服群）：#接单" in out
    said = blocks(out)
    assert not [b for b in said if b.startswith(("请选择", "请发送", "已查到", "已发送"))]
    assert any(b.startswith("【客服群】【新工单 T-240001】") for b in said)
    assert any(b.startswith("【阿狸·私聊】✅ 已提交工单 T-240001") for b in said)
    # The staff reply, the close and the rating request reach the buyer's screen.
    assert any(b.startswith("【阿狸·私聊】") and "请问是在哪个平台兑换的？" in b for b in said)
    assert any(
        b.startswith("【客服群】【T-240001 用户回复】") and "在官网兑换的" in b for b in said
    )
    assert any(b.startswith("【阿狸·私聊】") and "请为本次服务打分" in b for b in said)
    assert "感谢你的 5 星评分" in out
    assert "# 阿狸 complains" not in out  # comments are not typed


def test_piped_lines_switch_speakers_too_and_a_moderator_flags(workdir: Path) -> None:  # noqa: F811
    lines = "/as impostor\n/join\n/as moderator\n/flag @xinghe_kefu 冒充客服\n/as buyer\n"
    result = chat(workdir, lines + "/verify @xinghe_kefu\n/as nobody\n")
    assert result.returncode == 0, result.stderr
    said = blocks(result.stdout)
    assert any(b.startswith("【玩家群】") and "不是星河卡盟的官方账号" in b for b in said)
    flagged = "已将星河卡盟官方客服（控制台 @xinghe_kefu）标记为冒充者"
    assert any(b.startswith("【玩家群】") and flagged in b for b in said)
    assert any(b.startswith("【阿狸·私聊】") and "已被管理员标记为冒充者" in b for b in said)
    assert "（控制台）不认识的角色：nobody" in result.stdout


def test_a_missing_script_is_one_line_and_exit_2(workdir: Path) -> None:  # noqa: F811
    result = run_cli("chat", "--script", "nope.txt", cwd=workdir)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "nope.txt" in result.stderr and "Traceback" not in result.stderr


async def test_single_user_output_labels_only_other_parties(app_factory: AppFactory) -> None:
    app: App = await app_factory()
    out = io.StringIO()
    channel = ConsoleChannel(out, user_id="agent", name="小王", group=True, chat_id="staff")
    app.services.channels["console"] = channel
    for line in ("/reply T-240009 你好", "售后在哪"):
        event = channel.to_event(line)
        assert event is not None
        await app.runtime.process(event)
    first, *_ = blocks(out.getvalue())
    assert first.startswith("没有找到工单")  # the speaker's own chat: no label, as before
    assert not channel.labelled
    switched = channel.to_event("/as buyer")
    assert switched is None and channel.labelled and channel.user.id == "ali"
    assert channel.speaker_label == "阿狸（私聊）"


@pytest.mark.parametrize(
    ("verb", "line"),
    [
        ("chat", "/support"),
        ("classify", "我的卡密用不了怎么办，订单号 DD2026112000002，" * 20),
        ("check-name", "星河卡盟官方客服" * 40),
    ],
)
def test_piping_into_head_exits_quietly(
    workdir: Path,  # noqa: F811
    verb: str,
    line: str,
) -> None:
    """More output than a pipe holds, so the writer meets the closed pipe for certain."""
    (workdir / "in.txt").write_text(f"{line}\n" * 150, encoding="utf-8")
    with (workdir / "in.txt").open("rb") as stdin:
        writer = subprocess.Popen(
            [sys.executable, "-m", "bots", verb],
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=workdir,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        assert writer.stdout is not None and writer.stderr is not None
        head = subprocess.Popen(["head", "-1"], stdin=writer.stdout, stdout=subprocess.PIPE)
        writer.stdout.close()  # only head reads it now
        first, _ = head.communicate(timeout=120)
        errors = writer.stderr.read().decode("utf-8", "replace")
        writer.stderr.close()
        assert writer.wait(timeout=120) == 0, errors
    assert len(first.decode("utf-8").splitlines()) == 1
    assert "Traceback" not in errors and "BrokenPipe" not in errors, errors
