"""A sharp keyword rule for "where is after-sales / how do I reach a human" questions.

It needs no model and recognises the everyday wordings (simplified and traditional);
the intent classifier handles everything subtler.
"""

from __future__ import annotations

import re
import unicodedata

# Who the user wants to reach, and what they ask about them.
_TARGET = r"(售后|售後|客服|人工|真人|support|customer\s*service|kefu|shouhou)"
_ASK = (
    r"(在哪|在那|哪里|哪裡|哪儿|哪兒|怎么|怎麼|如何|联系|聯繫|聯系|找|电话|電話|入口|"
    r"有没有|有沒有|有吗|有嗎|在吗|在嗎|where|how|contact|number|link|\?|？)"
)
_PATTERNS = (
    re.compile(_TARGET + r".{0,12}" + _ASK, re.IGNORECASE),
    re.compile(_ASK + r".{0,12}" + _TARGET, re.IGNORECASE),
    re.compile(r"(转人工|轉人工|人工客服|官方客服|售后入口|售後入口|联系客服|聯繫客服)"),
)


def asks_for_support(text: str) -> bool:
    """True when ``text`` asks where or how to reach official after-sales."""
    folded = unicodedata.normalize("NFKC", text)
    return any(p.search(folded) for p in _PATTERNS)
