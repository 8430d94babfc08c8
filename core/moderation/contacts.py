"""Finds contact offers in a message: QQ, WeChat, phone numbers, links and @handles.

Used to warn a group when a member advertises an unofficial contact together with
support or refund wording (the classic "加我QQ退款" scam).
"""

from __future__ import annotations

import re
import unicodedata

# Each pattern yields the text of one contact; `parse_handle` classifies it later.
_CONTACT_PATTERNS = (
    re.compile(r"https?://[^\s，。、<>\"']+", re.I),
    re.compile(r"\b(?:t\.me|wa\.me)/[A-Za-z0-9_+]+", re.I),
    re.compile(
        r"\b(?:www\.)?[a-z0-9][a-z0-9-]{1,62}\.(?:com|cn|net|org|top|xyz|cc|vip|me|io|shop|site|"
        r"club|info|co|tk|app|link|ink|pw|online)\b(?:/[^\s，。]*)?",
        re.I,
    ),
    re.compile(r"(?:qq|扣扣|企鹅|q号|Q)\s*[号:：]?\s*[1-9][0-9\s-]{4,14}[0-9]", re.I),
    re.compile(
        r"(?:微信|威信|薇信|v信|vx|wx|weixin|wechat|➕v|加v|\+v)\s*[号:：]?\s*[A-Za-z][-_A-Za-z0-9]{5,19}",
        re.I,
    ),
    re.compile(r"(?<![0-9])(?:\+?86[\s-]?)?1[3-9][0-9](?:[\s-]?[0-9]){8}(?![0-9])"),
    re.compile(r"(?<![0-9])400[\s-]?[0-9]{3}[\s-]?[0-9]{4}(?![0-9])"),
    re.compile(r"(?<![A-Za-z0-9_.])@[A-Za-z][A-Za-z0-9_.]{3,31}"),
)

_SUPPORT_WORDING = re.compile(
    r"(客服|售后|退款|退钱|返款|补发|补偿|赔付|理赔|返现|解冻|人工|官方|处理|私聊|私信|加我|联系我|找我|"
    r"refund|support|customer\s*service|dm\s*me|contact\s*me)",
    re.I,
)


def _fold(text: str) -> str:
    # Full-width digits and letters (１２３, ＱＱ) are a common way around keyword filters.
    return unicodedata.normalize("NFKC", text)


def find_contacts(text: str) -> list[str]:
    """Every contact-looking fragment in ``text``, in order, without duplicates."""
    folded = _fold(text)
    found: list[tuple[int, str]] = []
    taken: list[range] = []
    for pattern in _CONTACT_PATTERNS:
        for match in pattern.finditer(folded):
            span = range(match.start(), match.end())
            if any(span.start < t.stop and t.start < span.stop for t in taken):
                continue  # already part of an earlier, more specific match (a URL's domain)
            taken.append(span)
            found.append((match.start(), match.group(0).strip()))
    return [fragment for _, fragment in sorted(found)]


def offers_support_contact(text: str) -> bool:
    """True when the message pairs a contact with support / refund wording."""
    folded = _fold(text)
    return bool(_SUPPORT_WORDING.search(folded)) and bool(find_contacts(folded))
