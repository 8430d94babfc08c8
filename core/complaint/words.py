"""The short answers buyers type at a flow step, in any spelling: "跳過", "沒有截圖", "好的！",
"ＯＫ", "是的", "不用了". Each is folded (NFKC, traditional → simplified with OpenCC t2s, case,
trailing punctuation and particles) and then matched against small word lists."""

from __future__ import annotations

import re
import unicodedata

from core.nlu.normalize import to_simplified

_TRAILING = re.compile(r"[\s。.!！~～,，、…]+$|[吧啊呀哦啦呢]+$")

_SKIP = re.compile(
    r"(跳过|略过|先跳过|跳过吧|没有|没|无|不用|不用了|不需要|没有了|没了|算了吧|"
    r"(没有?|无|不用|不需要)(截图|图片|图|截屏)(了)?|截图没有|"
    r"skip|no|none|nope|n/?a)",
    re.I,
)
_CONFIRM = re.compile(
    r"(确认|确定|确认提交|提交|是|是的|对|对的|对了|没错|好|好的|行|可以|没问题|嗯|嗯嗯|"
    r"ok|okay|yes|yep|y|sure|confirm|submit)",
    re.I,
)
_EDIT_START = ("修改", "改", "更改", "更正", "重填", "换")


def plain(text: str) -> str:
    """``text`` folded for matching: NFKC, simplified Chinese, lower case, no trailing
    punctuation or particles ("好的！" → "好的", "確認提交吧" → "确认提交")."""
    folded = to_simplified(unicodedata.normalize("NFKC", text)).strip().lower()
    previous = None
    while previous != folded:
        previous, folded = folded, _TRAILING.sub("", folded)
    return folded


def is_skip(text: str) -> bool:
    """ "跳过", "沒有", "没截图", "没有截图", "不用了", "skip"…"""
    return bool(_SKIP.fullmatch(plain(text)))


def is_confirm(text: str) -> bool:
    """ "确认", "確認", "好的", "对", "是的", "ok"…"""
    return bool(_CONFIRM.fullmatch(plain(text)))


def edit_field(text: str) -> str | None:
    """Which summary field a typed edit names ("修改时间" → "when"); "" when the text asks to
    edit without naming one; None when it is not an edit request."""
    folded = plain(text)
    if not folded.startswith(_EDIT_START):
        return None
    if "订单" in folded or "单号" in folded:
        return "order"
    if "时间" in folded or "几点" in folded:
        return "when"
    if any(word in folded for word in ("描述", "提示", "错误", "报错")):
        return "error"
    return ""
