"""The scenario runner itself: bad files fail clearly, and every kind of check can fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.clock import FakeClock
from tests.scenario_console import ConsoleDriver
from tests.scenario_runner import (
    ScenarioError,
    ScenarioFailure,
    See,
    check,
    fill,
    load_all,
    load_file,
    run_scenario,
)

GOOD_STEP = """
  [[scenario.steps]]
  actor = "buyer"
  chat = "private"
  say = "售后在哪"
"""


def write(tmp_path: Path, text: str, name: str = "journey.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('[[scenario]]\nid = "x"\ntitel = "typo"\n' + GOOD_STEP, "unknown key 'titel'"),
        (
            '[[scenario]]\nid = "x"\n[[scenario.steps]]\nactor = "boss"\nsay = "hi"\n',
            "`actor` is 'boss'",
        ),
        (
            '[[scenario]]\nid = "x"\n[[scenario.steps]]\nactor = "buyer"\nchat = "private"\n',
            "exactly one of",
        ),
        (
            '[[scenario]]\nid = "x"\n[[scenario.steps]]\nactor = "buyer"\nsay = "a"\npress = "b"\n',
            "exactly one of",
        ),
        ('[[scenario]]\nid = "x"\n[[scenario.steps]]\nactor = "buyer"\nsya = "hi"\n', "'sya'"),
        (
            '[[scenario]]\nid = "x"\n'
            + GOOD_STEP
            + '    [[scenario.steps.see]]\n    who = "boss"\n    has = ["a"]\n',
            "`who` is 'boss'",
        ),
        (
            '[[scenario]]\nid = "x"\n'
            + GOOD_STEP
            + '    [[scenario.steps.see]]\n    who = "buyer"\n    hass = ["a"]\n',
            "'hass'",
        ),
        ('[[scenario]]\nid = "x"\nchannels = ["discord"]\n' + GOOD_STEP, "`channels`"),
        ('[[scenario]]\nid = "x"\n', "needs steps"),
        (
            '[[scenario]]\nid = "x"\n[[scenario.steps]]\nactor = "buyer"\nsay = "{order.nope}"\n',
            "order names are",
        ),
        (
            '[[scenario]]\nid = "x"\n[[scenario.steps]]\nactor = "buyer"\nsay = "#确认"\n',
            "use `press`",
        ),
    ],
)
def test_an_invalid_scenario_names_the_file_the_scenario_and_the_problem(
    tmp_path: Path, body: str, problem: str
) -> None:
    path = write(tmp_path, body)
    with pytest.raises(ScenarioError) as caught:
        load_file(path)
    message = str(caught.value)
    assert message.startswith("journey.toml: scenario 'x'"), message
    assert problem in message


def test_ids_are_unique_across_files_and_broken_files_are_reported(tmp_path: Path) -> None:
    scenario = '[[scenario]]\nid = "same"\n' + GOOD_STEP
    write(tmp_path, scenario, "a.toml")
    write(tmp_path, scenario, "b.toml")
    write(tmp_path, "[[scenario]\n", "c.toml")
    scenarios, problems = load_all(tmp_path)
    assert [s.source.name for s in scenarios] == ["a.toml"]
    assert "already used in a.toml" in problems["b.toml"]
    assert "not a readable TOML file" in problems["c.toml"]


def test_defaults_xfail_and_optional_fields(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[scenario]]\nid = "x"\nxfail = { telegram = "bug 21.3" }\n'
        '[[scenario.steps]]\nactor = "member"\njoin = true\n'
        "[[scenario.steps]]\nwait_minutes = 130\n",
    )
    [scenario] = load_file(path)
    assert scenario.channels == ("console", "telegram")
    assert scenario.xfail == {"telegram": "bug 21.3"}
    join, wait = scenario.steps
    assert join.join and join.chat == "group"
    assert wait.wait_minutes == 130.0 and wait.actor == ""


def test_has_lacks_and_silent_each_fail() -> None:
    sent = ["已提交工单 T-240001", "我们承诺 2 小时内首次回复"]
    assert check(See(who="buyer", has=("T-240001", "2 小时")), sent) == []
    assert check(See(who="buyer", has=("转人工",)), sent) == ["buyer: missing '转人工'"]
    assert check(See(who="buyer", lacks=("工单",)), sent) == ["buyer: must not show '工单'"]
    assert check(See(who="buyer", silent=True), sent) == [
        "buyer: expected silence, got 2 message(s)"
    ]
    assert check(See(who="staff", silent=True), []) == []


def test_placeholders() -> None:
    from adapters.shop.demo_data import DEMO_CARD_KEYS, DEMO_ORDER_NOS

    text = fill("{brand} {ticket} {order.paid} {card.used}", ticket="T-240002", brand="星河卡盟")
    assert text == f"星河卡盟 T-240002 {DEMO_ORDER_NOS['paid']} {DEMO_CARD_KEYS['used']}"
    with pytest.raises(ScenarioError, match="before the bot showed"):
        fill("/ticket {ticket}", ticket=None, brand="")
    with pytest.raises(ScenarioError, match="unknown placeholder"):
        fill("{shop}", ticket=None, brand="")


WRONG = """
[[scenario]]
id = "deliberately-wrong"

  [[scenario.steps]]
  actor = "buyer"
  chat = "private"
  say = "售后在哪"

    [[scenario.steps.see]]
    who = "buyer"
    has = ["400-800-1234", "这句话机器人不会说"]
    lacks = ["防骗提醒"]

    [[scenario.steps.see]]
    who = "group"
    silent = true
"""


async def test_a_wrong_expectation_fails_on_a_real_console_run(tmp_path: Path) -> None:
    [scenario] = load_file(write(tmp_path, WRONG))
    driver = await ConsoleDriver.start(tmp_path, FakeClock(), {})
    try:
        with pytest.raises(ScenarioFailure) as caught:
            await run_scenario(scenario, driver)
    finally:
        await driver.close()
    message = str(caught.value)
    assert "journey.toml: scenario 'deliberately-wrong' step 1" in message
    assert "buyer: missing '这句话机器人不会说'" in message
    assert "buyer: must not show '防骗提醒'" in message
    assert "400-800-1234'" not in message.split("sent during")[0]  # that one was there
    assert "» 阿狸（私聊）：售后在哪" in message  # the transcript comes along


async def test_silent_fails_when_the_bot_speaks_there(tmp_path: Path) -> None:
    body = WRONG.replace('has = ["400-800-1234", "这句话机器人不会说"]', "").replace(
        'lacks = ["防骗提醒"]', "silent = true"
    )
    [scenario] = load_file(write(tmp_path, body))
    driver = await ConsoleDriver.start(tmp_path, FakeClock(), {})
    try:
        with pytest.raises(ScenarioFailure, match="buyer: expected silence"):
            await run_scenario(scenario, driver)
    finally:
        await driver.close()


async def test_pressing_a_button_that_is_not_there_fails_clearly(tmp_path: Path) -> None:
    body = '[[scenario]]\nid = "x"\n[[scenario.steps]]\nactor = "buyer"\npress = "确认提交"\n'
    [scenario] = load_file(write(tmp_path, body))
    driver = await ConsoleDriver.start(tmp_path, FakeClock(), {})
    try:
        with pytest.raises(ScenarioFailure, match="no button with '确认提交' in private"):
            await run_scenario(scenario, driver)
    finally:
        await driver.close()
