"""Buttons and modals: core buttons as ``discord.ui`` components, the persistent dispatcher
that turns clicks back into events, and the two modals (flag reason, free-text answer).

custom_id scheme (at most 100 characters; core payloads are at most 64):

* a core CALLBACK button: ``custom_id`` is the payload itself (``flow:cat:card_invalid``);
* a core PRIVATE button (Telegram's deep link): ``~dm:<payload>``; the click runs
  ``/start <payload>`` in the user's DM;
* the adapter's "answer in a form" button under a free-text prompt: ``~form:<field>:<locale>``.

Core payloads never start with ``~``, so the three never collide. The dispatcher is made of
:class:`discord.ui.DynamicItem` classes registered on the client: a click is matched by its
custom_id alone, so buttons keep working after a restart and nothing is kept in memory per
message (rendered views are stopped before sending, so discord.py does not store them).
"""

from __future__ import annotations

import re
from typing import Any, Protocol, cast

import discord

from adapters.discord.prompts import Prompt
from core.model import Button, ButtonRows, ButtonStyle

PRIVATE_PREFIX = "~dm:"
FORM_PREFIX = "~form:"
MAX_ROWS, MAX_PER_ROW, MAX_LABEL, MAX_CUSTOM_ID = 5, 5, 80, 100
MODAL_TIMEOUT = 15 * 60.0  # an interaction token lives 15 minutes

Interaction = discord.Interaction[discord.Client]
UiButton = discord.ui.Button[discord.ui.View]

# The adapter's own words (labels of Discord-only components); the core says the rest.
UI: dict[str, dict[str, str]] = {
    "open_dm": {"zh": "打开私聊", "en": "Open DM"},
    "dm_sent": {"zh": "已私信发给你,请查看私聊。", "en": "I sent you a direct message."},
    "dm_failed": {
        "zh": "无法私信你:请在服务器的「隐私设置」中允许成员私信,然后再点一次按钮。",
        "en": "I can't DM you: allow direct messages from server members, then tap again.",
    },
    "flag_title": {"zh": "标记为冒充者", "en": "Flag as impostor"},
    "flag_label": {"zh": "原因(记入案件)", "en": "Reason (kept in the case)"},
    "flag_placeholder": {
        "zh": "例如:冒充官方客服私聊索要卡密",
        "en": "e.g. poses as official support and asks for card keys in DMs",
    },
}

# field -> (button label, modal title, input label, placeholder) per locale; paragraph style?
FIELDS: dict[str, tuple[dict[str, tuple[str, str, str, str]], bool, int]] = {
    "order": (
        {
            "zh": ("✍️ 填写订单号", "填写订单号", "订单号", "DD2026112000001"),
            "en": ("✍️ Enter order number", "Order number", "Order number", "DD2026112000001"),
        },
        False,
        64,
    ),
    "when": (
        {
            "zh": (
                "✍️ 填写发生时间",
                "问题发生时间",
                "发生时间",
                "刚才 / 昨天下午3点 / 10月15日14点",
            ),
            "en": (
                "✍️ Enter the time",
                "When did it happen?",
                "When",
                "just now / 2026-11-20 14:00",
            ),
        },
        False,
        60,
    ),
    "error": (
        {
            "zh": ("✍️ 填写屏幕提示", "屏幕上的提示", "提示原文或经过", "例如:卡密已过期"),
            "en": ("✍️ Enter the message", "What the screen said", "Message", "e.g. key expired"),
        },
        True,
        500,
    ),
    "handle": (
        {
            "zh": ("✍️ 填写要核实的账号", "核实账号", "账号/手机号/QQ/链接", "@xinghe_support"),
            "en": ("✍️ Enter the account", "Verify an account", "Account / phone / link", ""),
        },
        False,
        300,
    ),
    "lookup_order": (
        {
            "zh": ("✍️ 填写订单号", "查询订单", "订单号", "DD2026112000001"),
            "en": ("✍️ Enter order number", "Order status", "Order number", "DD2026112000001"),
        },
        False,
        64,
    ),
    "lookup_card": (
        {
            "zh": ("✍️ 填写卡密", "查询卡密", "卡密", "XXXX-XXXX-XXXX-XXXX"),
            "en": ("✍️ Enter card key", "Card key status", "Card key", "XXXX-XXXX-XXXX-XXXX"),
        },
        False,
        64,
    ),
    "lookup_recharge": (
        {
            "zh": ("✍️ 填写充值订单号", "查询充值进度", "充值订单号", "DD2026112000015"),
            "en": ("✍️ Enter order number", "Top-up progress", "Order number", ""),
        },
        False,
        64,
    ),
}


def locale_of(interaction: Interaction) -> str:
    return "en" if interaction.locale.value.startswith("en") else "zh"


def ui(key: str, locale: str) -> str:
    entry = UI[key]
    return entry.get(locale) or entry["zh"]


def _field_texts(field: str, locale: str) -> tuple[str, str, str, str]:
    texts = FIELDS[field][0]
    return texts.get(locale) or texts["zh"]


# -- rendering -------------------------------------------------------------------------------
def _label(text: str) -> str:
    return (text.strip() or "…")[:MAX_LABEL]


def _component(button: Button, row: int) -> UiButton | None:
    if button.style is ButtonStyle.URL:
        if not button.url.startswith(("https://", "http://")):
            return None
        return discord.ui.Button(
            style=discord.ButtonStyle.link, label=_label(button.label), url=button.url, row=row
        )
    if button.style is ButtonStyle.PRIVATE:
        custom_id, style = PRIVATE_PREFIX + button.payload, discord.ButtonStyle.primary
    else:
        custom_id, style = button.payload, discord.ButtonStyle.secondary
    if not custom_id or len(custom_id) > MAX_CUSTOM_ID:
        return None
    return discord.ui.Button(style=style, label=_label(button.label), custom_id=custom_id, row=row)


def build_view(
    rows: ButtonRows, *, answer: Prompt | None = None
) -> tuple[discord.ui.View | None, str]:
    """The components for ``rows`` (plus an answer-in-a-form button for a prompt).

    Returns the view (None without buttons) and text for buttons Discord cannot show (a
    link that is not http(s), a sixth row), to append to the message.
    """
    view = discord.ui.View(timeout=None)
    leftovers: list[str] = []
    seen: set[str] = set()
    row_index = 0
    if answer is not None and answer.field in FIELDS:
        label = _field_texts(answer.field, answer.locale)[0]
        custom_id = f"{FORM_PREFIX}{answer.field}:{answer.locale}"
        view.add_item(
            discord.ui.Button(
                style=discord.ButtonStyle.primary, label=label, custom_id=custom_id, row=0
            )
        )
        row_index = 1
    for row in rows:
        for start in range(0, len(row), MAX_PER_ROW):
            chunk = row[start : start + MAX_PER_ROW]
            placed = False
            for button in chunk:
                item = _component(button, row_index) if row_index < MAX_ROWS else None
                key = item.custom_id or item.url if item is not None else None
                if item is None or key in seen:
                    if button.url:
                        leftovers.append(f"{button.label}: {button.url}")
                    continue
                seen.add(key or "")
                view.add_item(item)
                placed = True
            row_index += 1 if placed else 0
    if not view.children:
        return None, "\n".join(leftovers)
    view.stop()  # rendering only: the dynamic items below dispatch the clicks
    return view, "\n".join(leftovers)


# -- the persistent dispatcher -----------------------------------------------------------------
class ComponentListener(Protocol):
    async def on_button(self, interaction: Interaction, payload: str) -> None: ...

    async def on_private_button(self, interaction: Interaction, payload: str) -> None: ...

    async def on_answer_button(self, interaction: Interaction, field: str, locale: str) -> None: ...

    async def on_flag_reason(
        self, interaction: Interaction, target: discord.User | discord.Member, reason: str
    ) -> None: ...

    async def on_form_answer(self, interaction: Interaction, field: str, value: str) -> None: ...


def listener_of(interaction: Interaction) -> ComponentListener:
    # BotClient.listener is the adapter's inbound side, which implements this protocol too.
    return cast(ComponentListener, getattr(interaction.client, "listener"))  # noqa: B009


class PayloadButton(
    discord.ui.DynamicItem[UiButton], template=re.compile(r"(?P<payload>[^~].*)", re.S)
):
    """A core CALLBACK button: the click becomes a BUTTON event with the payload."""

    def __init__(self, payload: str) -> None:
        super().__init__(discord.ui.Button(custom_id=payload))
        self.payload = payload

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PayloadButton:
        return cls(match["payload"])

    async def callback(self, interaction: Interaction) -> None:
        await listener_of(interaction).on_button(interaction, self.payload)


class PrivateButton(
    discord.ui.DynamicItem[UiButton], template=re.compile(r"~dm:(?P<payload>.*)", re.S)
):
    """A core PRIVATE button: ``/start <payload>`` in the user's DM."""

    def __init__(self, payload: str) -> None:
        super().__init__(discord.ui.Button(custom_id=PRIVATE_PREFIX + payload))
        self.payload = payload

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PrivateButton:
        return cls(match["payload"])

    async def callback(self, interaction: Interaction) -> None:
        await listener_of(interaction).on_private_button(interaction, self.payload)


class AnswerButton(
    discord.ui.DynamicItem[UiButton], template=r"~form:(?P<field>[a-z_]+):(?P<locale>[a-z]+)"
):
    """ "Answer in a form" under a free-text prompt: opens :class:`AnswerModal`."""

    def __init__(self, field: str, locale: str) -> None:
        super().__init__(discord.ui.Button(custom_id=f"{FORM_PREFIX}{field}:{locale}"))
        self.field, self.locale = field, locale

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AnswerButton:
        return cls(match["field"], match["locale"])

    async def callback(self, interaction: Interaction) -> None:
        await listener_of(interaction).on_answer_button(interaction, self.field, self.locale)


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    PayloadButton,
    PrivateButton,
    AnswerButton,
)


# -- modals ------------------------------------------------------------------------------------
class FlagReasonModal(discord.ui.Modal):
    """ "Flag as impostor": asks the moderator for the reason."""

    def __init__(self, target: discord.User | discord.Member, locale: str, nonce: int) -> None:
        super().__init__(
            title=ui("flag_title", locale), custom_id=f"~flag:{nonce}", timeout=MODAL_TIMEOUT
        )
        self.target = target
        self.reason: discord.ui.TextInput[FlagReasonModal] = discord.ui.TextInput(
            label=ui("flag_label", locale),
            placeholder=ui("flag_placeholder", locale),
            style=discord.TextStyle.paragraph,
            custom_id="reason",
            max_length=500,
        )
        self.add_item(self.reason)

    async def on_submit(self, interaction: Interaction) -> None:
        await listener_of(interaction).on_flag_reason(interaction, self.target, self.reason.value)


class AnswerModal(discord.ui.Modal):
    """One free-text answer of a flow (order number, time, what the screen said…)."""

    def __init__(self, field: str, locale: str, nonce: int) -> None:
        _, title, label, placeholder = _field_texts(field, locale)
        _, paragraph, max_length = FIELDS[field]
        super().__init__(title=title, custom_id=f"~answer:{field}:{nonce}", timeout=MODAL_TIMEOUT)
        self.field = field
        self.answer: discord.ui.TextInput[AnswerModal] = discord.ui.TextInput(
            label=label,
            placeholder=placeholder or None,
            style=discord.TextStyle.paragraph if paragraph else discord.TextStyle.short,
            custom_id="answer",
            max_length=max_length,
        )
        self.add_item(self.answer)

    async def on_submit(self, interaction: Interaction) -> None:
        await listener_of(interaction).on_form_answer(interaction, self.field, self.answer.value)
