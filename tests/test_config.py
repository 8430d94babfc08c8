"""Config loading: the demo file is valid; each kind of mistake gets one clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import ConfigError, load_config, parse_config, secret
from tests.conftest import REPO, demo_config_data
from tests.helpers import run_cli


def test_demo_config_loads_with_typed_values() -> None:
    config = load_config(REPO / "config.toml")
    assert config.brand.name == "星河卡盟"
    assert [c.kind for c in config.official.channels] == ["live_chat", "ticket", "phone", "email"]
    assert config.sla.simple_first_response_hours == 2
    assert [level.name for level in config.escalation.levels] == [
        "客服主管",
        "技术团队",
        "运营总监",
    ]
    assert config.accounts_on("telegram")[0].username == "xinghe_support"


def test_defaults_fill_every_optional_section() -> None:
    config = parse_config(
        {
            "brand": {"name": "X"},
            "official": {"channels": [{"kind": "phone", "label": "电话", "value": "1"}]},
        }
    )
    assert config.database.url == "sqlite+aiosqlite:///data/bot.db"
    assert config.sla.complex_plan_hours == 24
    assert config.guard.role_words[:3] == ["官方", "客服", "售后"]
    assert config.telegram.enabled is False and config.telegram.mode == "polling"
    assert [lv.name for lv in config.escalation.levels] == ["客服主管", "技术团队", "运营总监"]


def _error_for(mutate: object) -> str:
    data = demo_config_data()
    assert callable(mutate)
    mutate(data)
    with pytest.raises(ConfigError) as info:
        parse_config(data)
    return str(info.value)


def test_wrong_type_names_the_key_and_the_fix() -> None:
    message = _error_for(lambda d: d["sla"].update(simple_first_response_hours="two"))
    assert "sla.simple_first_response_hours" in message
    assert "write a number" in message


def test_unknown_channel_kind_names_the_key_and_the_allowed_values() -> None:
    message = _error_for(lambda d: d["official"]["channels"][1].update(kind="wechat"))
    assert "official.channels[1].kind" in message
    assert "live_chat" in message and "'wechat'" in message


def test_bad_database_url_is_explained() -> None:
    message = _error_for(lambda d: d["database"].update(url="mysql://localhost/bot"))
    assert "database.url" in message
    assert "sqlite+aiosqlite" in message and "postgresql+asyncpg" in message


def test_misspelt_key_is_rejected_not_ignored() -> None:
    message = _error_for(lambda d: d["telegram"].update(tokenenv="X"))
    assert "telegram.tokenenv" in message and "spelling" in message


def test_missing_required_section() -> None:
    message = _error_for(lambda d: d.pop("brand"))
    assert "key `brand`" in message and "add it" in message


def test_empty_channel_list_is_rejected() -> None:
    message = _error_for(lambda d: d["official"].update(channels=[]))
    assert "official.channels" in message


def test_bad_moderator_entry() -> None:
    message = _error_for(lambda d: d["moderation"].update(moderators=["12345"]))
    assert "moderation.moderators" in message and "platform:id" in message


def test_missing_file_and_invalid_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--config"):
        load_config(tmp_path / "nope.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[brand\nname = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(broken)


def test_secret_comes_from_the_environment_only() -> None:
    assert (
        secret("KAMENG_TEST_TOKEN", key="telegram.token_env", environ={"KAMENG_TEST_TOKEN": "abc"})
        == "abc"
    )
    with pytest.raises(ConfigError) as info:
        secret("KAMENG_TEST_TOKEN", key="telegram.token_env", environ={})
    assert "KAMENG_TEST_TOKEN" in str(info.value) and "telegram.token_env" in str(info.value)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "was not found"),
        (
            '[brand]\nname = "X"\n[[official.channels]]\nkind = "fax"\nlabel = "a"\nvalue = "b"\n',
            "kind",
        ),
        (
            '[brand]\nname = "X"\n[database]\nurl = "oracle://x"\n'
            '[[official.channels]]\nkind = "phone"\nlabel = "a"\nvalue = "b"\n',
            "database.url",
        ),
    ],
)
def test_cli_config_errors_exit_2_without_traceback(
    tmp_path: Path, content: str | None, expected: str
) -> None:
    path = tmp_path / "config.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run_cli("chat", "--config", str(path))
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def test_run_without_any_enabled_channel_explains_and_exits_2() -> None:
    result = run_cli("run")
    assert result.returncode == 2
    assert "No channel is enabled" in result.stderr and "python -m bots chat" in result.stderr
    assert "Traceback" not in result.stderr
