"""Typed, validated configuration loaded from ``config.toml``.

Pydantic does the validation: it gives typed objects and exact error locations, which
``load_config`` turns into one-paragraph operator messages naming the key and the fix.
Secrets never live in the file: sections name the environment variable that holds them
(``token_env`` and friends) and :func:`Config.secret` reads it at start-up.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from core.cardkeys import DEFAULT_CARD_KEY_FORMATS, parse_format

ChannelKind = Literal["live_chat", "ticket", "phone", "email", "website", "other"]
PlatformName = Literal["telegram", "discord", "feishu", "console"]
SUPPORTED_DB_SCHEMES = ("sqlite+aiosqlite", "postgresql+asyncpg")

DEFAULT_ROLE_WORDS = ("官方", "客服", "售后", "管理员", "admin", "support")


class ConfigError(Exception):
    """A configuration problem, phrased for an operator: which key, what is wrong, the fix."""


class _Section(BaseModel):
    # Unknown keys are errors: a typo in a key must not silently fall back to a default.
    model_config = ConfigDict(extra="forbid", frozen=True)


class BrandConfig(_Section):
    name: str = Field(min_length=1, description="The shop's name, used in replies.")


class OfficialChannel(_Section):
    kind: ChannelKind
    label: str = Field(min_length=1)
    value: str = Field(min_length=1)


class OfficialAccount(_Section):
    platform: PlatformName
    user_id: str = Field(min_length=1)
    username: str = ""
    display_name: str = ""
    role: str = "客服"

    @field_validator("user_id", mode="before")
    @classmethod
    def _id_as_text(cls, value: object) -> object:
        # Platform ids are numbers on Telegram/Discord; accept them unquoted.
        return str(value) if isinstance(value, int) else value


class OfficialConfig(_Section):
    channels: list[OfficialChannel] = Field(min_length=1)
    accounts: list[OfficialAccount] = Field(default_factory=list)


class DatabaseConfig(_Section):
    url: str = "sqlite+aiosqlite:///data/bot.db"
    # SQLite: how long a writer waits for a lock before failing (milliseconds).
    busy_timeout_ms: int = Field(default=5000, ge=0)
    echo: bool = False

    @field_validator("url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        scheme = value.split("://", 1)[0] if "://" in value else ""
        if scheme not in SUPPORTED_DB_SCHEMES:
            raise ValueError(
                f"unsupported database URL {value!r}; use sqlite+aiosqlite:///path/to/bot.db "
                "or postgresql+asyncpg://user:password@host/dbname"
            )
        return value


class ModerationConfig(_Section):
    # "platform:user_id" entries treated as moderators everywhere, besides each group's admins.
    moderators: list[str] = Field(default_factory=list)
    # The communities the bot serves as a moderation tool, as "platform:id": a Telegram or
    # Feishu group's chat id, a Discord server's id, a console chat. Their admins are
    # moderators there (and only there); flags they set apply in their community. Empty: no
    # group admin is a moderator anywhere, only ``moderators``.
    communities: list[str] = Field(default_factory=list)
    # "platform:chat_id" destinations that receive impostor alerts (besides the group itself).
    alert_chats: list[str] = Field(default_factory=list)
    # At most this many /flag and /unflag per moderator per window (stops abuse).
    flag_limit: int = Field(default=10, ge=1)
    flag_window_minutes: float = Field(default=10, gt=0)

    @field_validator("moderators", "alert_chats", "communities")
    @classmethod
    def _prefixed(cls, values: list[str]) -> list[str]:
        for entry in values:
            platform, _, user_id = entry.partition(":")
            if platform not in ("telegram", "discord", "feishu", "console") or not user_id:
                raise ValueError(
                    f"{entry!r} is not of the form 'platform:id' "
                    "(platform one of telegram, discord, feishu, console)"
                )
        return values


class GuardConfig(_Section):
    role_words: list[str] = Field(default_factory=lambda: list(DEFAULT_ROLE_WORDS))
    # What to do with a suspected impostor besides reporting: "report" | "restrict" | "remove".
    action: Literal["report", "restrict", "remove"] = "report"
    # Check display names and usernames on join, rename and first message in a group.
    check_names: bool = True
    # Warn when a group message offers an unofficial contact (QQ, WeChat, phone, link, handle)
    # with support or refund wording; optionally delete it where the bot may.
    warn_unofficial_contacts: bool = True
    delete_unofficial_contacts: bool = False
    # In a served community, delete every message of a flagged or suspected impostor (the
    # group is warned each time); ``action`` restricts or removes them besides.
    delete_flagged_messages: bool = True


class SlaConfig(_Section):
    simple_first_response_hours: float = Field(default=2, gt=0)
    complex_plan_hours: float = Field(default=24, gt=0)
    # "09:00-23:00": the support hours. Due times count only these hours (in
    # conversation.timezone), on business_days (ISO weekdays, 1 = Monday), and the bot states
    # them when asked (the FAQ's {support_hours}). Empty: around the clock.
    business_hours: str = ""
    business_days: list[int] = Field(default_factory=lambda: [1, 2, 3, 4, 5, 6, 7])

    @field_validator("business_hours")
    @classmethod
    def _window(cls, value: str) -> str:
        if value.strip():
            _parse_window(value)
        return value.strip()

    @field_validator("business_days")
    @classmethod
    def _days(cls, value: list[int]) -> list[int]:
        if not value or any(day not in range(1, 8) for day in value):
            raise ValueError("list ISO weekdays 1 (Monday) to 7 (Sunday), at least one")
        return value

    def business_window(self) -> tuple[time, time] | None:
        return _parse_window(self.business_hours) if self.business_hours else None


def _parse_window(value: str) -> tuple[time, time]:
    try:
        start_text, end_text = (part.strip() for part in value.split("-"))
        start, end = time.fromisoformat(start_text), time.fromisoformat(end_text)
    except ValueError:
        raise ValueError(f'{value!r} is not a window like "09:00-23:00"') from None
    if end <= start:
        raise ValueError(f"{value!r}: the end must be after the start (no windows past midnight)")
    return start, end


class EscalationLevel(_Section):
    name: str = Field(min_length=1)
    # Where to notify: "platform:chat_id" or "platform:user_id" entries.
    notify: list[str] = Field(default_factory=list)
    # Hours after the previous due time before this level is reached.
    after_hours: float = Field(default=2, gt=0)


def _default_levels() -> list[EscalationLevel]:
    return [EscalationLevel(name=n) for n in ("客服主管", "技术团队", "运营总监")]


class EscalationConfig(_Section):
    levels: list[EscalationLevel] = Field(default_factory=_default_levels)


class ConversationConfig(_Section):
    # A flow idle for longer than this is closed with a message.
    idle_timeout_minutes: float = Field(default=30, gt=0)
    default_locale: Literal["zh", "en"] = "zh"
    # The shop's time zone: how buyers' "昨天下午3点" and shown times are read.
    timezone: str = "Asia/Shanghai"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}; use an IANA name such as Asia/Shanghai"
            ) from None
        return value


class FaqConfig(_Section):
    # Extra knowledge-base files (TOML, [[faq]] entries); an entry overrides the default
    # answer for its intent. With replace_default, only these files are used.
    files: list[str] = Field(default_factory=list)
    replace_default: bool = False
    # Below this classifier score the bot says it is not sure and offers a human.
    min_score: float = Field(default=0.5, ge=0, le=1)
    # In groups the bot answers requests at or above this score (or at min_score when the
    # message names the problem outright or mentions the bot). Cool-downs are per topic: one
    # answer per user per intent every group_user_cooldown_minutes, and one per shared
    # answer (official channels, verify hint, hours) per chat every group_topic_cooldown_seconds.
    group_min_score: float = Field(default=0.75, ge=0, le=1)
    group_user_cooldown_minutes: float = Field(default=5, ge=0)
    group_topic_cooldown_seconds: float = Field(default=60, ge=0)


class SelfServiceConfig(_Section):
    # Per user: at most this many /order, /card, /recharge lookups per window (anti-enumeration).
    lookups_per_window: int = Field(default=10, ge=1)
    window_minutes: float = Field(default=10, gt=0)
    # Delete group messages that contain a card key (where the bot may) and say why.
    delete_card_keys_in_groups: bool = True
    # The shop's card-key formats: X a letter or digit, # a digit, @ a letter, other letters
    # and digits literal, "-" between groups. Keys are found in any spelling (spaces, _, .,
    # full width, any case) for /card, masking and deletion in groups; see core/cardkeys.py.
    card_key_formats: list[str] = Field(default_factory=lambda: list(DEFAULT_CARD_KEY_FORMATS))

    @field_validator("card_key_formats")
    @classmethod
    def _formats_parse(cls, values: list[str]) -> list[str]:
        if not values:
            raise ValueError('list at least one format, e.g. ["XXXX-XXXX-XXXX-XXXX"]')
        for value in values:
            parse_format(value)
        return values


class EnterpriseConfig(_Section):
    # Enterprise / bulk buyers by "platform:user_id"; orders the shop marks bulk count too.
    buyers: list[str] = Field(default_factory=list)
    consultant: str = "企业客户经理"
    contact: str = ""  # phone, email or link of the dedicated consultant / enterprise desk
    # "platform:chat_or_user_id" destinations notified of enterprise tickets.
    notify: list[str] = Field(default_factory=list)


class StaffConfig(_Section):
    # "platform:user_id" entries of support staff (they see every ticket).
    members: list[str] = Field(default_factory=list)
    # Extra staff chats as "platform:chat_id" (besides telegram.staff_chat_id,
    # discord.staff_channel_id and feishu.staff_chat_id); "console:staff" for the console.
    chats: list[str] = Field(default_factory=list)
    # Show the agent's name to users in relayed replies (default: "星河卡盟客服" only).
    show_names: bool = False

    @field_validator("members", "chats")
    @classmethod
    def _prefixed(cls, values: list[str]) -> list[str]:
        for entry in values:
            platform, _, rest = entry.partition(":")
            if platform not in ("telegram", "discord", "feishu", "console") or not rest:
                raise ValueError(f"{entry!r} is not of the form 'platform:id'")
        return values

    def destinations(self, config: Config) -> list[str]:
        """Every staff chat, as "platform:chat_id"."""
        found = [
            f"{name}:{chat_id}"
            for name, chat_id in (
                ("telegram", config.telegram.staff_chat_id),
                ("discord", config.discord.staff_channel_id),
                ("feishu", config.feishu.staff_chat_id),
            )
            if chat_id
        ]
        return found + [c for c in self.chats if c not in found]


class RetentionConfig(_Section):
    # How long to keep the bot's working records (an hourly job deletes older rows):
    # de-duplication keys (platforms redeliver for minutes to a day), the lookup log behind
    # the anti-enumeration limit (at least self_service.window_minutes), FAQ answers (their
    # 解决了/没解决 statistics).
    event_ids_days: float = Field(default=7, gt=0)
    lookup_log_days: float = Field(default=7, gt=0)
    faq_answers_days: float = Field(default=90, gt=0)
    # Replies already sent (or given up) are kept this long for the record; unsent ones stay.
    replies_days: float = Field(default=7, gt=0)


class TicketsConfig(_Section):
    # At most this many open tickets per user (stops abuse); one flow at a time anyway.
    max_open_per_user: int = Field(default=3, ge=1)


class TelegramConfig(_Section):
    enabled: bool = False
    token_env: str = "TELEGRAM_BOT_TOKEN"
    base_url: str = ""
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str = ""
    webhook_secret_env: str = "TELEGRAM_WEBHOOK_SECRET"
    staff_chat_id: str = ""


class DiscordConfig(_Section):
    enabled: bool = False
    token_env: str = "DISCORD_BOT_TOKEN"
    api_base: str = ""
    gateway_url: str = ""
    shards: int | None = Field(default=None, ge=1)
    staff_channel_id: str = ""


class FeishuConfig(_Section):
    enabled: bool = False
    app_id_env: str = "FEISHU_APP_ID"
    app_secret_env: str = "FEISHU_APP_SECRET"
    encrypt_key_env: str = "FEISHU_ENCRYPT_KEY"
    verification_token_env: str = "FEISHU_VERIFICATION_TOKEN"
    api_base: str = "https://open.feishu.cn"
    staff_chat_id: str = ""
    # A signed callback whose X-Lark-Request-Timestamp is further than this from our clock
    # (either way) is refused, so a captured request cannot be replayed later.
    max_clock_skew_seconds: int = Field(default=300, ge=1, le=86400)


class ServerConfig(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    # /healthz turns 503 when the SQLite database's or the demo shop's folder has less free.
    healthz_min_free_mb: float = Field(default=50, ge=0)


class ShopConfig(_Section):
    backend: Literal["demo", "http"] = "demo"
    base_url: str = ""
    api_key_env: str = "SHOP_API_KEY"
    hmac_secret_env: str = "SHOP_HMAC_SECRET"
    timeout_seconds: float = Field(default=5, gt=0)
    # Shop calls run outside event transactions (core/shopcalls.py): at most this many at once,
    # each given up after the deadline (retries included); after breaker_failures failures in
    # a row the shop is not asked for breaker_reset_seconds (buyers are told it is down).
    max_concurrent_calls: int = Field(default=4, ge=1, le=256)
    call_deadline_seconds: float = Field(default=15, gt=0)
    breaker_failures: int = Field(default=5, ge=1)
    breaker_reset_seconds: float = Field(default=30, gt=0)
    # Demo backend: the folder of its SQLite file (default: beside the bot's SQLite database,
    # or ./data with PostgreSQL).
    demo_data_dir: str = ""
    # What an order number looks like (checked before asking the shop).
    order_pattern: str = r"^[A-Za-z]{0,4}[0-9]{6,24}$"

    @field_validator("order_pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        return value


class LoggingConfig(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    json_format: bool = Field(default=False, alias="json")


class Config(_Section):
    brand: BrandConfig
    official: OfficialConfig
    database: DatabaseConfig = DatabaseConfig()
    moderation: ModerationConfig = ModerationConfig()
    guard: GuardConfig = GuardConfig()
    sla: SlaConfig = SlaConfig()
    escalation: EscalationConfig = EscalationConfig()
    conversation: ConversationConfig = ConversationConfig()
    tickets: TicketsConfig = TicketsConfig()
    retention: RetentionConfig = RetentionConfig()
    staff: StaffConfig = StaffConfig()
    self_service: SelfServiceConfig = SelfServiceConfig()
    faq: FaqConfig = FaqConfig()
    enterprise: EnterpriseConfig = EnterpriseConfig()
    telegram: TelegramConfig = TelegramConfig()
    discord: DiscordConfig = DiscordConfig()
    feishu: FeishuConfig = FeishuConfig()
    server: ServerConfig = ServerConfig()
    shop: ShopConfig = ShopConfig()
    logging: LoggingConfig = LoggingConfig()

    # Where the file was read from; relative paths (e.g. a SQLite file) resolve against cwd.
    source: Annotated[str, Field(exclude=True)] = ""

    @model_validator(mode="after")
    def _levels_not_empty(self) -> Config:
        if not self.escalation.levels:
            raise ValueError("escalation.levels is empty; list at least one level")
        return self

    def accounts_on(self, platform: str) -> list[OfficialAccount]:
        """Official accounts on one platform, in config order."""
        return [a for a in self.official.accounts if a.platform == platform]

    def is_configured_moderator(self, platform: str, user_id: str) -> bool:
        return f"{platform}:{user_id}" in self.moderation.moderators

    def serves_community(self, community_key: str) -> bool:
        """Whether the bot acts as a moderation tool in this community (its admins moderate)."""
        return community_key in self.moderation.communities


def secret(env_name: str, *, key: str, environ: Mapping[str, str] | None = None) -> str:
    """Read a secret from the environment variable named in config key ``key``."""
    env = os.environ if environ is None else environ
    value = env.get(env_name, "").strip()
    if not value:
        raise ConfigError(
            f"Config key `{key}` names the environment variable {env_name}, but it is not set. "
            f"Fix: export {env_name}=… before starting the bot (secrets are never read from the "
            "config file), or disable that section."
        )
    return value


_FIX_HINTS: dict[str, str] = {
    "missing": "add it",
    "extra_forbidden": "remove it or check its spelling against the README",
    "literal_error": "use one of the allowed values",
    "string_type": "write it as a quoted string",
    "int_parsing": "write a whole number",
    "int_type": "write a whole number",
    "float_parsing": "write a number",
    "float_type": "write a number",
    "bool_type": "write true or false",
    "bool_parsing": "write true or false",
    "list_type": 'write a list, e.g. ["a", "b"]',
    "too_short": "add at least one entry",
    "string_too_short": "write a non-empty value",
}


def _key_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out or "(top level)"


def _describe(error: Mapping[str, Any], path: Path) -> str:
    key = _key_path(tuple(error.get("loc", ())))
    kind = str(error.get("type", ""))
    msg = str(error.get("msg", "invalid value"))
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    hint = _FIX_HINTS.get(kind, "correct the value")
    got = ""
    if kind not in ("missing",) and "input" in error and not isinstance(error["input"], dict):
        got = f" (found {error['input']!r})"
    return f"key `{key}`: {msg}{got}; fix: {hint}"


def parse_config(data: Mapping[str, Any], *, source: str = "config.toml") -> Config:
    """Validate already-parsed TOML data. Raises :class:`ConfigError`."""
    try:
        config = Config.model_validate({**data, "source": source})
    except ValidationError as exc:
        problems = "; ".join(_describe(e, Path(source)) for e in exc.errors())
        raise ConfigError(
            f"Invalid configuration in {source}: {problems}. "
            "See the README section 'Configuration' for every key and its default."
        ) from None
    return config


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read and validate a TOML config file. Raises :class:`ConfigError`, never a traceback."""
    file = Path(path)
    if not file.is_file():
        raise ConfigError(
            f"Config file {file} was not found. Fix: run from the directory that holds "
            "config.toml, or pass --config /path/to/config.toml (the repository ships a demo "
            "config.toml to copy)."
        )
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"Config file {file} is not valid TOML: {exc}. Fix: correct the syntax at that line "
            "(strings need quotes, tables are written [section])."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Config file {file} could not be read: {exc}.") from None
    return parse_config(data, source=str(file))
