"""Property-based: any user string, rendered for each platform, shows as the same text and
never becomes markup, a link or a mention (Telegram HTML, Discord Markdown, Feishu cards)."""

from __future__ import annotations

import html
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.discord.outbound import prepare_text
from adapters.feishu.cards import card_content, text_content
from adapters.telegram.outbound import as_html, split_text
from core.model import Button

HOSTILE = st.sampled_from(
    [
        "<b>加粗</b><a href='http://evil.example'>官方客服</a>",
        "**粗体** __下划线__ ~~删除~~ ||剧透|| `代码` > 引用 # 标题",
        "[官方客服](https://evil.example) @everyone @here <@123> <#456> <@&789>",
        '<at user_id="all">所有人</at> <at id=ou_1></at>',
        "&lt;b&gt; &amp; &#60;script&#62;",
        "\u202e\u202dمرحبا\u200f售后 🧧💳",
    ]
)
ANY_TEXT = st.one_of(HOSTILE, st.text(max_size=200), st.lists(HOSTILE, max_size=5).map("".join))
SETTINGS = settings(max_examples=300, deadline=None)

_TAG = re.compile(r"<[a-zA-Z/!]")
_DISCORD_SPECIAL = re.compile(r"(?<!\\)[*_~`|]|(?m:^>+ )")


@SETTINGS
@given(text=ANY_TEXT)
def test_telegram_html_shows_exactly_the_text_and_no_tags(text: str) -> None:
    rendered = as_html(text)
    assert _TAG.search(rendered) is None
    assert html.unescape(rendered) == text
    assert "".join(split_text(rendered)).replace("\n", "") == rendered.replace("\n", "")


@SETTINGS
@given(text=ANY_TEXT)
def test_discord_text_has_no_live_markdown_or_mentions(text: str) -> None:
    rendered = prepare_text(text)
    assert "@everyone" not in rendered and "@here" not in rendered
    assert re.search(r"(?<!\\)<[@#][!&]?\d", rendered) is None
    # No masked link: its "[" is escaped. Every Markdown character that came from the user
    # is escaped, except inside what looks like a link target or URL (left as typed so that
    # links keep working; checked only for text without parentheses).
    assert re.search(r"(?<!\\)\[[^\]]+\]\([^)]+\)", rendered) is None
    without_escapes = re.sub(r"\\.", "", rendered, flags=re.S)
    if "(" not in text and ")" not in text:
        without_links = re.sub(r"https?://\S+", "", without_escapes)
        assert _DISCORD_SPECIAL.search(without_links) is None


@SETTINGS
@given(text=ANY_TEXT)
def test_feishu_text_and_cards_carry_no_mention_tags(text: str) -> None:
    message = json.loads(text_content(text))["text"]
    assert re.search(r"<at\b", message, re.IGNORECASE) is None
    card = json.loads(
        card_content(text, ((Button("确认", payload="flow:confirm"),),), private_chat=True)
    )
    block = card["elements"][0]["text"]
    # Cards put user text in plain_text, which Feishu never parses as markup.
    assert block["tag"] == "plain_text"
    assert block["content"] == (text or " ")
