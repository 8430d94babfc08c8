"""Pure helpers: text escaping and splitting, button rendering, free-text prompts."""

from __future__ import annotations

from adapters.discord.outbound import prepare_text, split_text
from adapters.discord.prompts import Prompt, PromptCatalog
from adapters.discord.views import build_view
from core.model import Button, ButtonStyle
from core.texts import Texts


def test_markdown_and_mentions_in_core_text_are_defused() -> None:
    text = prepare_text("「[官方客服](https://evil.example)」 @everyone 卡密 XH7K****6W")
    assert "\\[官方客服]" in text  # no masked link
    assert "@\u200beveryone" in text
    assert "XH7K\\*\\*\\*\\*6W" in text  # shown as typed, not bold


def test_long_text_is_split_on_line_breaks_within_the_limit() -> None:
    lines = [f"第{i}行 " + "字" * 50 for i in range(100)]
    parts = split_text("\n".join(lines), limit=500)
    assert all(len(p) <= 500 for p in parts)
    assert "\n".join(parts).replace("\n", "") == "".join(lines)
    assert split_text("\\" * 10 + "x" * 10, limit=8)[0].count("\\") % 2 == 0


async def test_buttons_render_as_components() -> None:
    rows = (
        (
            Button("确认", payload="flow:confirm"),
            Button("私聊", payload="support", style=ButtonStyle.PRIVATE),
        ),
        (Button("官网", url="https://www.xinghe-kameng.example", style=ButtonStyle.URL),),
        (Button("电话", url="tel:4008001234", style=ButtonStyle.URL),),
    )
    view, leftovers = build_view(rows, answer=Prompt("order", "zh"))
    assert view is not None and view.is_finished()  # not stored by discord.py
    components = view.to_components()
    ids = [c.get("custom_id") or c.get("url") for row in components for c in row["components"]]
    assert ids == [
        "~form:order:zh",
        "flow:confirm",
        "~dm:support",
        "https://www.xinghe-kameng.example",
    ]
    assert leftovers == "电话: tel:4008001234"  # not a link Discord accepts: shown as text


def test_free_text_prompts_are_recognised_in_both_locales() -> None:
    texts = Texts("zh")
    catalog = PromptCatalog(texts)
    assert catalog.match(texts.get("complaint.ask_when", "zh")) == Prompt("when", "zh")
    assert catalog.match(texts.get("complaint.ask_error", "en")) == Prompt("error", "en")
    not_found = texts.get("complaint.order_not_found", "zh", order_no="DD1")
    assert catalog.match(not_found) == Prompt("order", "zh")
    assert catalog.match(texts.get("complaint.ask_category", "zh")) is None
    assert catalog.match("随便说点什么") is None
