"""How an untrusted name is shown to a group: never as a live link, mention or phone number.

An impostor picks a name that works as an advert ("星河客服 xinghe-kf.com", "加V 13812345678",
"@real_support"); repeating it verbatim in a warning would advertise it for them, since
platforms turn domains, URLs and @handles in plain text into links. Names are shown masked,
defanged and shortened.
"""

from __future__ import annotations

import re
import unicodedata

from core.masking import mask_sensitive

MAX_SHOWN = 32
# Characters that change how the rest of the line is laid out or read (bidi controls,
# zero-width joiners, line breaks): never passed through.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\r\n\t]")
_SCHEME = re.compile(r"(?i)\b(h)(tt)(ps?)://")
# A dot between two name characters ("kf.com", "t.me") is what makes a link.
_DOT = re.compile(r"(?<=\w)[.。．｡](?=\w)")


def safe_name(name: str, limit: int = MAX_SHOWN) -> str:
    """``name`` as a group may see it: masked, without links, mentions or layout tricks."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", name))
    text = mask_sensitive(text)
    text = _SCHEME.sub(r"\1xx\3://", text)
    text = _DOT.sub("[.]", text)
    text = text.replace("@", "＠").replace("#", "＃")
    text = text.strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text
