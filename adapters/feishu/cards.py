"""Interactive cards: core buttons ↔ Feishu card JSON, and the plain-text fallback.

A message with buttons becomes an interactive card (card JSON 1.0, which every client since
Feishu 3.x renders): the text in a ``plain_text`` block (never ``lark_md``: the text contains
user input, which must not turn into markup or mentions), then one ``action`` row per button
row. Buttons carry what the bot needs in their ``value`` object, which Feishu sends back in
``card.action.trigger``:

* callback buttons: ``{"kameng": "cb", "payload": …, "chat": "p2p" | "group"}``; the chat
  kind is recorded because the callback's ``open_chat_id`` does not say whether the card was
  in a private chat;
* private buttons (``ButtonStyle.PRIVATE``, Telegram's deep links): ``{"kameng": "dm", …}``;
  a press answers in the user's private chat as if they had typed ``/start <payload>``;
* URL buttons open the link (``url``), no callback.

Where a card cannot be sent, :func:`fallback_text` renders the buttons as text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from core.model import Button, ButtonRows, ButtonStyle

VALUE_KEY = "kameng"
KIND_CALLBACK = "cb"
KIND_PRIVATE = "dm"
CHAT_P2P = "p2p"
CHAT_GROUP = "group"

# Feishu parses <at user_id="…"> in text messages; user input must never mention (@all).
_AT_TAG = re.compile(r"<(/?)(at)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PressedButton:
    kind: str  # KIND_CALLBACK | KIND_PRIVATE
    payload: str
    in_private_chat: bool


def button_value(button: Button, *, private_chat: bool) -> dict[str, str]:
    kind = KIND_PRIVATE if button.style is ButtonStyle.PRIVATE else KIND_CALLBACK
    return {
        VALUE_KEY: kind,
        "payload": button.payload,
        "chat": CHAT_P2P if private_chat else CHAT_GROUP,
    }


def parse_button_value(value: object) -> PressedButton | None:
    """The press a ``card.action.trigger`` value describes, if it is one of our buttons."""
    if isinstance(value, str):  # Feishu may deliver the value JSON-encoded
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if not isinstance(value, dict):
        return None
    kind = value.get(VALUE_KEY)
    payload = value.get("payload")
    if kind not in (KIND_CALLBACK, KIND_PRIVATE) or not isinstance(payload, str):
        return None
    return PressedButton(
        kind=str(kind), payload=payload, in_private_chat=value.get("chat") == CHAT_P2P
    )


def _plain(text: str) -> dict[str, str]:
    return {"tag": "plain_text", "content": text}


def _button(button: Button, *, private_chat: bool) -> dict[str, Any]:
    element: dict[str, Any] = {"tag": "button", "text": _plain(button.label), "type": "default"}
    if button.style is ButtonStyle.URL:
        element["url"] = button.url
    else:
        element["value"] = button_value(button, private_chat=private_chat)
        if button.style is ButtonStyle.PRIVATE:
            element["type"] = "primary"
    return element


def render_card(text: str, buttons: ButtonRows, *, private_chat: bool) -> dict[str, Any]:
    """Card JSON 1.0 for ``text`` with ``buttons`` (a shared card, so updates reach everyone)."""
    elements: list[dict[str, Any]] = [{"tag": "div", "text": _plain(text or " ")}]
    for row in buttons:
        usable = [b for b in row if b.style is not ButtonStyle.URL or b.url]
        if usable:
            elements.append(
                {
                    "tag": "action",
                    "layout": "flow",
                    "actions": [_button(b, private_chat=private_chat) for b in usable],
                }
            )
    return {"config": {"wide_screen_mode": True, "update_multi": True}, "elements": elements}


def card_content(text: str, buttons: ButtonRows, *, private_chat: bool) -> str:
    """The ``content`` string of an ``interactive`` message."""
    card = render_card(text, buttons, private_chat=private_chat)
    return json.dumps(card, ensure_ascii=False)


def neutralise_mentions(text: str) -> str:
    """Break ``<at …>`` tags so echoed user input cannot mention anyone (or everyone)."""
    return _AT_TAG.sub("<\u200b\\1\\2", text)


def text_content(text: str) -> str:
    """The ``content`` string of a ``text`` message."""
    return json.dumps({"text": neutralise_mentions(text)}, ensure_ascii=False)


def fallback_text(text: str, buttons: ButtonRows, *, private_hint: str = "") -> str:
    """``text`` with its buttons written out, for where a card cannot be sent."""
    lines = [text]
    for row in buttons:
        for button in row:
            if button.style is ButtonStyle.URL:
                lines.append(f"• {button.label}: {button.url}")
            elif button.style is ButtonStyle.PRIVATE:
                lines.append(f"• {button.label}{private_hint}")
            else:
                lines.append(f"• {button.label}")
    return "\n".join(lines)


def message_text(msg_type: str, content: str) -> str:
    """Readable text of a message's ``content`` (for replies quoted by /flag and /verify)."""
    try:
        data = json.loads(content) if content else {}
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    if msg_type == "text":
        return str(data.get("text", ""))
    if msg_type == "post":
        return post_text(data)[0]
    return ""


def post_text(data: dict[str, Any]) -> tuple[str, list[str]]:
    """Text (with ``@_user_N`` placeholders kept) and image keys of a rich-text ``post``."""
    body = data
    if "content" not in body:  # the locale-keyed form: {"zh_cn": {"title", "content"}}
        body = next((v for v in data.values() if isinstance(v, dict) and "content" in v), {})
    parts: list[str] = []
    images: list[str] = []
    title = body.get("title")
    if isinstance(title, str) and title:
        parts.append(title)
    for paragraph in body.get("content") or []:
        line = ""
        for node in paragraph if isinstance(paragraph, list) else []:
            if not isinstance(node, dict):
                continue
            tag = node.get("tag")
            if tag in ("text", "a"):
                line += str(node.get("text", ""))
            elif tag == "at":
                line += str(node.get("user_id", ""))
            elif tag == "img" and node.get("image_key"):
                images.append(str(node["image_key"]))
        parts.append(line)
    return "\n".join(parts).strip(), images
