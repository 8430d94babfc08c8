"""The impostor guard through the console channel, as an operator would try it:
several ``python -m bots chat`` processes sharing one database, in two groups."""

from __future__ import annotations

from pathlib import Path

from tests.test_console_cli import chat, workdir  # noqa: F401 - the fixture is used by name

WARNING = "不是星河卡盟的官方账号"


def test_flags_are_audited_refused_for_members_and_scoped_to_the_group(workdir: Path) -> None:  # noqa: F811
    scammer = ("--user", "scam01", "--name", "小李", "--group")
    assert chat(workdir, "大家好\n", *scammer, "--chat", "group").returncode == 0

    refused = chat(
        workdir, "/flag @scam01 冒充客服\n", "--user", "bob", "--group", "--chat", "group"
    )
    assert "只有本群管理员" in refused.stdout

    no_reason = chat(
        workdir, "/flag @scam01\n", "--user", "boss", "--group", "--moderator", "--chat", "group"
    )
    assert "请写明原因" in no_reason.stdout

    # The admin of a group the bot does not serve is nobody's moderator.
    stranger = chat(
        workdir, "/flag @scam01 乱标\n", "--user", "eve", "--group", "--moderator", "--chat", "g9"
    )
    assert "没有把本群列为它服务的社区" in stranger.stdout

    flagged = chat(
        workdir,
        "/flag @scam01 冒充客服骗卡密\n/flags\n",
        "--user",
        "boss",
        "--name",
        "群主",
        "--group",
        "--moderator",
        "--chat",
        "group",
    )
    assert "已将小李（控制台 @scam01）标记为冒充者（案件 #" in flagged.stdout
    # the case lists reason, moderator and time
    assert "原因：冒充客服骗卡密；群主于" in flagged.stdout

    # The scammer rejoins the group: warned about there; in another group the flag of this
    # group's admin does not apply (only a global moderator's flags apply everywhere).
    again = chat(workdir, "", *scammer, "--chat", "group", "--join")
    assert WARNING in again.stdout and "@xinghe_support" in again.stdout
    second_group = chat(workdir, "", *scammer, "--chat", "g2", "--join")
    assert WARNING not in second_group.stdout

    # A buyer who asks in private is warned about a flag of the shop's own community.
    verify = chat(workdir, "/verify @scam01\n")
    assert "已被管理员标记为冒充者" in verify.stdout


def test_impostor_name_joining_is_warned_and_benign_name_is_not(workdir: Path) -> None:  # noqa: F811
    impostor = chat(
        workdir, "", "--user", "x1", "--name", "星河卡盟官方客服\u200b", "--group", "--join"
    )
    assert WARNING in impostor.stdout
    fan = chat(workdir, "", "--user", "x2", "--name", "星河老玩家", "--group", "--join")
    assert fan.stdout == ""


def test_verify_each_kind_of_handle_through_the_console(workdir: Path) -> None:  # noqa: F811
    result = chat(
        workdir,
        "/verify @xinghe_support\n/verify 400 800 1234\n/verify https://www.xinghe-kameng.example/x\n"
        "/verify support@xinghe-kameng.example\n/verify QQ 10001\n/verify 微信 kefu_xh\n"
        "/verify https://xinghe-kameng.example.top\n",
    )
    answers = [block for block in result.stdout.split("\n\n") if block.strip()]
    assert [a[0] for a in answers] == ["✅", "✅", "✅", "✅", "❌", "❌", "❌"]
